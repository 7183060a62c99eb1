package dev.basalt.bus.rabbit;

import static java.util.Objects.requireNonNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.basalt.bus.Address;
import dev.basalt.bus.Endpoint;
import dev.basalt.bus.BusOptions;
import dev.basalt.bus.EndpointRunner;
import dev.basalt.bus.Subscription;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server of a topic on RabbitMQ: a channel of its own consuming the topic's shared queue, the
 * server's {@code topic.server} queue and a fanout queue of its own. Each message runs on a virtual
 * thread, at most {@code handlers} at once (the rest wait; each queue also hands this server at most
 * {@code handlers} unacknowledged messages, so the others stay in the queue for other servers). A
 * message is acknowledged only after its handler finished; closing the subscription closes the channel,
 * which gives every unacknowledged message back to its queue.
 */
final class RabbitSubscription implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitSubscription.class);

    /**
     * Sends a call's reply, trying no longer than {@code callerDeadlineNanos} ({@link System#nanoTime()};
     * empty when the call named no timeout); returns normally even if it could not.
     */
    interface ReplySender {
        void send(String replyTo, String correlationId, byte[] reply, OptionalLong callerDeadlineNanos);
    }

    /** Declares a queue (again) and returns the name to consume. */
    private interface QueueDeclaration {
        String declare() throws IOException;
    }

    private final String name;
    private final RabbitTopology topology;
    private final Channel channel;
    private final Endpoint endpoint;
    private final EndpointRunner runner;
    private final ReplySender replies;
    private final Executor workers;
    private final int handlers;
    private final Semaphore slots;
    private final List<String> consumerTags = new CopyOnWriteArrayList<>();
    private volatile boolean taking = true;

    private RabbitSubscription(String name, RabbitTopology topology, Channel channel, Endpoint endpoint,
            EndpointRunner runner, ReplySender replies, Executor workers, int handlers) {
        this.name = name;
        this.topology = topology;
        this.channel = channel;
        this.endpoint = endpoint;
        this.runner = runner;
        this.replies = replies;
        this.workers = workers;
        this.handlers = handlers;
        this.slots = new Semaphore(handlers, true);
    }

    /** Declares the server's queues and starts consuming them. */
    static RabbitSubscription open(Connection connection, RabbitTopology topology, String topic, String server,
            Endpoint endpoint, EndpointRunner runner, ReplySender replies, Executor workers, int handlers)
            throws IOException {
        requireNonNull(endpoint, "endpoint");
        Channel channel = connection.createChannel();
        RabbitSubscription subscription = new RabbitSubscription(Address.of(topic, server).queueName(), topology,
                channel, endpoint, requireNonNull(runner, "runner"), requireNonNull(replies, "replies"),
                requireNonNull(workers, "workers"), handlers);
        try {
            channel.basicQos(handlers, false);
            topology.declareServerQueues(topic, server);
            String own = Address.of(topic, server).queueName();
            String shared = Address.anyOf(topic).queueName();
            subscription.consume(own, () -> {
                topology.declareDurableQueue(own);
                return own;
            });
            subscription.consume(shared, () -> {
                topology.declareDurableQueue(shared);
                return shared;
            });
            subscription.consume(topology.declareFanoutQueue(topic), () -> topology.declareFanoutQueue(topic));
        } catch (IOException | RuntimeException e) {
            subscription.close();
            throw e;
        }
        return subscription;
    }

    /** Consumes {@code queue}; if the broker cancels the consumer (the queue was deleted), declares it again and goes on. */
    private void consume(String queue, QueueDeclaration again) throws IOException {
        consumerTags.add(channel.basicConsume(queue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                long arrived = System.nanoTime();
                boolean redelivered = envelope.isRedeliver();
                workers.execute(() -> handle(envelope.getDeliveryTag(), properties, body, arrived, redelivered));
            }

            @Override
            public void handleCancel(String consumerTag) {
                consumerTags.remove(consumerTag);
                if (taking) {
                    LOG.warn("RabbitMQ cancelled {}'s consumer of queue {} (deleted?); subscribing again", name, queue);
                    workers.execute(() -> consumeAgain(again));
                }
            }
        }));
    }

    private void consumeAgain(QueueDeclaration declaration) {
        try {
            String queue = declaration.declare();
            consume(queue, declaration);
        } catch (IOException | RuntimeException e) {
            LOG.error("{} could not subscribe again: {}", name, AmqpFailures.describe(e));
        }
    }

    private void handle(long deliveryTag, AMQP.BasicProperties properties, byte[] body, long arrivedNanos,
            boolean redelivered) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (!taking) {
                return; // not acknowledged: back to the queue when the channel closes
            }
            OptionalLong callerDeadline = callerDeadline(properties, arrivedNanos);
            if (callerDeadline.isEmpty() || callerDeadline.getAsLong() - System.nanoTime() > 0) {
                EndpointRunner.Handled handled = runner.run(endpoint, body, redelivered);
                if (handled.redeliver()) {
                    deliverAgain(deliveryTag);
                    return;
                }
                if (handled.reply() != null && properties.getReplyTo() != null) {
                    // acknowledged before the caller hears: a call answered is never run again
                    acknowledge(deliveryTag);
                    replies.send(properties.getReplyTo(), properties.getCorrelationId(), handled.reply(), callerDeadline);
                    return;
                }
            }
            acknowledge(deliveryTag);
        } finally {
            slots.release();
        }
    }

    /**
     * For a call: when its caller has certainly stopped waiting, its whole timeout after the message
     * reached this process (measured on this machine's clock only, so clock skew cannot drop a call).
     */
    private static OptionalLong callerDeadline(AMQP.BasicProperties properties, long arrivedNanos) {
        String expiration = properties.getExpiration();
        if (expiration == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(arrivedNanos + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(expiration)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Gives the message back to the broker after a pause, for this or another server to handle again. */
    private void deliverAgain(long deliveryTag) {
        try {
            Thread.sleep(BusOptions.REDELIVERY_PAUSE.toMillis());
            synchronized (channel) {
                channel.basicNack(deliveryTag, false, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the channel closed: the broker delivers the unacknowledged message again anyway
            LOG.debug("could not give back a message of {}: {}", name, e.toString());
        }
    }

    private void acknowledge(long deliveryTag) {
        try {
            synchronized (channel) {
                channel.basicAck(deliveryTag, false);
            }
        } catch (IOException | RuntimeException e) {
            // the channel closed (subscription closed, or the connection dropped): the broker gives
            // the message to a server again, and handlers are idempotent
            LOG.debug("could not acknowledge a message of {}: {}", name, e.toString());
        }
    }

    /** Takes no more messages (what was delivered and has not started goes back to the queue on close). */
    void stopTaking() {
        taking = false;
        for (String tag : consumerTags) {
            try {
                channel.basicCancel(tag);
            } catch (IOException | RuntimeException e) {
                // the channel is gone already
            }
        }
    }

    /** Waits until {@code deadlineNanos} ({@link System#nanoTime()}) for running handlers to finish; true if they did. */
    boolean awaitHandlers(long deadlineNanos) {
        try {
            if (slots.tryAcquire(handlers, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                slots.release(handlers);
                return true;
            }
            LOG.warn("{}: handlers still running at shutdown; their messages go back to the queue", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Stops at once: every message taken and not finished goes back to its queue for another server. */
    @Override
    public void close() {
        taking = false;
        try {
            channel.abort();
        } catch (IOException | RuntimeException e) {
            // already closed
        }
    }
}
