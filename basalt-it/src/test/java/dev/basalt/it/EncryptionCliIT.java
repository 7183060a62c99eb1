package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Volume type encryption through Debian's {@code cinder encryption-type-*} and {@code openstack
 * volume type … --encryption-*} against a real {@code basalt all} with Cinder's fixed-key manager,
 * and volumes of an encrypted type that show {@code encrypted} True, also in the connection info a
 * host gets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptionCliIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth("[key_manager]\n"
            + "backend = cinder.keymgr.conf_key_mgr.ConfKeyManager\n"
            + "fixed_key = " + "0123456789abcdef".repeat(4) + "\n");
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        cli = basalt.cli("u1", "p1");
    }

    private String availableVolume(String type) throws Exception {
        String id = cli.cinderProperties("create", "--volume-type", type, "1").get("id");
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> cli.cinderProperties("show", id).get("status"), "available"::equals);
        return id;
    }

    @Test
    void cinderEncryptionTypeCommands() throws Exception {
        String typeId = cli.cinderRecords("type-create", "cli-luks").get(0).get("ID");

        Map<String, String> created = cli.cinderRecords("encryption-type-create", "--cipher", "aes-xts-plain64",
                "--key-size", "256", "--control-location", "front-end", "cli-luks", "luks").get(0);
        assertThat(created).containsEntry("Volume Type ID", typeId).containsEntry("Provider", "luks")
                .containsEntry("Cipher", "aes-xts-plain64").containsEntry("Key Size", "256")
                .containsEntry("Control Location", "front-end");
        Map<String, String> shown = cli.cinderRecords("encryption-type-show", "cli-luks").get(0);
        assertThat(shown).containsEntry("Volume Type ID", typeId).containsEntry("Provider", "luks");
        assertThat(cli.cinderRecords("encryption-type-list")).anyMatch(r -> typeId.equals(r.get("Volume Type ID")));

        cli.cinder("encryption-type-update", "--key-size", "512", "--control-location", "back-end", "cli-luks").ok();
        shown = cli.cinderRecords("encryption-type-show", "cli-luks").get(0);
        assertThat(shown).containsEntry("Key Size", "512").containsEntry("Control Location", "back-end")
                .containsEntry("Cipher", "aes-xts-plain64");

        Cli.Result twice = cli.cinder("encryption-type-create", "cli-luks", "luks");
        assertThat(twice.exitCode()).isNotZero();
        assertThat(twice.stderr()).contains("Volume type encryption for type " + typeId + " already exists.")
                .contains("HTTP 400");

        String volume = availableVolume("cli-luks");
        assertThat(cli.cinderProperties("show", volume).get("encrypted")).isEqualTo("True");
        Map<String, String> attached = cli.cinderProperties("--os-volume-api-version", "3.54", "attachment-create",
                "--connect", "True", "--initiator", "iqn.1993-08.org.debian:01:encryption", "--ip", "127.0.0.1",
                "--host", "encryption-compute", volume);
        assertThat(attached).as("the host is told to decrypt").containsEntry("encrypted", "True");
        cli.cinder("--os-volume-api-version", "3.54", "attachment-delete", attached.get("id")).ok();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> cli.cinderProperties("show", volume).get("status"), "available"::equals);
        Cli.Result inUse = cli.cinder("encryption-type-delete", "cli-luks");
        assertThat(inUse.exitCode()).isNotZero();
        assertThat(inUse.stderr()).contains("Cannot delete encryption specs. Volume type in use.").contains("HTTP 400");

        cli.cinder("delete", volume).ok();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> cli.cinder("show", volume).exitCode() != 0);
        cli.cinder("encryption-type-delete", "cli-luks").ok();
        assertThat(cli.cinderRecords("encryption-type-list")).noneMatch(r -> typeId.equals(r.get("Volume Type ID")));
        String clear = availableVolume("cli-luks");
        assertThat(cli.cinderProperties("show", clear).get("encrypted")).isEqualTo("False");
    }

    @Test
    void openstackVolumeTypeWithEncryption() throws Exception {
        JsonNode created = cli.openstackJson("volume", "type", "create", "--encryption-provider", "luks",
                "--encryption-cipher", "aes-xts-plain64", "--encryption-key-size", "256",
                "--encryption-control-location", "front-end", "os-luks");
        assertThat(created.get("name").asText()).isEqualTo("os-luks");

        JsonNode shown = cli.openstackJson("volume", "type", "show", "--encryption-type", "os-luks");
        JsonNode encryption = shown.get("encryption");
        assertThat(encryption.get("provider").asText()).isEqualTo("luks");
        assertThat(encryption.get("cipher").asText()).isEqualTo("aes-xts-plain64");
        assertThat(encryption.get("key_size").asInt()).isEqualTo(256);
        assertThat(encryption.get("control_location").asText()).isEqualTo("front-end");
        assertThat(cli.openstackJson("volume", "type", "show", "os-luks").has("encryption"))
                .as("only with --encryption-type").isFalse();

        JsonNode volume = cli.openstackJson("volume", "create", "--type", "os-luks", "--size", "1", "os-encrypted");
        String id = volume.get("id").asText();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> cli.openstackJson("volume", "show", id).get("status").asText(), "available"::equals);
        assertThat(cli.openstackJson("volume", "show", id).get("encrypted").asBoolean()).isTrue();
    }
}
