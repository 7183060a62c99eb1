package dev.basalt.bus;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one received message through a server's {@link Endpoint}, the same way on every transport:
 * a call gets its reply (the result, or the handler's failure as its fault), a cast's failure is
 * logged. A cast whose handler failed for a passing reason (the transport's
 * {@link BusOptions#redeliverWhen}, such as the database being out of reach) is to be delivered
 * again, so its work is not lost; handlers are idempotent. A message that cannot even be decoded is
 * logged and dropped: delivering it again would fail again. Counts what it handles in its
 * {@link BusMeters}.
 */
public final class EndpointRunner {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointRunner.class);

    /**
     * What became of a message: the encoded reply of a call (null for a cast or an undecodable
     * message), and whether the transport is to deliver it again instead of acknowledging it.
     */
    public record Handled(byte[] reply, boolean redeliver) {
        static final Handled DONE = new Handled(null, false);
        static final Handled AGAIN = new Handled(null, true);
    }

    private final MessageCodec codec;
    private final BusMeters meters;
    private final Predicate<Throwable> redeliverWhen;

    /** A runner that counts nothing and delivers nothing again. */
    public EndpointRunner(MessageCodec codec) {
        this(codec, BusMeters.none(), failure -> false);
    }

    /** A runner that counts what it handles, and redeliveries, in {@code meters}. */
    public EndpointRunner(MessageCodec codec, BusMeters meters, Predicate<Throwable> redeliverWhen) {
        this.codec = requireNonNull(codec, "codec");
        this.meters = requireNonNull(meters, "meters");
        this.redeliverWhen = requireNonNull(redeliverWhen, "redeliverWhen");
    }

    /** Handles {@code message}, delivered for the first time. */
    public Handled run(Endpoint endpoint, byte[] message) {
        return run(endpoint, message, false);
    }

    /**
     * Handles {@code message}, which the transport says it delivered before ({@code redelivered}) or
     * not: its reply, or that it is to be delivered again.
     */
    public Handled run(Endpoint endpoint, byte[] message, boolean redelivered) {
        long started = System.nanoTime();
        Envelope envelope;
        try {
            envelope = codec.decodeEnvelope(message);
        } catch (RuntimeException e) {
            LOG.error("dropped a bus message that is not a Basalt envelope ({} bytes): {}", message.length, e.toString());
            meters.handled(BusMeters.UNKNOWN_METHOD, false, System.nanoTime() - started);
            return Handled.DONE;
        }
        String method = endpoint.answers(envelope.method()) ? envelope.method() : BusMeters.UNKNOWN_METHOD;
        if (redelivered) {
            meters.redelivered(method);
        }
        Reply reply;
        boolean ok = false;
        try {
            JsonNode result = endpoint.dispatch(envelope);
            reply = new Reply(envelope.correlationId(), result, null, null);
            ok = true;
        } catch (Exception | Error e) {
            if (envelope.correlationId() == null && redeliverWhen.test(e)) {
                LOG.warn("bus handler for {} {} failed for a passing reason, delivering it again: {}", envelope.method(),
                        envelope.version(), e.toString());
                meters.handled(method, false, System.nanoTime() - started);
                return Handled.AGAIN;
            }
            if (envelope.correlationId() == null) {
                LOG.error("bus handler for {} {} failed", envelope.method(), envelope.version(), e);
            } else {
                LOG.debug("bus call {} {} failed", envelope.method(), envelope.version(), e);
            }
            reply = codec.failure(envelope.correlationId(), e);
        }
        meters.handled(method, ok, System.nanoTime() - started);
        return envelope.correlationId() == null ? Handled.DONE : new Handled(codec.encode(reply), false);
    }
}
