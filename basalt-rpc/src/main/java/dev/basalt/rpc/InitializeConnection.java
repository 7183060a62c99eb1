package dev.basalt.rpc;

import java.util.Map;

/**
 * Asks the volume service that owns a volume to export it (if it is not yet) and to say how a host
 * reaches it. {@code connector} is what the host told about itself (initiator, ip, host, …).
 */
public record InitializeConnection(String volumeId, Map<String, Object> connector, String requestId) {
    public InitializeConnection {
        connector = connector == null ? Map.of() : connector;
    }
}
