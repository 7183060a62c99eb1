package dev.basalt.bus;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one received message through a server's {@link Endpoint}, the same way on every transport:
 * a call gets its reply (the result, or the handler's failure as its fault), a cast's failure is
 * logged. A message that cannot even be decoded is logged and dropped: delivering it again would
 * fail again.
 */
public final class EndpointRunner {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointRunner.class);

    private final MessageCodec codec;
    private final BusMeters meters;

    /** A runner that counts nothing. */
    public EndpointRunner(MessageCodec codec) {
        this(codec, BusMeters.none());
    }

    /** A runner that counts what it handles, and redeliveries, in {@code meters}. */
    public EndpointRunner(MessageCodec codec, BusMeters meters) {
        this.codec = requireNonNull(codec, "codec");
        this.meters = requireNonNull(meters, "meters");
    }

    /** Handles {@code message}; returns the encoded reply for a call, null for a cast or an undecodable message. */
    public byte[] run(Endpoint endpoint, byte[] message) {
        return run(endpoint, message, false);
    }

    /**
     * Handles {@code message}, which the transport says it delivered before ({@code redelivered}) or
     * not; returns the encoded reply for a call, null for a cast or an undecodable message.
     */
    public byte[] run(Endpoint endpoint, byte[] message, boolean redelivered) {
        long started = System.nanoTime();
        Envelope envelope;
        try {
            envelope = codec.decodeEnvelope(message);
        } catch (RuntimeException e) {
            LOG.error("dropped a bus message that is not a Basalt envelope ({} bytes): {}", message.length, e.toString());
            meters.handled(BusMeters.UNKNOWN_METHOD, false, System.nanoTime() - started);
            return null;
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
            if (envelope.correlationId() == null) {
                LOG.error("bus handler for {} {} failed", envelope.method(), envelope.version(), e);
            } else {
                LOG.debug("bus call {} {} failed", envelope.method(), envelope.version(), e);
            }
            reply = codec.failure(envelope.correlationId(), e);
        }
        meters.handled(method, ok, System.nanoTime() - started);
        return envelope.correlationId() == null ? null : codec.encode(reply);
    }
}
