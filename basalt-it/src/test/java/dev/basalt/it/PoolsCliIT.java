package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pools and capabilities of an all-in-one Basalt with two backends ({@code enabled_backends}),
 * through Debian's {@code cinder get-pools [--detail] [--filters]} and {@code cinder get-capabilities}.
 * Debian's {@code openstack volume backend pool list} and {@code … capability show} are volume API 2
 * commands only, which its client refuses ("Version 2 is not supported"), so they cannot be run here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoolsCliIT {
    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth("enabled_backends = fast,slow\n"
            + "[fast]\nvolume_backend_name = fast\n[slow]\nvolume_backend_name = slow\n");
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        cli = basalt.cli("admin", "p1");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> poolNames().size() == 2);
    }

    private List<String> poolNames() throws Exception {
        List<String> names = new ArrayList<>();
        for (String pool : List.of("it-host@fast#fast", "it-host@slow#slow")) {
            if (cli.cinder("get-pools").ok().stdout().contains(pool)) {
                names.add(pool);
            }
        }
        return names;
    }

    @Test
    void cinderGetPools() throws Exception {
        String plain = cli.cinder("get-pools").ok().stdout();
        assertThat(plain).contains("it-host@fast#fast").contains("it-host@slow#slow");
        String detail = cli.cinder("get-pools", "--detail").ok().stdout();
        assertThat(detail).contains("total_capacity_gb").contains("max_over_subscription_ratio")
                .contains("volume_backend_name").contains("| slow").contains("QoS_support");
        String filtered = cli.cinder("--os-volume-api-version", "3.33", "get-pools", "--filters",
                "name=it-host@slow#slow").ok().stdout();
        assertThat(filtered).contains("it-host@slow#slow").doesNotContain("it-host@fast#fast");
    }

    @Test
    void capabilitiesOfABackend() throws Exception {
        String shown = cli.cinder("get-capabilities", "it-host@fast").ok().stdout();
        assertThat(shown).contains("OS::Storage::Capabilities::it-host@fast").contains("thin_provisioning")
                .contains("iSCSI");
        assertThat(cli.cinder("get-capabilities", "it-host").ok().stdout()).as("a host finds its first backend")
                .contains("OS::Storage::Capabilities::it-host@");
        Cli.Result unknown = cli.cinder("get-capabilities", "nowhere");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("Can't find service: nowhere").contains("HTTP 404");
    }
}
