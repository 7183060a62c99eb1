package dev.basalt.bus.rabbit;

import static java.util.Objects.requireNonNull;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import dev.basalt.bus.Address;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Basalt's exchanges and queues on RabbitMQ, laid out as oslo.messaging's rabbit driver lays out
 * RPC, so an operator finds what they know:
 * <ul>
 * <li>one durable topic exchange ({@code control_exchange}, default {@code basalt});</li>
 * <li>a durable queue per topic ({@code volume}, shared by its servers) and per server
 * ({@code volume.host1@file}), each bound to the exchange with its own name as routing key;
 * quorum queues with {@code rabbit_quorum_queue};</li>
 * <li>a durable fanout exchange per topic ({@code volume_fanout}) with an exclusive, auto-delete
 * queue per serving server ({@code volume_fanout_<random>});</li>
 * <li>an exclusive, auto-delete reply queue per process ({@code reply_<random>}), which replies
 * reach through the default exchange.</li>
 * </ul>
 * Unlike oslo, the sender declares a durable queue too before its first publish to it: a cast sent
 * before any server of its topic ever started waits in the queue instead of being dropped.
 *
 * <p>Every declaration goes through one channel that lives as long as the connection, so that
 * amqp-client's topology recovery, which re-declares each entity on the channel that declared it,
 * finds that channel alive after a reconnect.
 */
final class RabbitTopology implements AutoCloseable {
    private final Connection connection;
    private final String exchange;
    private final Map<String, Object> durableQueueArguments;
    private final Set<String> declared = ConcurrentHashMap.newKeySet();
    private Channel channel;

    RabbitTopology(Connection connection, String exchange, boolean quorumQueues) {
        this.connection = requireNonNull(connection, "connection");
        this.exchange = requireNonNull(exchange, "exchange");
        this.durableQueueArguments = quorumQueues ? Map.of("x-queue-type", "quorum") : Map.of();
        ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable recoverable) {
                declared.clear(); // a broker that lost its data has lost what senders declared
            }

            @Override
            public void handleRecoveryStarted(Recoverable recoverable) {
            }
        });
    }

    String exchange() {
        return exchange;
    }

    static String fanoutExchange(String topic) {
        return topic + "_fanout";
    }

    synchronized void declareExchange() throws IOException {
        channel().exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
    }

    /** For a sender: the durable queue {@code queueName} and its binding, declared once per connection. */
    void ensureQueue(String queueName) throws IOException {
        if (!declared.contains(queueName)) {
            declareDurableQueue(queueName);
            declared.add(queueName);
        }
    }

    /** For a sender: the fanout exchange of {@code topic}, declared once per connection. */
    void ensureFanoutExchange(String topic) throws IOException {
        String name = fanoutExchange(topic);
        if (!declared.contains(name)) {
            synchronized (this) {
                channel().exchangeDeclare(name, BuiltinExchangeType.FANOUT, true);
            }
            declared.add(name);
        }
    }

    /** The queues a server of {@code topic} consumes from besides its fanout queue, and their bindings. */
    void declareServerQueues(String topic, String server) throws IOException {
        declareDurableQueue(Address.anyOf(topic).queueName());
        declareDurableQueue(Address.of(topic, server).queueName());
    }

    /** A new exclusive queue receiving {@code topic}'s fanouts while its consumer lives; returns its name. */
    synchronized String declareFanoutQueue(String topic) throws IOException {
        Channel declaring = channel();
        declaring.exchangeDeclare(fanoutExchange(topic), BuiltinExchangeType.FANOUT, true);
        String queue = fanoutExchange(topic) + "_" + UUID.randomUUID().toString().replace("-", "");
        declaring.queueDeclare(queue, false, true, true, Map.of());
        declaring.queueBind(queue, fanoutExchange(topic), topic);
        return queue;
    }

    /** A new exclusive reply queue for this process's calls; returns its name. */
    synchronized String declareReplyQueue() throws IOException {
        String queue = "reply_" + UUID.randomUUID().toString().replace("-", "");
        channel().queueDeclare(queue, false, true, true, Map.of());
        return queue;
    }

    /** The durable queue {@code queueName} and its binding to the exchange. */
    synchronized void declareDurableQueue(String queueName) throws IOException {
        Channel declaring = channel();
        declaring.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        declaring.queueDeclare(queueName, true, false, false, durableQueueArguments);
        declaring.queueBind(queueName, exchange, queueName);
    }

    /** The declaring channel; a new one if the broker closed the last over an error (the connection recovers its own). */
    private Channel channel() throws IOException {
        if (channel == null || (!channel.isOpen() && connection.isOpen())) {
            channel = connection.createChannel();
            if (channel == null) {
                throw new IOException("no channel available on the RabbitMQ connection");
            }
        }
        return channel;
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.abort();
            } catch (IOException | RuntimeException e) {
                // closing anyway
            }
        }
    }
}
