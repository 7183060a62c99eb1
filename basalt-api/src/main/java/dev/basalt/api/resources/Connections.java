package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.RequestContext;
import dev.basalt.bus.BusTimeoutException;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Json;
import dev.basalt.model.Volume;
import dev.basalt.rpc.InitializeConnection;
import dev.basalt.rpc.VolumeConnection;
import dev.basalt.rpc.TerminateConnection;
import dev.basalt.rpc.VolumeRpc;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Asks the volume service that owns a volume to export it for a host, or to drop the export, and
 * shapes the answer as Cinder's {@code connection_info}.
 */
public final class Connections {
    private static final TypeReference<LinkedHashMap<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private final VolumeRpc volumeServices;
    private final FrontEndQos frontEndQos;
    private final Duration timeout;

    public Connections(VolumeRpc volumeServices, FrontEndQos frontEndQos, Duration timeout) {
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
        this.frontEndQos = requireNonNull(frontEndQos, "frontEndQos");
        this.timeout = requireNonNull(timeout, "timeout");
    }

    /** Exports the volume for the connector's host and tells how to reach it. */
    VolumeConnection initialize(RequestContext context, Volume volume, Map<String, Object> connector) {
        requirePlaced(volume);
        try {
            return volumeServices.initializeConnection(volume.backend(), new InitializeConnection(volume.id(), connector,
                    context.requestId()), timeout);
        } catch (BusTimeoutException e) {
            throw unanswered(volume);
        }
    }

    /** The host is done: the export goes unless an attachment other than {@code attachmentId} uses it. */
    void terminate(RequestContext context, Volume volume, String attachmentId) {
        if (volume.host() == null) {
            return;
        }
        try {
            volumeServices.terminateConnection(volume.backend(), new TerminateConnection(volume.id(), attachmentId,
                    context.requestId()), timeout);
        } catch (BusTimeoutException e) {
            throw unanswered(volume);
        }
    }

    private static void requirePlaced(Volume volume) {
        if (volume.host() == null) {
            throw BasaltException.badRequest("Invalid volume: volume %s has no host yet, so it cannot be connected.",
                    volume.id());
        }
    }

    private BasaltException unanswered(Volume volume) {
        return new BasaltException(Fault.SERVICE_UNAVAILABLE, "The volume service " + volume.backend()
                + " did not answer within " + timeout.toSeconds() + " s; nothing was connected. Try again later.");
    }

    /** The connector of a request body: a JSON object, or a string holding one (Cinder accepts both). */
    static Map<String, Object> connector(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        JsonNode object = node;
        if (node.isTextual()) {
            try {
                object = Json.mapper().readTree(node.textValue());
            } catch (JsonProcessingException e) {
                object = null;
            }
            if (object == null || !object.isObject()) {
                throw BasaltException.badRequest("Invalid input received: the connector must be a JSON object.");
            }
        }
        return Json.mapper().convertValue(object, JSON_OBJECT);
    }

    /** The access mode a host is told: read-only volumes are always {@code ro}. */
    static String accessMode(Volume volume, String requested) {
        if (volume.readOnly()) {
            return "ro";
        }
        return requested == null || requested.equals("null") ? "rw" : requested;
    }

    /** {@code connection_info} of os-initialize_connection: {@code driver_volume_type} and {@code data}. */
    Map<String, Object> nested(VolumeConnection c, Volume volume, String accessMode) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("driver_volume_type", c.driverVolumeType());
        info.put("data", data(c, volume, accessMode));
        return info;
    }

    /**
     * {@code connection_info} of an attachment: the data's keys at the top with
     * {@code driver_volume_type}, {@code attachment_id} and {@code enforce_multipath}, as Cinder
     * stores it.
     */
    Map<String, Object> flat(VolumeConnection c, Volume volume, String accessMode, String attachmentId,
                                    Map<String, Object> connector) {
        Map<String, Object> info = data(c, volume, accessMode);
        info.put("driver_volume_type", c.driverVolumeType());
        info.put("attachment_id", attachmentId);
        info.put("enforce_multipath", Boolean.TRUE.equals(connector.get("enforce_multipath")));
        return info;
    }

    /**
     * The protocol's facts from the volume service, and what every connection carries whatever the
     * protocol (as Cinder's volume manager adds them to its driver's answer): the volume, encryption,
     * front-end QoS, the access mode and caching.
     */
    private Map<String, Object> data(VolumeConnection c, Volume volume, String accessMode) {
        Map<String, Object> data = new LinkedHashMap<>(c.data());
        data.put("volume_id", volume.id());
        data.put("encrypted", volume.encrypted());
        data.put("qos_specs", frontEndQos.forVolume(volume));
        data.put("access_mode", accessMode);
        data.putIfAbsent("cacheable", false);
        data.putIfAbsent("discard", false);
        return data;
    }
}
