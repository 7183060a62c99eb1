package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.driver.BlockIoCapable;
import dev.basalt.driver.ExportCapable;
import dev.basalt.driver.NativeConnectionCapable;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.rpc.VolumeConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The protocols a backend's volumes can be reached by, and the one a connection uses. A driver with a
 * native connection ({@link NativeConnectionCapable}, e.g. {@code rbd}) offers it first; a driver whose
 * volumes are files ({@link ExportCapable}) or block devices ({@link BlockIoCapable}) offers
 * {@code iscsi} through Basalt's target. The connector's {@code protocol} (a Basalt extension that
 * Cinder ignores) picks one; without it the first offered is used, as Cinder's driver for that
 * storage would answer.
 */
final class ConnectionProtocols {
    /** The connector key naming the protocol a host wants. */
    static final String CONNECTOR_KEY = "protocol";

    private final String backend;
    private final List<String> offered;

    ConnectionProtocols(String backend, VolumeDriver driver) {
        this.backend = requireNonNull(backend, "backend");
        List<String> protocols = new ArrayList<>();
        if (driver instanceof NativeConnectionCapable nativeDriver) {
            protocols.add(nativeDriver.driverVolumeType());
        }
        if ((driver instanceof ExportCapable || driver instanceof BlockIoCapable)
                && !protocols.contains(VolumeConnection.ISCSI)) {
            protocols.add(VolumeConnection.ISCSI);
        }
        this.offered = List.copyOf(protocols);
    }

    /** What this backend offers, the default first. */
    List<String> offered() {
        return offered;
    }

    /**
     * The protocol of a connection for this connector.
     *
     * @throws BasaltException (400) when the connector asks for one this backend cannot give, or the
     *     backend offers none
     */
    String choose(Map<String, Object> connector) {
        Object asked = connector.get(CONNECTOR_KEY);
        if (asked == null) {
            if (offered.isEmpty()) {
                throw BasaltException.badRequest("Invalid volume: the volumes of backend %s cannot be connected:"
                        + " its driver neither exports them nor offers a connection of its own.", backend);
            }
            return offered.getFirst();
        }
        String protocol = asked instanceof String s ? s.trim().toLowerCase(Locale.ROOT) : null;
        if (protocol == null || !offered.contains(protocol)) {
            throw BasaltException.badRequest("Invalid input received: the connector asks for protocol %s, which"
                    + " backend %s cannot give; it offers: %s.", asked instanceof String ? "'" + asked + "'" : asked,
                    backend, offered.isEmpty() ? "none" : String.join(", ", offered));
        }
        return protocol;
    }
}
