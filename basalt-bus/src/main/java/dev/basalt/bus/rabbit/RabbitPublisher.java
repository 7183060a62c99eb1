package dev.basalt.bus.rabbit;

import static java.util.Objects.requireNonNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import dev.basalt.bus.BusTimeoutException;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes with publisher confirms: {@link #publish} returns once the broker has taken the message
 * (for a persistent message on a durable queue: written it). Channels in confirm mode are pooled, one
 * per concurrent publisher. While the broker is unreachable a publish retries with backoff until its
 * deadline, then fails with a {@link BusTimeoutException}; it never waits longer.
 */
final class RabbitPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitPublisher.class);
    private static final int MAX_CHANNELS = 32;
    private static final long FIRST_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 1000;

    /** Where a message goes. */
    sealed interface Destination {
        /** A durable queue ({@code topic} or {@code topic.server}) through the topic exchange; declared first. */
        record Queue(String name) implements Destination {
        }

        /** Every server of a topic, through its fanout exchange. */
        record Fanout(String topic) implements Destination {
        }

        /** A caller's reply queue, through the default exchange; if the caller is gone the reply is dropped. */
        record Reply(String queue) implements Destination {
        }
    }

    private final Connection connection;
    private final RabbitTopology topology;
    private final Semaphore slots = new Semaphore(MAX_CHANNELS);
    private final LinkedBlockingDeque<Channel> idle = new LinkedBlockingDeque<>();

    RabbitPublisher(Connection connection, RabbitTopology topology) {
        this.connection = requireNonNull(connection, "connection");
        this.topology = requireNonNull(topology, "topology");
    }

    /**
     * Publishes {@code body} to {@code destination} and waits for the broker's confirm, retrying
     * while the broker cannot be reached, until {@code deadlineNanos} ({@link System#nanoTime()}).
     * {@code what} names the message in errors and logs.
     */
    void publish(Destination destination, byte[] body, AMQP.BasicProperties properties, long deadlineNanos,
            String what) {
        long backoff = FIRST_BACKOFF_MILLIS;
        int attempt = 0;
        while (true) {
            attempt++;
            Exception failure;
            try {
                publishOnce(destination, body, properties, deadlineNanos);
                if (attempt > 1) {
                    LOG.info("sent {} after {} attempts", what, attempt);
                }
                return;
            } catch (IOException | TimeoutException | ShutdownSignalException e) {
                failIfRefused(e, what);
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BusTimeoutException("interrupted while sending " + what);
            }
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (remaining <= 0) {
                throw new BusTimeoutException("cannot send " + what + ": RabbitMQ did not take it in time ("
                        + AmqpFailures.describe(failure) + ")");
            }
            if (attempt == 1) {
                LOG.warn("cannot send {} ({}); retrying for up to {} ms", what, AmqpFailures.describe(failure), remaining);
            }
            sleep(Math.min(backoff, remaining));
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private void publishOnce(Destination destination, byte[] body, AMQP.BasicProperties properties, long deadlineNanos)
            throws IOException, TimeoutException, InterruptedException {
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (!slots.tryAcquire(Math.max(0, waitMillis), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("all " + MAX_CHANNELS + " publishing channels busy");
        }
        Channel channel = null;
        try {
            channel = borrow();
            switch (destination) {
                case Destination.Queue queue -> {
                    topology.ensureQueue(queue.name());
                    channel.basicPublish(topology.exchange(), queue.name(), properties, body);
                }
                case Destination.Fanout fanout -> {
                    topology.ensureFanoutExchange(fanout.topic());
                    channel.basicPublish(RabbitTopology.fanoutExchange(fanout.topic()), fanout.topic(), properties, body);
                }
                case Destination.Reply reply -> channel.basicPublish("", reply.queue(), properties, body);
            }
            long confirmMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
            channel.waitForConfirmsOrDie(confirmMillis);
            idle.addFirst(channel);
            channel = null;
        } finally {
            if (channel != null) {
                discard(channel);
            }
            slots.release();
        }
    }

    private Channel borrow() throws IOException {
        Channel channel;
        while ((channel = idle.pollFirst()) != null) {
            if (channel.isOpen()) {
                return channel;
            }
            discard(channel);
        }
        channel = connection.createChannel();
        if (channel == null) {
            throw new IOException("no channel available on the RabbitMQ connection");
        }
        channel.confirmSelect();
        return channel;
    }

    private static void discard(Channel channel) {
        try {
            channel.abort();
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        Channel channel;
        while ((channel = idle.pollFirst()) != null) {
            discard(channel);
        }
    }

    private static void failIfRefused(Exception failure, String what) {
        if (AmqpFailures.refusedByBroker(failure)) {
            throw new BasaltException(Fault.INTERNAL, "RabbitMQ refused " + what + ": " + AmqpFailures.describe(failure));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Duration.ofMillis(millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusTimeoutException("interrupted while waiting for RabbitMQ");
        }
    }
}
