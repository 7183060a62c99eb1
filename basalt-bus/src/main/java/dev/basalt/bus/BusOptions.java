package dev.basalt.bus;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * How a transport behaves, named after the oslo.messaging options an operator's cinder.conf already
 * has where there is one. The in-JVM transport uses only {@code executorThreadPoolSize}.
 *
 * @param controlExchange        {@code control_exchange}: the topic exchange every message is published to
 * @param rabbitQuorumQueue      {@code rabbit_quorum_queue}: the durable queues are quorum queues
 *                               ({@code x-queue-type=quorum}) instead of classic ones
 * @param executorThreadPoolSize {@code executor_thread_pool_size}: the most handlers one server runs at
 *                               once; more messages wait in the queue (for RabbitMQ also the prefetch)
 * @param sendTimeout            how long a cast or fanout waits for an unreachable broker, retrying with
 *                               backoff, before it fails with a {@link BusTimeoutException}
 * @param connectTimeout         how long opening the connection waits for each broker host at startup
 * @param retryIntervalMax       {@code rabbit_interval_max}: the longest pause between reconnect attempts
 * @param heartbeat              AMQP heartbeat ({@code heartbeat_timeout_threshold}): a silent broker is
 *                               declared dead after about this long
 * @param redeliverWhen          which failures of a cast's handler are passing (the database out of
 *                               reach): such a cast is delivered again after {@link #REDELIVERY_PAUSE}
 *                               instead of being acknowledged
 */
public record BusOptions(String controlExchange, boolean rabbitQuorumQueue, int executorThreadPoolSize,
        Duration sendTimeout, Duration connectTimeout, Duration retryIntervalMax, Duration heartbeat,
        Predicate<Throwable> redeliverWhen) {

    /** How long a transport waits before delivering again a cast whose handler failed for a passing reason. */
    public static final Duration REDELIVERY_PAUSE = Duration.ofSeconds(1);

    public static final String DEFAULT_CONTROL_EXCHANGE = "basalt";
    public static final int DEFAULT_EXECUTOR_THREAD_POOL_SIZE = 64;

    public BusOptions {
        requireNonNull(controlExchange, "controlExchange");
        requireNonNull(sendTimeout, "sendTimeout");
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(retryIntervalMax, "retryIntervalMax");
        requireNonNull(heartbeat, "heartbeat");
        requireNonNull(redeliverWhen, "redeliverWhen");
        if (controlExchange.isBlank()) {
            throw new IllegalArgumentException("control_exchange must not be empty");
        }
        if (executorThreadPoolSize < 1) {
            throw new IllegalArgumentException("executor_thread_pool_size must be at least 1: " + executorThreadPoolSize);
        }
    }

    public static BusOptions defaults() {
        return new BusOptions(DEFAULT_CONTROL_EXCHANGE, false, DEFAULT_EXECUTOR_THREAD_POOL_SIZE,
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30),
                failure -> false);
    }

    public BusOptions withControlExchange(String value) {
        return new BusOptions(value, rabbitQuorumQueue, executorThreadPoolSize, sendTimeout, connectTimeout,
                retryIntervalMax, heartbeat, redeliverWhen);
    }

    public BusOptions withRabbitQuorumQueue(boolean value) {
        return new BusOptions(controlExchange, value, executorThreadPoolSize, sendTimeout, connectTimeout,
                retryIntervalMax, heartbeat, redeliverWhen);
    }

    public BusOptions withExecutorThreadPoolSize(int value) {
        return new BusOptions(controlExchange, rabbitQuorumQueue, value, sendTimeout, connectTimeout,
                retryIntervalMax, heartbeat, redeliverWhen);
    }

    public BusOptions withSendTimeout(Duration value) {
        return new BusOptions(controlExchange, rabbitQuorumQueue, executorThreadPoolSize, value, connectTimeout,
                retryIntervalMax, heartbeat, redeliverWhen);
    }

    public BusOptions withRetryIntervalMax(Duration value) {
        return new BusOptions(controlExchange, rabbitQuorumQueue, executorThreadPoolSize, sendTimeout, connectTimeout,
                value, heartbeat, redeliverWhen);
    }

    public BusOptions withRedeliverWhen(Predicate<Throwable> value) {
        return new BusOptions(controlExchange, rabbitQuorumQueue, executorThreadPoolSize, sendTimeout, connectTimeout,
                retryIntervalMax, heartbeat, value);
    }
}
