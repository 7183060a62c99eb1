package dev.basalt.bus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The queues of the in-JVM bus, as a broker holds them, shared by the {@link InJvmBus} clients made
 * from one another. A queue hands a message to one of its servers that has a free handler slot,
 * round-robin; with no such server the message waits. A server has a queue per topic it shares, its
 * own {@code topic.server} queue and a private queue for the topic's fanouts. A message stays
 * unacknowledged until its handler finished; if its server goes away first it goes back to the head
 * of its queue, so another server gets it.
 */
final class InJvmBroker {
    /**
     * A queued message: its bytes, when it stops being worth delivering (0: never), where the reply
     * of a call goes (null for a cast), and whether a server took it before without finishing it.
     */
    record Delivery(byte[] bytes, long expiresAtMillis, Consumer<byte[]> replyTo, boolean redelivered) {
        /** A message never delivered yet. */
        Delivery(byte[] bytes, long expiresAtMillis, Consumer<byte[]> replyTo) {
            this(bytes, expiresAtMillis, replyTo, false);
        }

        boolean expired() {
            return expiresAtMillis > 0 && System.currentTimeMillis() > expiresAtMillis;
        }

        /** The same message, back in its queue after a server gave it up. */
        Delivery again() {
            return redelivered ? this : new Delivery(bytes, expiresAtMillis, replyTo, true);
        }
    }

    /** Runs one delivery's handler; calls {@link InJvmBroker#settle} when it finished. */
    interface Worker {
        void run(LocalServer server, Unacked unacked);
    }

    /** A delivery a server has taken and not finished: identity matters, not value. */
    static final class Unacked {
        final Delivery delivery;
        final LocalQueue origin;

        Unacked(Delivery delivery, LocalQueue origin) {
            this.delivery = delivery;
            this.origin = origin;
        }
    }

    private final class LocalQueue {
        private final Deque<Delivery> waiting = new ArrayDeque<>();
        private final List<LocalServer> servers = new ArrayList<>();
        private int next;

        LocalServer nextWithRoom() {
            for (int i = 0; i < servers.size(); i++) {
                LocalServer server = servers.get(Math.floorMod(next++, servers.size()));
                if (server.hasRoom()) {
                    return server;
                }
            }
            return null;
        }
    }

    /** One {@link Bus#serve} registration: its queues, its handler slots, what it has taken. */
    final class LocalServer {
        final Endpoint endpoint;
        private final int slots;
        private final Executor executor;
        private final Worker worker;
        private final String topic;
        private final List<LocalQueue> queues = new ArrayList<>();
        private final LocalQueue fanouts = new LocalQueue();
        private final Set<Unacked> unacked = new LinkedHashSet<>();
        private boolean closed;

        private LocalServer(String topic, Endpoint endpoint, int slots, Executor executor, Worker worker) {
            this.topic = topic;
            this.endpoint = endpoint;
            this.slots = slots;
            this.executor = executor;
            this.worker = worker;
        }

        private boolean hasRoom() {
            return !closed && unacked.size() < slots;
        }

        private void take(Delivery delivery, LocalQueue origin) {
            Unacked taken = new Unacked(delivery, origin);
            unacked.add(taken);
            try {
                executor.execute(() -> worker.run(this, taken));
            } catch (RejectedExecutionException e) {
                // this server's bus is closing: the message waits for another server
                unacked.remove(taken);
                origin.waiting.addFirst(delivery);
                closed = true;
            }
        }
    }

    private final Map<String, LocalQueue> queues = new HashMap<>();
    private final Map<String, List<LocalServer>> fanoutListeners = new HashMap<>();

    /** Queues {@code delivery} on {@code queueName} and hands it to a server with room, if any. */
    synchronized void publish(String queueName, Delivery delivery) {
        LocalQueue queue = queue(queueName);
        queue.waiting.add(delivery);
        pump(queue);
    }

    /** Queues {@code delivery} for every server of {@code topic} serving now. */
    synchronized void fanout(String topic, Delivery delivery) {
        for (LocalServer server : fanoutListeners.getOrDefault(topic, List.of())) {
            server.fanouts.waiting.add(delivery);
            pump(server.fanouts);
        }
    }

    /** Registers a server of {@code topic} on the shared queue, its own queue and the topic's fanouts. */
    synchronized LocalServer serve(String topic, String server, Endpoint endpoint, int slots, Executor executor,
            Worker worker) {
        LocalServer registered = new LocalServer(topic, endpoint, slots, executor, worker);
        registered.queues.add(queue(Address.of(topic, server).queueName()));
        registered.queues.add(queue(Address.anyOf(topic).queueName()));
        registered.queues.add(registered.fanouts);
        registered.fanouts.servers.add(registered);
        fanoutListeners.computeIfAbsent(topic, t -> new ArrayList<>()).add(registered);
        for (LocalQueue queue : registered.queues) {
            if (queue != registered.fanouts) {
                queue.servers.add(registered);
            }
            pump(queue);
        }
        return registered;
    }

    /** The handler of {@code unacked} finished: the message is acknowledged and the server takes more. */
    synchronized void settle(LocalServer server, Unacked unacked) {
        if (server.unacked.remove(unacked)) {
            server.queues.forEach(this::pump);
        }
    }

    /** The handler of {@code unacked} failed for a passing reason: the message goes back to the end of its queue. */
    synchronized void requeue(LocalServer server, Unacked unacked) {
        if (server.unacked.remove(unacked)) {
            unacked.origin.waiting.add(unacked.delivery.again());
            pump(unacked.origin);
            server.queues.forEach(this::pump);
        }
    }

    /**
     * {@code server} takes no more messages. With {@code requeue}, what it took and has not finished
     * goes back to the head of its queue (its handlers may still run; handlers are idempotent);
     * otherwise its running handlers finish and acknowledge as usual.
     */
    synchronized void close(LocalServer server, boolean requeue) {
        if (server.closed && !requeue) {
            return;
        }
        server.closed = true;
        for (LocalQueue queue : server.queues) {
            queue.servers.remove(server);
        }
        List<LocalServer> listeners = fanoutListeners.get(server.topic);
        if (listeners != null) {
            listeners.remove(server);
        }
        if (!requeue) {
            return;
        }
        List<Unacked> taken = new ArrayList<>(server.unacked);
        server.unacked.clear();
        for (int i = taken.size() - 1; i >= 0; i--) {
            Unacked unacked = taken.get(i);
            if (unacked.origin != server.fanouts) {
                unacked.origin.waiting.addFirst(unacked.delivery.again());
            }
        }
        for (Unacked unacked : taken) {
            pump(unacked.origin);
        }
    }

    private LocalQueue queue(String name) {
        return queues.computeIfAbsent(name, n -> new LocalQueue());
    }

    private void pump(LocalQueue queue) {
        while (!queue.waiting.isEmpty()) {
            LocalServer server = queue.nextWithRoom();
            if (server == null) {
                return;
            }
            Delivery delivery = queue.waiting.poll();
            if (!delivery.expired()) {
                server.take(delivery, queue);
            }
        }
    }
}
