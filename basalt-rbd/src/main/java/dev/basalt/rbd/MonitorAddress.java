package dev.basalt.rbd;

import static java.util.Objects.requireNonNull;

/**
 * Where one Ceph monitor listens, as a host's librbd is told (Cinder's RBD connection info lists
 * hosts and ports apart, ports as text).
 *
 * @param host an IP address or name, IPv6 without brackets
 * @param port the port, as text
 */
public record MonitorAddress(String host, String port) {
    public MonitorAddress {
        requireNonNull(host, "host");
        requireNonNull(port, "port");
    }
}
