package dev.basalt.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Turns envelopes and replies into JSON bytes and back; shared by every transport. */
public final class MessageCodec {
    private final ObjectMapper mapper = Json.mapper();

    public byte[] encode(Envelope envelope) {
        return write(envelope);
    }

    /** The bytes of a message of {@code method} with {@code args}; {@code correlationId} for a call, null otherwise. */
    public byte[] encode(RpcMethod<?, ?> method, Object args, String correlationId) {
        return encode(new Envelope(method.name(), method.version(), toTree(args), correlationId,
                System.currentTimeMillis()));
    }

    public Envelope decodeEnvelope(byte[] bytes) {
        return read(bytes, Envelope.class);
    }

    public byte[] encode(Reply reply) {
        return write(reply);
    }

    public Reply decodeReply(byte[] bytes) {
        return read(bytes, Reply.class);
    }

    public JsonNode toTree(Object value) {
        return mapper.valueToTree(value);
    }

    public <T> T fromTree(JsonNode node, Class<T> type) {
        if (type == Void.class || node == null || node.isNull()) {
            return null;
        }
        try {
            return mapper.treeToValue(node, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reply for a handler's failure: a Basalt fault keeps its kind, anything else is internal. */
    public Reply failure(String correlationId, Throwable error) {
        if (error instanceof BasaltException be) {
            return new Reply(correlationId, null, be.fault().name(), be.getMessage());
        }
        return new Reply(correlationId, null, Fault.INTERNAL.name(), String.valueOf(error));
    }

    /** Raises the failure a reply carries, as the same fault the handler raised. */
    public BasaltException toException(Reply reply) {
        Fault fault;
        try {
            fault = Fault.valueOf(reply.fault());
        } catch (IllegalArgumentException e) {
            fault = Fault.INTERNAL;
        }
        return new BasaltException(fault, reply.message());
    }

    private byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(byte[] bytes, Class<T> type) {
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
