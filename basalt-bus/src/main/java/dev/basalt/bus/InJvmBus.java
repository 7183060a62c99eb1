package dev.basalt.bus;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.Ids;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus for roles that share one JVM. Messages still travel as JSON bytes through the
 * {@link MessageCodec}, exactly as they would over a broker, and each is handled on its own
 * virtual thread. A message sent to a queue nobody serves yet waits there, as in a broker's
 * durable queue; a call's message is dropped once its caller has stopped waiting.
 */
public final class InJvmBus implements Bus {
    private static final Logger LOG = LoggerFactory.getLogger(InJvmBus.class);

    private final MessageCodec codec = new MessageCodec();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, LocalQueue> queues = new ConcurrentHashMap<>();
    private final Map<String, List<Endpoint>> fanoutListeners = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Reply>> pendingCalls = new ConcurrentHashMap<>();

    /** A queued message: its bytes, and when it stops being worth delivering (0: never). */
    private record Delivery(byte[] bytes, long expiresAtMillis) {
        boolean expired() {
            return expiresAtMillis > 0 && System.currentTimeMillis() > expiresAtMillis;
        }
    }

    /** One queue: its servers in round-robin order, and what waits for a server. */
    private final class LocalQueue {
        private final List<Endpoint> servers = new ArrayList<>();
        private final Deque<Delivery> waiting = new ArrayDeque<>();
        private int next;

        synchronized void offer(Delivery delivery) {
            if (servers.isEmpty()) {
                waiting.add(delivery);
                return;
            }
            Endpoint server = servers.get(Math.floorMod(next++, servers.size()));
            dispatch(server, delivery);
        }

        synchronized void add(Endpoint server) {
            servers.add(server);
            while (!waiting.isEmpty()) {
                dispatch(servers.get(Math.floorMod(next++, servers.size())), waiting.poll());
            }
        }

        synchronized void remove(Endpoint server) {
            servers.remove(server);
        }
    }

    @Override
    public <A> void cast(Address to, RpcMethod<A, ?> method, A args) {
        queue(to.queueName()).offer(new Delivery(encode(method, args, null), 0));
    }

    @Override
    public <A, R> R call(Address to, RpcMethod<A, R> method, A args, Duration timeout) {
        String correlationId = Ids.newId();
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        pendingCalls.put(correlationId, reply);
        try {
            long expiresAt = System.currentTimeMillis() + timeout.toMillis();
            queue(to.queueName()).offer(new Delivery(encode(method, args, correlationId), expiresAt));
            Reply answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (answer.failed()) {
                throw codec.toException(answer);
            }
            return codec.fromTree(answer.result(), method.replyType());
        } catch (TimeoutException e) {
            throw new BusTimeoutException("no reply from " + to + " to " + method + " within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusTimeoutException("interrupted while waiting for " + to + " to answer " + method);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pendingCalls.remove(correlationId);
        }
    }

    @Override
    public <A> void fanout(String topic, RpcMethod<A, ?> method, A args) {
        byte[] bytes = encode(method, args, null);
        for (Endpoint listener : fanoutListeners.getOrDefault(topic, List.of())) {
            dispatch(listener, new Delivery(bytes, 0));
        }
    }

    @Override
    public Subscription serve(String topic, String server, Endpoint endpoint) {
        requireNonNull(endpoint, "endpoint");
        Address shared = Address.anyOf(topic);
        Address own = Address.of(topic, server);
        queue(shared.queueName()).add(endpoint);
        queue(own.queueName()).add(endpoint);
        fanoutListeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(endpoint);
        return () -> {
            queue(shared.queueName()).remove(endpoint);
            queue(own.queueName()).remove(endpoint);
            fanoutListeners.getOrDefault(topic, List.of()).remove(endpoint);
        };
    }

    @Override
    public void close() {
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

    private LocalQueue queue(String name) {
        return queues.computeIfAbsent(name, n -> new LocalQueue());
    }

    private byte[] encode(RpcMethod<?, ?> method, Object args, String correlationId) {
        return codec.encode(new Envelope(method.name(), method.version(), codec.toTree(args), correlationId,
                System.currentTimeMillis()));
    }

    private void dispatch(Endpoint endpoint, Delivery delivery) {
        if (delivery.expired()) {
            return;
        }
        workers.execute(() -> handle(endpoint, delivery.bytes(), this::complete));
    }

    private void handle(Endpoint endpoint, byte[] bytes, Consumer<byte[]> replyTo) {
        Envelope envelope = codec.decodeEnvelope(bytes);
        Reply reply;
        try {
            JsonNode result = endpoint.dispatch(envelope);
            reply = new Reply(envelope.correlationId(), result, null, null);
        } catch (Exception | Error e) {
            if (envelope.correlationId() == null) {
                LOG.error("bus handler for {} failed", envelope.method(), e);
            } else {
                LOG.debug("bus call {} failed", envelope.method(), e);
            }
            reply = codec.failure(envelope.correlationId(), e);
        }
        if (envelope.correlationId() != null) {
            replyTo.accept(codec.encode(reply));
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
