package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration Basalt cannot run with refuses to start, saying where the problem is. */
class StartupIT {
    @TempDir
    Path temp;

    private record Outcome(int exitCode, String output) {
    }

    private Outcome run(String config) throws Exception {
        return run("all", config);
    }

    private Outcome run(String role, String config) throws Exception {
        Path file = temp.resolve("bad.conf");
        Files.writeString(file, config);
        Path jar = Path.of(System.getProperty("basalt.jar", "../basalt-server/target/basalt.jar")).toAbsolutePath();
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), role, "--config-file", file.toString()))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), output);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void malformedValueNamesFileSectionAndOption() throws Exception {
        Outcome o = run("[DEFAULT]\nstate_path = " + temp.resolve("s") + "\nosapi_volume_listen_port = abc\n");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.output()).contains("bad.conf").contains("[DEFAULT]").contains("osapi_volume_listen_port")
                .contains("abc");
    }

    @Test
    void unknownDriverIsRefused() throws Exception {
        Outcome o = run("[DEFAULT]\nstate_path = " + temp.resolve("s") + "\nosapi_volume_listen_port = " + freePort() + "\n"
                + "enabled_backends = b1\n[b1]\nvolume_driver = cinder.volume.drivers.nosuch.Driver\n");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.output()).contains("[b1] volume_driver").contains("unknown driver");
    }

    @Test
    void aPolicyRuleThatRefersToAnUnknownRuleRefusesToStartNamingIt() throws Exception {
        Files.writeString(temp.resolve("policy.yaml"), "\"volume:create\": \"rule:admin_api or rule:no_such_rule\"\n");
        Outcome o = run("[DEFAULT]\nstate_path = " + temp.resolve("s") + "\nosapi_volume_listen_port = " + freePort()
                + "\n[oslo_policy]\npolicy_file = policy.yaml\n");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.output()).contains("volume:create").contains("rule:no_such_rule").contains("policy.yaml");
    }

    @Test
    void aMissingPolicyFileRefusesToStart() throws Exception {
        Outcome o = run("[DEFAULT]\nstate_path = " + temp.resolve("s") + "\nosapi_volume_listen_port = " + freePort()
                + "\n[oslo_policy]\npolicy_file = nowhere.yaml\n");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.output()).contains("[oslo_policy] policy_file = nowhere.yaml: no such file");
    }

    @Test
    void keystoneWithoutItsServiceUserRefusesToStart() throws Exception {
        Outcome o = run("[DEFAULT]\nstate_path = " + temp.resolve("s") + "\nosapi_volume_listen_port = " + freePort()
                + "\nauth_strategy = keystone\n[keystone_authtoken]\nauth_url = http://127.0.0.1:5000/v3\n");
        assertThat(o.exitCode()).isEqualTo(2);
        assertThat(o.output()).contains("[keystone_authtoken] username, password, project_name are not set");
    }

    @Test
    void aRoleAloneWithoutABrokerRefusesToStartNamingTransportUrl() throws Exception {
        for (String role : List.of("api", "scheduler", "volume", "backup")) {
            Outcome o = run(role, "[DEFAULT]\nstate_path = " + temp.resolve("s") + "\nosapi_volume_listen_port = "
                    + freePort() + "\n");
            assertThat(o.exitCode()).as(role).isEqualTo(2);
            assertThat(o.output()).as(role).contains("[DEFAULT] transport_url is not set").contains("basalt all")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void anUnreachableBrokerOrDatabaseRefusesToStartInOneLineWithoutThePassword() throws Exception {
        int nobody = freePort();
        Outcome broker = run("api", "[DEFAULT]\nstate_path = " + temp.resolve("s") + "\ntransport_url = rabbit://basalt:"
                + "s3cret@127.0.0.1:" + nobody + "/\n[database]\nconnection = postgresql://basalt:s3cret@127.0.0.1:"
                + nobody + "/basalt\n");
        assertThat(broker.exitCode()).isEqualTo(2);
        assertThat(broker.output()).contains("[DEFAULT] transport_url = rabbit://basalt:***@127.0.0.1:" + nobody)
                .doesNotContain("s3cret").doesNotContain("Exception");
        assertThat(broker.output().strip().lines()).hasSize(1);

        Outcome database = run("all", "[DEFAULT]\nstate_path = " + temp.resolve("s") + "\nosapi_volume_listen_port = "
                + freePort() + "\n[database]\nconnection = mysql+pymysql://basalt:s3cret@127.0.0.1:" + nobody
                + "/basalt\n");
        assertThat(database.exitCode()).isEqualTo(2);
        assertThat(database.output()).contains("[database] connection = mysql+pymysql://basalt:***@127.0.0.1:" + nobody)
                .contains("cannot connect").doesNotContain("s3cret").doesNotContain("Exception");

        Outcome scheme = run("all", "[DEFAULT]\nstate_path = " + temp.resolve("s") + "\ntransport_url = kafka://k:9092/\n");
        assertThat(scheme.exitCode()).isEqualTo(2);
        assertThat(scheme.output()).contains("[DEFAULT] transport_url = kafka://k:9092/").contains("unsupported transport");
    }
}
