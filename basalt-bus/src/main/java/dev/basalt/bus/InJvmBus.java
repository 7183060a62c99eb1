package dev.basalt.bus;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.InJvmBroker.Delivery;
import dev.basalt.bus.InJvmBroker.LocalServer;
import dev.basalt.bus.InJvmBroker.Unacked;
import dev.basalt.common.Ids;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The bus for roles that share one JVM (the default). Messages still travel as JSON bytes through
 * the {@link MessageCodec}, exactly as they would over a broker, and each is handled on its own
 * virtual thread, at most {@code handlersPerServer} at once per server. A message sent to a queue
 * nobody serves yet waits there, as in a broker's durable queue; a call's message is dropped once
 * its caller has stopped waiting. A message is acknowledged only when its handler finished: closing
 * a subscription gives what it had not finished back to the queue.
 */
public final class InJvmBus implements Bus {
    private final InJvmBroker broker;
    private final int handlersPerServer;
    private final MessageCodec codec = new MessageCodec();
    private final BusMeters meters;
    private final EndpointRunner runner;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, CompletableFuture<Reply>> pendingCalls = new ConcurrentHashMap<>();
    private final List<LocalServer> servers = new CopyOnWriteArrayList<>();

    /** A bus of its own, each server running at most {@link BusOptions#DEFAULT_EXECUTOR_THREAD_POOL_SIZE} handlers at once. */
    public InJvmBus() {
        this(BusOptions.DEFAULT_EXECUTOR_THREAD_POOL_SIZE);
    }

    /** A bus of its own, each server running at most {@code handlersPerServer} handlers at once. */
    public InJvmBus(int handlersPerServer) {
        this(new InJvmBroker(), handlersPerServer, BusMeters.none(), failure -> false);
    }

    /** A bus of its own as {@code options} say, counting its messages in {@code registry} (see {@link BusMeters}). */
    public InJvmBus(BusOptions options, MeterRegistry registry) {
        this(new InJvmBroker(), options.executorThreadPoolSize(), new BusMeters(registry), options.redeliverWhen());
    }

    private InJvmBus(InJvmBroker broker, int handlersPerServer, BusMeters meters,
                     Predicate<Throwable> redeliverWhen) {
        if (handlersPerServer < 1) {
            throw new IllegalArgumentException("a server runs at least one handler: " + handlersPerServer);
        }
        this.broker = requireNonNull(broker, "broker");
        this.handlersPerServer = handlersPerServer;
        this.meters = requireNonNull(meters, "meters");
        this.runner = new EndpointRunner(codec, meters, redeliverWhen);
    }

    /**
     * Another client of the same queues, as a second process on the same broker would be: its
     * servers share topics with this bus's servers. For tests of several servers.
     */
    InJvmBus sibling(BusOptions options) {
        return new InJvmBus(broker, options.executorThreadPoolSize(), meters, options.redeliverWhen());
    }

    @Override
    public <A> void cast(Address to, RpcMethod<A, ?> method, A args) {
        broker.publish(to.queueName(), new Delivery(codec.encode(method, args, null), 0, null));
        meters.sent(method, BusMeters.Kind.CAST);
    }

    @Override
    public <A, R> R call(Address to, RpcMethod<A, R> method, A args, Duration timeout) {
        String correlationId = Ids.newId();
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        pendingCalls.put(correlationId, reply);
        try {
            long expiresAt = System.currentTimeMillis() + timeout.toMillis();
            broker.publish(to.queueName(),
                    new Delivery(codec.encode(method, args, correlationId), expiresAt, this::complete));
            meters.sent(method, BusMeters.Kind.CALL);
            return CallReplies.await(reply, timeout.toNanos(), codec, meters, to, method, timeout);
        } finally {
            pendingCalls.remove(correlationId);
        }
    }

    @Override
    public <A> void fanout(String topic, RpcMethod<A, ?> method, A args) {
        broker.fanout(topic, new Delivery(codec.encode(method, args, null), 0, null));
        meters.sent(method, BusMeters.Kind.FANOUT);
    }

    @Override
    public Subscription serve(String topic, String server, Endpoint endpoint) {
        requireNonNull(endpoint, "endpoint");
        LocalServer registered = broker.serve(topic, server, endpoint, handlersPerServer, workers, this::handle);
        servers.add(registered);
        return () -> {
            servers.remove(registered);
            broker.close(registered, true);
        };
    }

    /** Stops taking messages and lets running handlers finish (up to 10 s). */
    @Override
    public void close() {
        for (LocalServer server : servers) {
            broker.close(server, false);
        }
        servers.clear();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void handle(LocalServer server, Unacked unacked) {
        try {
            Delivery delivery = unacked.delivery;
            if (delivery.expired()) {
                return;
            }
            EndpointRunner.Handled handled = runner.run(server.endpoint, delivery.bytes(), delivery.redelivered());
            if (handled.redeliver()) {
                Thread.sleep(BusOptions.REDELIVERY_PAUSE.toMillis());
                broker.requeue(server, unacked);
                return;
            }
            if (handled.reply() != null && delivery.replyTo() != null) {
                // settled before the caller hears: a call answered is never run again (a server that
                // closes requeues what it has not settled)
                broker.settle(server, unacked);
                delivery.replyTo().accept(handled.reply());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            broker.settle(server, unacked);
        }
    }

    private void complete(byte[] replyBytes) {
        Reply reply = codec.decodeReply(replyBytes);
        CompletableFuture<Reply> waiting = pendingCalls.get(reply.correlationId());
        if (waiting != null) {
            waiting.complete(reply);
        }
    }
}
