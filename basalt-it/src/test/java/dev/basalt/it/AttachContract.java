package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attach end to end, as a compute host does it, whatever the target: {@code cinder
 * attachment-create --connect} on a real {@code basalt all}, then real initiators (QEMU and
 * libiscsi's tools) log in with the connection info the client printed, write and read, and the
 * bytes are checked in the volume's file. Wrong credentials are refused; after the attachment is
 * deleted the export is gone; a restart serves the export again with the same credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AttachContract {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String VERSION = "3.54";
    private static final String SERVER = "6f1f6c2e-3c4b-4d8a-9f0e-2a1b3c4d5e6f";
    private static final String INITIATOR = "iqn.2024-01.dev.basalt:it-compute";
    private static final long MIB = 1L << 20;

    @TempDir
    static Path temp;
    private BasaltProcess basalt;
    private Cli cli;

    /** Starts what the target needs, and answers the configuration lines that select it. */
    abstract String startTarget(Path dir) throws Exception;

    /** The portal initiators are sent to. */
    abstract String portal(BasaltProcess basalt);

    /** Stops what {@link #startTarget} started. */
    void stopTarget() throws Exception {
    }

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        Initiators.require();
        String config = startTarget(temp);
        basalt = new BasaltProcess(temp.resolve("state"), config).start();
        cli = new Cli(basalt.endpoint(), "u1", "p1");
    }

    @AfterAll
    void stop() throws Exception {
        if (basalt != null) {
            basalt.stop();
        }
        stopTarget();
    }

    private Map<String, String> cinder(String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("--os-volume-api-version", VERSION));
        line.addAll(List.of(args));
        return Tables.properties(cli.cinder(line.toArray(String[]::new)).ok().stdout());
    }

    private String availableVolume(String name) throws Exception {
        String id = cinder("create", "--name", name, "1").get("id");
        new Statuses(cli.api(), PATIENCE).volume(id, "available");
        return id;
    }

    private Map<String, String> connect(String volume) throws Exception {
        return cinder("attachment-create", "--connect", "True", "--initiator", INITIATOR, "--ip", "127.0.0.1",
                "--host", "it-compute", "--mountpoint", "/dev/vdb", volume, SERVER);
    }

    private static String url(Map<String, String> info, String secret) {
        return Initiators.url(info.get("target_portal"), info.get("target_iqn"), info.get("target_lun"),
                info.get("auth_username"), secret);
    }

    /** The run's standard output, once it is known to have succeeded. */
    private static byte[] read(Path file, long offset, int length) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // keep reading
            }
        }
        return buffer.array();
    }

    @Test
    void aHostWritesAndReadsThroughTheConnectionInfoItWasGiven() throws Exception {
        String id = availableVolume("attached");
        Map<String, String> info = connect(id);
        assertThat(info).containsEntry("status", "attaching").containsEntry("driver_volume_type", "iscsi")
                .containsEntry("target_iqn", "iqn.2010-10.org.openstack:volume-" + id)
                .containsEntry("target_portal", portal(basalt))
                .containsEntry("auth_method", "CHAP").containsEntry("access_mode", "rw");
        String attachment = info.get("id");
        String url = url(info, info.get("auth_password"));

        assertThat(Initiators.ok(Initiators.qemuIo(url, "write -P 0x5a 1M 4M"))).contains("wrote 4194304/4194304");
        assertThat(Initiators.ok(Initiators.qemuIo(url, "read -P 0x5a 1M 4M"))).contains("read 4194304/4194304");
        assertThat(Initiators.ok(Initiators.run("iscsi-readcapacity16", "-s", url))).contains("1073741824");
        assertThat(Initiators.ok(Initiators.run("iscsi-inq", "-e", "1", "-c", "128", url))).contains(id);

        Path file = basalt.volumesDir().resolve("volume-" + id);
        assertThat(read(file, MIB, (int) (4 * MIB))).containsOnly((byte) 0x5a);
        assertThat(read(file, 0, (int) MIB)).containsOnly((byte) 0);
        assertThat(read(file, 5 * MIB, (int) MIB)).containsOnly((byte) 0);

        assertThat(Initiators.qemuIo(url(info, "not-the-secret"), "read 0 512").exitCode()).isNotZero();
        assertThat(Initiators.run("iscsi-inq", url(info, "not-the-secret")).exitCode()).isNotZero();
        String noCredentials = "iscsi://" + info.get("target_portal") + "/" + info.get("target_iqn") + "/"
                + info.get("target_lun");
        assertThat(Initiators.run("iscsi-inq", noCredentials).exitCode()).isNotZero();

        cli.cinder("--os-volume-api-version", VERSION, "attachment-complete", attachment).ok();
        Map<String, String> volume = cinder("show", id);
        assertThat(volume.get("status")).isEqualTo("in-use");
        assertThat(volume.get("attachment_ids")).contains(attachment);
        assertThat(cinder("attachment-show", attachment)).containsEntry("status", "attached")
                .containsEntry("volume_id", id).containsEntry("instance", SERVER);
        assertThat(cli.cinder("--os-volume-api-version", VERSION, "attachment-list").ok().stdout())
                .contains(attachment);
        Cli.Result refused = cli.cinder("delete", id);
        assertThat(refused.stdout() + refused.stderr()).contains("attached");
        assertThat(cinder("show", id).get("status")).isEqualTo("in-use");

        cli.cinder("--os-volume-api-version", VERSION, "attachment-delete", attachment).ok();
        assertThat(cinder("show", id).get("status")).isEqualTo("available");
        assertThat(Initiators.run("iscsi-inq", url).exitCode()).as("the export is gone").isNotZero();
        assertThat(read(file, MIB, (int) (4 * MIB))).as("nothing written is lost").containsOnly((byte) 0x5a);
    }

    @Test
    void aReservedAttachmentConnectsWhenUpdatedWithAConnector() throws Exception {
        String id = availableVolume("reserved");
        Map<String, String> reserved = cinder("attachment-create", id, SERVER);
        assertThat(reserved).containsEntry("status", "reserved");
        assertThat(cinder("show", id).get("status")).isEqualTo("reserved");
        String attachment = reserved.get("id");
        Map<String, String> info = cinder("attachment-update", "--initiator", INITIATOR, "--ip", "127.0.0.1",
                "--host", "it-compute", attachment);
        assertThat(info).containsEntry("status", "attaching").containsEntry("attachment_id", attachment)
                .containsEntry("target_iqn", "iqn.2010-10.org.openstack:volume-" + id);
        assertThat(cinder("attachment-show", attachment)).containsEntry("status", "attaching");
        assertThat(Initiators.ok(Initiators.qemuIo(url(info, info.get("auth_password")), "read -P 0 0 4k")))
                .contains("read 4096/4096");
        cli.cinder("--os-volume-api-version", VERSION, "attachment-delete", attachment).ok();
        assertThat(cinder("show", id).get("status")).isEqualTo("available");
    }

    @Test
    void theLegacyActionsThroughPythonCinderclient() throws Exception {
        String id = availableVolume("legacy");
        Path script = Path.of(AttachContract.class.getResource("/legacy-attach.py").toURI());
        Cli.Result attached = Cli.run(List.of("/usr/bin/python3", script.toString(), "attach", basalt.endpoint(), id,
                INITIATOR, SERVER), Map.of()).ok();
        JsonNode data = new ObjectMapper().readTree(attached.stdout()).get("data");
        String url = Initiators.url(data.get("target_portal").asText(), data.get("target_iqn").asText(),
                data.get("target_lun").asText(), data.get("auth_username").asText(), data.get("auth_password").asText());
        assertThat(Initiators.ok(Initiators.qemuIo(url, "write -P 0x44 0 1M"))).contains("wrote 1048576/1048576");
        Map<String, String> volume = cinder("show", id);
        assertThat(volume.get("status")).isEqualTo("in-use");
        assertThat(volume.get("attached_servers")).contains(SERVER);

        Cli.run(List.of("/usr/bin/python3", script.toString(), "detach", basalt.endpoint(), id, INITIATOR),
                Map.of()).ok();
        assertThat(cinder("show", id).get("status")).isEqualTo("available");
        assertThat(Initiators.run("iscsi-inq", url).exitCode()).as("the export is gone").isNotZero();
        assertThat(read(basalt.volumesDir().resolve("volume-" + id), 0, (int) MIB)).containsOnly((byte) 0x44);
    }

    @Test
    void aRestartServesTheExportAgainWithTheSameCredentials() throws Exception {
        String id = availableVolume("restarted");
        Map<String, String> info = connect(id);
        String url = url(info, info.get("auth_password"));
        Initiators.ok(Initiators.qemuIo(url, "write -P 0x33 0 1M"));
        basalt.stop();
        basalt.start();
        assertThat(Initiators.ok(Initiators.qemuIo(url, "read -P 0x33 0 1M"))).contains("read 1048576/1048576");
        cli.cinder("--os-volume-api-version", VERSION, "attachment-delete", info.get("id")).ok();
        assertThat(Initiators.run("iscsi-inq", url).exitCode()).isNotZero();
    }
}
