package dev.basalt.rpc;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a host reaches an exported volume: the reply to {@link InitializeConnection}. As Cinder's
 * {@code connection_info}, a protocol ({@code driver_volume_type}: {@code iscsi}, {@code rbd}, ...)
 * and the facts of that protocol ({@code data}: for iSCSI the portal, target, LUN and CHAP
 * credentials; for RBD the image, monitors and user). The api adds what every protocol carries
 * (volume id, access mode, QoS, encryption) before a host sees it.
 *
 * @param driverVolumeType the protocol, as Cinder names it
 * @param data             the protocol's facts under Cinder's keys, in the order given
 */
public record VolumeConnection(String driverVolumeType, Map<String, Object> data) {
    /** Cinder's {@code driver_volume_type} of an iSCSI export. */
    public static final String ISCSI = "iscsi";

    public VolumeConnection {
        requireNonNull(driverVolumeType, "driverVolumeType");
        requireNonNull(data, "data");
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /**
     * An iSCSI export as Cinder's iSCSI drivers describe one: portal {@code host:port}, target name,
     * LUN, and CHAP credentials ({@code authMethod} {@code CHAP}, or {@code None} without them).
     */
    public static VolumeConnection iscsi(String portal, String iqn, int lun, String authMethod, String user,
                                         String password) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("target_discovered", false);
        data.put("target_portal", portal);
        data.put("target_iqn", iqn);
        data.put("target_lun", lun);
        data.put("auth_method", authMethod);
        data.put("auth_username", user);
        data.put("auth_password", password);
        data.put("discard", true);
        return new VolumeConnection(ISCSI, data);
    }

    /** Without secrets: the protocol and, for iSCSI, where the target is. */
    @Override
    public String toString() {
        return "VolumeConnection[" + driverVolumeType + (ISCSI.equals(driverVolumeType)
                ? " " + data.get("target_portal") + " " + data.get("target_iqn") + " lun " + data.get("target_lun")
                : "") + "]";
    }
}
