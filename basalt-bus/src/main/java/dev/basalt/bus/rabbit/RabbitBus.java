package dev.basalt.bus.rabbit;

import static java.util.Objects.requireNonNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import dev.basalt.bus.Address;
import dev.basalt.bus.Bus;
import dev.basalt.bus.BusMeters;
import dev.basalt.bus.BusOptions;
import dev.basalt.bus.BusTimeoutException;
import dev.basalt.bus.CallReplies;
import dev.basalt.bus.Endpoint;
import dev.basalt.bus.EndpointRunner;
import dev.basalt.bus.MessageCodec;
import dev.basalt.bus.Reply;
import dev.basalt.bus.RpcMethod;
import dev.basalt.bus.Subscription;
import dev.basalt.bus.TransportUrl;
import dev.basalt.bus.rabbit.RabbitPublisher.Destination;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Ids;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus over RabbitMQ (AMQP 0-9-1), for roles in separate processes on separate machines. One
 * connection per process ({@link RabbitConnector}: reconnects and re-declares by itself), the
 * layout of {@link RabbitTopology}, publishing through {@link RabbitPublisher} (publisher confirms;
 * casts persistent), one {@link RabbitSubscription} per served topic, replies through
 * {@link RabbitReplies}. A call's message expires with its timeout, so a server that comes up later
 * does not run a request nobody waits for any more.
 */
public final class RabbitBus implements Bus {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitBus.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
    private static final String JSON = "application/json";

    private final TransportUrl url;
    private final BusOptions options;
    private final Connection connection;
    private final RabbitTopology topology;
    private final RabbitPublisher publisher;
    private final RabbitReplies replies;
    private final MessageCodec codec = new MessageCodec();
    private final BusMeters meters;
    private final EndpointRunner runner;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<RabbitSubscription> subscriptions = ConcurrentHashMap.newKeySet();

    private RabbitBus(TransportUrl url, BusOptions options, Connection connection, BusMeters meters)
            throws IOException {
        this.url = url;
        this.options = options;
        this.connection = connection;
        this.meters = meters;
        this.runner = new EndpointRunner(codec, meters, options.redeliverWhen());
        this.topology = new RabbitTopology(connection, options.controlExchange(), options.rabbitQuorumQueue());
        topology.declareExchange();
        this.publisher = new RabbitPublisher(connection, topology);
        this.replies = new RabbitReplies(connection, topology, codec);
    }

    /**
     * Connects to the broker of {@code url}. Fails within seconds, with one line naming
     * {@code [DEFAULT] transport_url}, when the broker cannot be reached or refuses the login.
     */
    public static RabbitBus open(TransportUrl url, BusOptions options) {
        return open(url, options, BusMeters.none());
    }

    /** As {@link #open(TransportUrl, BusOptions)}, counting the bus's messages in {@code registry}. */
    public static RabbitBus open(TransportUrl url, BusOptions options, MeterRegistry registry) {
        return open(url, options, new BusMeters(registry));
    }

    private static RabbitBus open(TransportUrl url, BusOptions options, BusMeters meters) {
        requireNonNull(url, "url");
        requireNonNull(options, "options");
        requireNonNull(meters, "meters");
        Connection connection = RabbitConnector.connect(url, options,
                "basalt pid " + ProcessHandle.current().pid());
        try {
            return new RabbitBus(url, options, connection, meters);
        } catch (IOException | RuntimeException e) {
            try {
                connection.abort();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
            throw RabbitConnector.startupFailure(url, options, e);
        }
    }

    /** False while the connection to the broker is down (amqp-client recovers it by itself). */
    @Override
    public boolean isConnected() {
        return connection.isOpen();
    }

    @Override
    public <A> void cast(Address to, RpcMethod<A, ?> method, A args) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(JSON).deliveryMode(2).timestamp(new java.util.Date()).build();
        publisher.publish(new Destination.Queue(to.queueName()), codec.encode(method, args, null), properties,
                deadline(options.sendTimeout()), method + " to " + to);
        meters.sent(method, BusMeters.Kind.CAST);
    }

    @Override
    public <A, R> R call(Address to, RpcMethod<A, R> method, A args, Duration timeout) {
        String correlationId = Ids.newId();
        CompletableFuture<Reply> reply = replies.expect(correlationId);
        long deadline = deadline(timeout);
        try {
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .contentType(JSON).deliveryMode(1).correlationId(correlationId).replyTo(replies.queue())
                    .expiration(Long.toString(Math.max(1, timeout.toMillis()))).timestamp(new java.util.Date())
                    .build();
            publisher.publish(new Destination.Queue(to.queueName()), codec.encode(method, args, correlationId), properties,
                    deadline, method + " to " + to);
            meters.sent(method, BusMeters.Kind.CALL);
            return CallReplies.await(reply, deadline - System.nanoTime(), codec, meters, to, method, timeout);
        } finally {
            replies.forget(correlationId);
        }
    }

    @Override
    public <A> void fanout(String topic, RpcMethod<A, ?> method, A args) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(JSON).deliveryMode(1).timestamp(new java.util.Date()).build();
        publisher.publish(new Destination.Fanout(topic), codec.encode(method, args, null), properties,
                deadline(options.sendTimeout()), method + " to every server of " + topic);
        meters.sent(method, BusMeters.Kind.FANOUT);
    }

    @Override
    public Subscription serve(String topic, String server, Endpoint endpoint) {
        RabbitSubscription subscription;
        try {
            subscription = RabbitSubscription.open(connection, topology, topic, server, endpoint, runner,
                    this::sendReply, workers, options.executorThreadPoolSize());
        } catch (IOException | RuntimeException e) {
            Fault fault = AmqpFailures.refusedByBroker(e) ? Fault.INTERNAL : Fault.SERVICE_UNAVAILABLE;
            throw new BasaltException(fault, "cannot serve " + Address.of(topic, server) + " on RabbitMQ at "
                    + url.addresses() + ": " + AmqpFailures.describe(e), e);
        }
        subscriptions.add(subscription);
        return () -> {
            subscriptions.remove(subscription);
            subscription.close();
        };
    }

    /** Stops taking messages, lets running handlers finish (up to 10 s), then closes the connection. */
    @Override
    public void close() {
        subscriptions.forEach(RabbitSubscription::stopTaking);
        long deadline = deadline(CLOSE_GRACE);
        for (RabbitSubscription subscription : subscriptions) {
            subscription.awaitHandlers(deadline);
            subscription.close();
        }
        subscriptions.clear();
        replies.close();
        publisher.close();
        topology.close();
        workers.shutdownNow();
        try {
            connection.close(2000);
        } catch (IOException | RuntimeException e) {
            connection.abort(1000);
        }
    }

    private void sendReply(String replyTo, String correlationId, byte[] reply, OptionalLong callerDeadline) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(JSON).deliveryMode(1).correlationId(correlationId).build();
        long deadline = deadline(options.sendTimeout());
        if (callerDeadline.isPresent() && callerDeadline.getAsLong() - deadline < 0) {
            deadline = callerDeadline.getAsLong();
        }
        try {
            publisher.publish(new Destination.Reply(replyTo), reply, properties, deadline, "reply " + correlationId);
        } catch (BasaltException e) {
            LOG.warn("a reply was lost, its caller will time out: {}", e.getMessage());
        }
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }
}
