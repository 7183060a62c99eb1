package dev.basalt.bus;

import java.time.Duration;

/**
 * How Basalt's roles talk: one-way casts, request/reply calls and fanouts, all carrying JSON.
 * Each message is a method of a role's contract ({@link RpcMethod}); arguments and replies are
 * records that cross the bus as JSON even within one JVM, so a role never depends on which
 * transport carries it. Callers use the typed client of a role, not the bus directly.
 */
public interface Bus extends AutoCloseable {

    /** Sends without waiting; the message waits for a server if none is listening yet. */
    <A> void cast(Address to, RpcMethod<A, ?> method, A args);

    /**
     * Sends and waits for the reply. A failure raised by the handler comes back as the same
     * {@link dev.basalt.common.BasaltException} fault; no reply in time is a {@link BusTimeoutException}.
     */
    <A, R> R call(Address to, RpcMethod<A, R> method, A args, Duration timeout);

    /** Sends to every server of the topic that is listening now. */
    <A> void fanout(String topic, RpcMethod<A, ?> method, A args);

    /**
     * Serves {@code endpoint} as {@code server} of {@code topic}: it receives messages sent to the
     * topic (shared with the topic's other servers), to {@code topic.server}, and the topic's fanouts.
     */
    Subscription serve(String topic, String server, Endpoint endpoint);

    /** False while the transport cannot reach its broker (always true in one JVM). */
    default boolean isConnected() {
        return true;
    }

    @Override
    void close();
}
