package dev.basalt.bus.rabbit;

import static java.util.Objects.requireNonNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.basalt.bus.MessageCodec;
import dev.basalt.bus.Reply;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's reply queue: calls wait here for their answer, matched by correlation id. The queue
 * is exclusive to the connection and declared again (same name) when the connection recovers; a
 * reply for a call that already gave up is dropped.
 */
final class RabbitReplies implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitReplies.class);

    private final MessageCodec codec;
    private final Channel channel;
    private final String queue;
    private final Map<String, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();

    RabbitReplies(Connection connection, RabbitTopology topology, MessageCodec codec) throws IOException {
        this.codec = requireNonNull(codec, "codec");
        this.channel = connection.createChannel();
        this.queue = topology.declareReplyQueue();
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                complete(body);
            }
        });
    }

    /** The queue a call names as its {@code reply_to}. */
    String queue() {
        return queue;
    }

    /** Starts waiting for the reply to {@code correlationId}; {@link #forget} it when done. */
    CompletableFuture<Reply> expect(String correlationId) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        pending.put(correlationId, reply);
        return reply;
    }

    void forget(String correlationId) {
        pending.remove(correlationId);
    }

    private void complete(byte[] body) {
        Reply reply;
        try {
            reply = codec.decodeReply(body);
        } catch (RuntimeException e) {
            LOG.warn("dropped a reply that is not a Basalt reply ({} bytes): {}", body.length, e.toString());
            return;
        }
        CompletableFuture<Reply> waiting = pending.get(reply.correlationId());
        if (waiting != null) {
            waiting.complete(reply);
        }
    }

    @Override
    public void close() {
        try {
            channel.abort();
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
    }
}
