package dev.basalt.bus;

import java.time.Duration;

/**
 * How Basalt's roles talk: one-way casts, request/reply calls and fanouts, all carrying JSON.
 * Arguments and replies are plain records (or anything Jackson maps); they cross the bus as JSON
 * even within one JVM, so a role never depends on which transport carries it.
 */
public interface Bus extends AutoCloseable {

    /** Sends without waiting; the message waits for a server if none is listening yet. */
    void cast(Address to, String method, Object args);

    /**
     * Sends and waits for the reply. A failure raised by the handler comes back as the same
     * {@link dev.basalt.common.BasaltException} fault; no reply in time is a {@link BusTimeoutException}.
     */
    <T> T call(Address to, String method, Object args, Class<T> replyType, Duration timeout);

    /** Sends to every server of the topic that is listening now. */
    void fanout(String topic, String method, Object args);

    /**
     * Serves {@code endpoint} as {@code server} of {@code topic}: it receives messages sent to the
     * topic (shared with the topic's other servers), to {@code topic.server}, and the topic's fanouts.
     */
    Subscription serve(String topic, String server, Endpoint endpoint);

    @Override
    void close();
}
