package dev.basalt.rbd;

import dev.basalt.testkit.CephServer;
import java.time.Duration;
import java.util.UUID;

/** The JVM's single-node Ceph (started on first use) and how these tests reach it as its RBD user. */
final class SharedCeph {
    private SharedCeph() {
    }

    static CephServer server() {
        return CephServer.shared();
    }

    /** The RBD user's settings, with a 10 s timeout. */
    static RadosSettings settings() {
        CephServer ceph = server();
        return RadosSettings.of(ceph.confFile(), ceph.clientName(), ceph.clientKeyring(), Duration.ofSeconds(10));
    }

    /** An image name no other test uses. */
    static String imageName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
