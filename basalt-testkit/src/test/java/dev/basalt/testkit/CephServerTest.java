package dev.basalt.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The shared cluster comes up healthy with its one OSD up and in, and the RBD user can make, list
 * and remove images in its pool with Debian's {@code rbd}, with its own keyring.
 */
class CephServerTest {

    @Test
    void startsHealthyWithOneOsdAndServesRbdToTheClientUser() throws IOException {
        CephServer ceph = CephServer.shared();
        System.out.println("ceph started in " + ceph.startupTime().toMillis() + " ms; RSS " + residentSizes(ceph));

        String status = ceph.ceph("-s");
        assertThat(status).containsAnyOf("HEALTH_OK", "HEALTH_WARN").contains("1 osds: 1 up").contains("1 in")
                .contains("mgr: x(active");
        assertThat(Files.readString(ceph.confFile())).contains("mon host = " + ceph.monHost());
        assertThat(Files.readString(ceph.clientKeyring())).contains("[" + ceph.clientName() + "]");

        ceph.rbd("create", "--size", "64M", ceph.pool() + "/ceph-server-test");
        assertThat(ceph.rbd("ls", ceph.pool()).lines()).contains("ceph-server-test");
        assertThat(ceph.rbd("info", ceph.pool() + "/ceph-server-test")).contains("size 64 MiB").contains("format: 2");
        ceph.rbd("rm", ceph.pool() + "/ceph-server-test");
        assertThat(ceph.rbd("ls", ceph.pool()).lines()).doesNotContain("ceph-server-test");
    }

    private static String residentSizes(CephServer ceph) throws IOException {
        StringBuilder sizes = new StringBuilder();
        for (long pid : ceph.pids()) {
            Path status = Path.of("/proc", Long.toString(pid), "status");
            String name = Files.readAllLines(status).getFirst().replace("Name:", "").trim();
            String rss = Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> l.replace("VmRSS:", "").trim()).findFirst().orElse("?");
            sizes.append(name).append('=').append(rss).append(' ');
        }
        return sizes.toString().trim();
    }
}
