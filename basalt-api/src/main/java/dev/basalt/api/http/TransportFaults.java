package dev.basalt.api.http;

import dev.basalt.api.Microversions;
import dev.basalt.common.Fault;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what the web server refuses before routing (a malformed request line or URI, headers
 * too large) in Cinder's fault format with Basalt's usual headers, instead of an empty body.
 */
public final class TransportFaults implements DirectHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TransportFaults.class);

    /** Direct handlers for every kind of transport-level failure. */
    public static DirectHandlers all() {
        TransportFaults handler = new TransportFaults();
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        String requestId = "req-" + UUID.randomUUID();
        Fault fault = fault(status.code());
        String text = status.code() >= 500 ? Faults.INTERNAL_MESSAGE
                : "Malformed request: " + (message == null || message.isBlank() ? status.reasonPhrase() : message);
        LOG.debug("{} refused before routing ({}): {}", requestId, eventType, message);
        byte[] body;
        try {
            body = ApiDispatcher.serialize(Faults.body(fault, text));
        } catch (IOException e) {
            body = new byte[0];
        }
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.create(Microversions.HEADER), Microversions.SERVICE + " " + Microversions.DEFAULT)
                .header(HeaderNames.VARY, Microversions.HEADER)
                .header(HeaderNames.create("x-openstack-request-id"), requestId)
                .keepAlive(eventType.keepAlive())
                .entity(body)
                .build();
    }

    private static Fault fault(int status) {
        for (Fault f : Fault.values()) {
            if (f.status() == status && f != Fault.NOT_ACCEPTABLE) {
                return f;
            }
        }
        return status >= 500 ? Fault.INTERNAL : Fault.BAD_REQUEST;
    }
}
