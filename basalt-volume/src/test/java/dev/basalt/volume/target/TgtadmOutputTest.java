package dev.basalt.volume.target;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.volume.target.TgtadmOutput.LogicalUnit;
import dev.basalt.volume.target.TgtadmOutput.Portal;
import dev.basalt.volume.target.TgtadmOutput.Target;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Outputs recorded from tgt 1.0.85 (Debian's tgt package). */
class TgtadmOutputTest {

    @Test
    void targetsWithTheirUnitsAccountsAndAcls() throws IOException {
        // three targets: one with a session, a read-write unit, an incoming and an outgoing account and
        // two ACLs; one read-only unit without account or ACL; one with only tgt's controller
        List<Target> targets = TgtadmOutput.targets(recorded("tgtadm-show-target.txt"));

        assertThat(targets).extracting(Target::tid).containsExactly(1, 2, 5);
        Target first = targets.get(0);
        assertThat(first.name()).isEqualTo("iqn.2010-10.org.openstack:volume-aaa");
        assertThat(first.luns()).containsExactly(
                new LogicalUnit(0, Optional.empty(), false),
                new LogicalUnit(1, Optional.of("/tmp/tgtplay/a.raw"), false));
        assertThat(first.accounts()).containsExactly("u1");
        assertThat(first.acls()).containsExactly("ALL", "10.0.0.1");

        Target second = targets.get(1);
        assertThat(second.lun(1)).contains(new LogicalUnit(1, Optional.of("/tmp/tgtplay/b.raw"), true));
        assertThat(second.accounts()).isEmpty();
        assertThat(second.acls()).isEmpty();

        Target controllerOnly = targets.get(2);
        assertThat(controllerOnly.name()).isEqualTo("iqn.2010-10.org.openstack:volume-empty");
        assertThat(controllerOnly.lun(1)).isEmpty();
    }

    @Test
    void noTargets() {
        assertThat(TgtadmOutput.targets("")).isEmpty();
    }

    @Test
    void aBackingStorePathWithSpacesAndColons() {
        String output = """
                Target 3: iqn.2010-10.org.openstack:volume-x
                    System information:
                        Driver: iscsi
                        State: ready
                    I_T nexus information:
                    LUN information:
                        LUN: 1
                            Type: disk
                            Readonly: No
                            Backing store type: rdwr
                            Backing store path: /srv/my volumes/a:b.raw
                            Backing store flags:\s
                    Account information:
                    ACL information:
                        ALL
                """;
        assertThat(TgtadmOutput.targets(output).getFirst().lun(1))
                .contains(new LogicalUnit(1, Optional.of("/srv/my volumes/a:b.raw"), false));
    }

    @Test
    void accountList() {
        assertThat(TgtadmOutput.accounts("""
                Account list:
                    out1
                    u1
                """)).containsExactly("out1", "u1");
        assertThat(TgtadmOutput.accounts("Account list:\n")).isEmpty();
    }

    @Test
    void portalsAndWhatTheyServe() throws Exception {
        List<Portal> portals = TgtadmOutput.portals("""
                Portal: [::]:3260,1
                Portal: 0.0.0.0:3260,1
                Portal: 127.0.0.1:3377,1
                """);
        assertThat(portals).containsExactly(new Portal("[::]", 3260), new Portal("0.0.0.0", 3260), new Portal("127.0.0.1", 3377));
        InetAddress somewhere = InetAddress.getByName("10.1.2.3");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(portals.get(1).serves(somewhere, 3260)).isTrue();
        assertThat(portals.get(0).serves(InetAddress.getByName("::1"), 3260)).isTrue();
        assertThat(portals.get(2).serves(loopback, 3377)).isTrue();
        assertThat(portals.get(2).serves(somewhere, 3377)).isFalse();
        assertThat(portals.get(2).serves(loopback, 3260)).isFalse();
    }

    @Test
    void systemState() {
        String ready = """
                System:
                    State: ready
                    debug: off
                LLDs:
                    iscsi: ready
                    iser: error
                Backing stores:
                    rdwr (bsoflags sync:direct)
                """;
        assertThat(TgtadmOutput.iscsiReady(ready)).isTrue();
        assertThat(TgtadmOutput.iscsiReady(ready.replace("iscsi: ready", "iscsi: error"))).isFalse();
    }

    @Test
    void theSmallestFreeTid() throws IOException {
        assertThat(TgtadmOutput.freeTid(List.of())).isEqualTo(1);
        assertThat(TgtadmOutput.freeTid(TgtadmOutput.targets(recorded("tgtadm-show-target.txt")))).isEqualTo(3);
    }

    private static String recorded(String name) throws IOException {
        try (InputStream in = TgtadmOutputTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
