package dev.basalt.driver.rbd;

import dev.basalt.driver.VolumeClear;
import dev.basalt.testkit.CephServer;
import java.time.Duration;
import java.util.Optional;

/** Settings of drivers on the JVM's single-node Ceph, as its RBD user. */
final class RbdTestSupport {
    private RbdTestSupport() {
    }

    static RbdDriverSettings settings() {
        return settings(5, false);
    }

    static RbdDriverSettings settings(int maxCloneDepth, boolean flattenFromSnapshot) {
        CephServer ceph = CephServer.shared();
        return new RbdDriverSettings(ceph.pool(), ceph.clientName(), ceph.confFile(), "ceph",
                Optional.of(ceph.clientKeyring()), Optional.empty(), flattenFromSnapshot, maxCloneDepth, 22,
                Optional.of(Duration.ofSeconds(5)), true, VolumeClear.ZERO, "ceph",
                Optional.of(CephServer.CLIENT_ID), 2, Duration.ofSeconds(1));
    }
}
