package dev.basalt.it;

import com.fasterxml.jackson.databind.JsonNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.iscsi.ConformanceSuite;
import dev.basalt.testkit.CephServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code basalt all} with two backends, {@code file} and {@code ceph} (the RBD driver, named by
 * Cinder's class path, on the test's single-node Ceph as its RBD user), volume types pinned to each
 * with {@code volume_backend_name}, driven by Debian's {@code cinder} and {@code openstack}: volumes,
 * snapshots, volumes from snapshots, clones, extend and deletes land as RBD images; bytes written with
 * {@code qemu-io} through {@code rbd:} are found, sha256 over whole images ({@code rbd export}), in
 * the snapshot, the clone and the volume made from the snapshot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RbdBackendIT {
    private static final long GIB = 1L << 30;
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final List<String> BLOCK_IO_SUITES = List.of("Read16", "Write16", "WriteSame16", "Unmap",
            "GetLBAStatus", "ReadCapacity16", "iSCSITMF");
    private static final CephServer CEPH = CephServer.shared();

    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth("enabled_backends = file,ceph\n"
            + "[file]\nvolume_backend_name = file\n"
            + "[ceph]\nvolume_driver = cinder.volume.drivers.rbd.RBDDriver\nvolume_backend_name = ceph\n"
            + "rbd_pool = " + CephServer.POOL + "\nrbd_user = " + CephServer.CLIENT_ID + "\n"
            + "rbd_ceph_conf = " + CEPH.confFile() + "\nrbd_keyring_conf = " + CEPH.clientKeyring() + "\n"
            + "rados_connect_timeout = 10\n");
    private Cli cli;
    private String volume;
    private String snapshot;
    private String fromSnapshot;
    private String clone;
    private String snapshotSha;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        cli = basalt.cli("admin", "p1");
        cli.cinder("type-create", "on-ceph").ok();
        cli.cinder("type-key", "on-ceph", "set", "volume_backend_name=ceph").ok();
        cli.cinder("type-create", "on-file").ok();
        cli.cinder("type-key", "on-file", "set", "volume_backend_name=file").ok();
        await().atMost(PATIENCE).until(() -> cli.cinder("get-pools").ok().stdout().contains("it-host@ceph#ceph"));
    }

    private Map<String, String> cinder(String... args) throws Exception {
        return Tables.properties(cli.cinder(args).ok().stdout());
    }

    private Statuses statuses() {
        return new Statuses(cli.api(), PATIENCE);
    }

    /** Waits for the volume's status; what {@code cinder show} displays then. */
    private Map<String, String> awaitVolume(String id, String status) throws Exception {
        statuses().volume(id, status);
        return cinder("show", id);
    }

    /** Waits for the snapshot's status; what {@code cinder snapshot-show} displays then. */
    private Map<String, String> awaitSnapshot(String id, String status) throws Exception {
        statuses().snapshot(id, status);
        return cinder("snapshot-show", id);
    }

    private static List<String> rbdLs() {
        return List.of(CEPH.rbd("ls", CephServer.POOL).split("\n"));
    }

    private static String rbdUri(String image) {
        return "rbd:" + CephServer.POOL + "/" + image + ":id=" + CephServer.CLIENT_ID + ":conf=" + CEPH.confFile()
                + ":keyring=" + CEPH.clientKeyring();
    }

    /** {@code qemu-io -f raw -c 'write -P pattern offset length' rbd:…}, as a hypervisor writing the volume. */
    private static void qemuWrite(String image, int pattern, String offset, String length) throws Exception {
        run(List.of("qemu-io", "-f", "raw", "-c", "write -P " + pattern + " " + offset + " " + length, rbdUri(image)));
    }

    /** sha256 of {@code rbd export <spec> -} (the whole image or snapshot), followed by {@code zeros} zero bytes. */
    private static String sha256(String spec, long zeros) throws Exception {
        Process export = new ProcessBuilder("rbd", "-c", CEPH.confFile().toString(), "--id", CephServer.CLIENT_ID,
                "--keyring", CEPH.clientKeyring().toString(), "export", CephServer.POOL + "/" + spec, "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = export.getInputStream()) {
            byte[] buffer = new byte[1 << 20];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
        }
        assertThat(export.waitFor()).as("rbd export " + spec).isZero();
        byte[] zero = new byte[1 << 20];
        for (long left = zeros; left > 0; left -= zero.length) {
            digest.update(zero, 0, (int) Math.min(zero.length, left));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static long imageSize(String image) {
        String info = CEPH.rbd("info", "--format", "json", CephServer.POOL + "/" + image);
        return Long.parseLong(info.replaceAll("(?s).*\"size\":\\s*(\\d+).*", "$1"));
    }

    /** An attachment (3.54) for a host without librbd, which asks for iSCSI: Basalt's gateway exports the volume. */
    private static Api.Response attachOverIscsi(Api api, String volumeId, String host) throws Exception {
        Api.Response attached = api.send("POST", "/attachments", "{\"attachment\": {\"volume_uuid\": \"" + volumeId
                + "\", \"connector\": {\"initiator\": \"iqn.1993-08.org.debian:01:" + host + "\", \"ip\": \"127.0.0.1\","
                + " \"host\": \"" + host + "\", \"protocol\": \"iscsi\"}, \"mode\": \"rw\"}}", "3.54");
        assertThat(attached.status()).as(attached.raw()).isEqualTo(200);
        return attached;
    }

    /** The iscsi:// URL (with CHAP) of an attachment's iSCSI connection info. */
    private static String iscsiUrl(Api.Response attached) {
        JsonNode info = attached.body().get("attachment").get("connection_info");
        assertThat(info.get("driver_volume_type").asText()).isEqualTo("iscsi");
        return Initiators.url(info.get("target_portal").asText(), info.get("target_iqn").asText(),
                info.get("target_lun").asText(), info.get("auth_username").asText(), info.get("auth_password").asText());
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    @Test
    @Order(1)
    void aVolumeOfTheCephTypeIsAnRbdImageAndOneOfTheFileTypeAFile() throws Exception {
        volume = cli.openstackJson("volume", "create", "--type", "on-ceph", "--size", "1", "-f", "json", "r1")
                .path("id").asText();
        Map<String, String> shown = awaitVolume(volume, "available");
        assertThat(shown.get("os-vol-host-attr:host")).isEqualTo("it-host@ceph#ceph");
        assertThat(rbdLs()).contains("volume-" + volume);
        assertThat(imageSize("volume-" + volume)).isEqualTo(GIB);

        String onFile = Tables.properties(cli.cinder("create", "--volume-type", "on-file", "--name", "f1", "1").ok()
                .stdout()).get("id");
        assertThat(awaitVolume(onFile, "available").get("os-vol-host-attr:host")).isEqualTo("it-host@file#file");
        assertThat(rbdLs()).doesNotContain("volume-" + onFile);
        cli.cinder("delete", onFile).ok();
    }

    @Test
    @Order(2)
    void theSnapshotHoldsWhatQemuWroteBeforeIt() throws Exception {
        qemuWrite("volume-" + volume, 0xab, "0", "1M");
        qemuWrite("volume-" + volume, 0xcd, "1000M", "3M");
        qemuWrite("volume-" + volume, 0xef, "1023M", "1M");
        String before = sha256("volume-" + volume, 0);

        snapshot = Tables.properties(cli.cinder("snapshot-create", "--name", "rs1", volume).ok().stdout()).get("id");
        awaitSnapshot(snapshot, "available");
        qemuWrite("volume-" + volume, 0x11, "512M", "1M");

        snapshotSha = sha256("volume-" + volume + "@snapshot-" + snapshot, 0);
        assertThat(snapshotSha).isEqualTo(before);
        assertThat(sha256("volume-" + volume, 0)).isNotEqualTo(before);
    }

    @Test
    @Order(3)
    void aLargerVolumeFromTheSnapshotHoldsItsBytesThenZeros() throws Exception {
        fromSnapshot = Tables.properties(cli.cinder("create", "--snapshot-id", snapshot, "--name", "rs1-copy", "2").ok()
                .stdout()).get("id");
        Map<String, String> shown = awaitVolume(fromSnapshot, "available");

        assertThat(shown.get("size")).isEqualTo("2");
        assertThat(imageSize("volume-" + fromSnapshot)).isEqualTo(2 * GIB);
        assertThat(sha256("volume-" + fromSnapshot, 0)).isEqualTo(sha256("volume-" + volume + "@snapshot-" + snapshot, GIB));
    }

    @Test
    @Order(4)
    void aCloneHoldsItsSourcesBytesAndExtendGrowsIt() throws Exception {
        String sourceSha = sha256("volume-" + volume, 0);
        clone = cli.openstackJson("volume", "create", "--source", volume, "--size", "1", "-f", "json", "r1-clone")
                .path("id").asText();
        awaitVolume(clone, "available");
        assertThat(sha256("volume-" + clone, 0)).isEqualTo(sourceSha);

        cli.cinder("extend", clone, "3").ok();
        statuses().until(Statuses.Kind.VOLUME, clone, v -> v.path("size").asInt() == 3);
        assertThat(awaitVolume(clone, "available").get("size")).isEqualTo("3");
        assertThat(imageSize("volume-" + clone)).isEqualTo(3 * GIB);
        assertThat(sha256("volume-" + clone, 0)).isEqualTo(sha256("volume-" + volume, 2 * GIB));
    }

    @Test
    @Order(5)
    void deletesWithAndWithoutDependentsKeepTheDependentsBytesAndEndWithNoImageLeft() throws Exception {
        String cloneSha = sha256("volume-" + clone, 0);
        String fromSnapshotSha = sha256("volume-" + fromSnapshot, 0);
        Cli.Result refused = cli.cinder("delete", volume);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stdout() + refused.stderr()).as("a volume with snapshots needs --cascade, as in Cinder")
                .contains("snapshots");
        assertThat(cinder("show", volume).get("status")).isEqualTo("available");

        cli.cinder("delete", "--cascade", volume).ok();
        statuses().gone(Statuses.Kind.VOLUME, volume);

        assertThat(rbdLs()).doesNotContain("volume-" + volume);
        assertThat(sha256("volume-" + clone, 0)).isEqualTo(cloneSha);
        assertThat(sha256("volume-" + fromSnapshot, 0)).isEqualTo(fromSnapshotSha);

        cli.openstack("volume", "delete", clone).ok();
        cli.cinder("delete", fromSnapshot).ok();
        statuses().gone(Statuses.Kind.VOLUME, clone);
        statuses().gone(Statuses.Kind.VOLUME, fromSnapshot);
        assertThat(rbdLs()).noneMatch(image -> image.contains(volume) || image.contains(clone)
                || image.contains(fromSnapshot));
    }

    @Test
    @Order(6)
    void anAttachmentGivesTheHostCindersRbdConnectionInfo() throws Exception {
        String id = Tables.properties(cli.cinder("create", "--volume-type", "on-ceph", "--name", "r-attach", "1").ok()
                .stdout()).get("id");
        awaitVolume(id, "available");

        Cli.Result attach = cli.cinder("--os-volume-api-version", "3.54", "attachment-create", "--connect", "True",
                "--initiator", "iqn.1993-08.org.debian:01:rbdtest", "--ip", "127.0.0.1", "--host", "h1", id).ok();

        Map<String, String> shown = Tables.properties(attach.stdout());   // the attachment, then its connection_info
        assertThat(shown.get("driver_volume_type")).isEqualTo("rbd");
        assertThat(shown.get("name")).isEqualTo(CephServer.POOL + "/volume-" + id);
        assertThat(shown.get("auth_username")).isEqualTo(CephServer.CLIENT_ID);
        assertThat(shown.get("auth_enabled")).isEqualTo("True");
        assertThat(shown.get("secret_type")).isEqualTo("ceph");
        assertThat(shown.get("hosts")).contains("127.0.0.1");
        assertThat(shown).doesNotContainKey("target_iqn");
        String attachmentId = Tables.properties(attach.stdout()).get("id");
        awaitVolume(id, "attaching");                      // until the host says it is connected
        cli.cinder("--os-volume-api-version", "3.54", "attachment-complete", attachmentId).ok();
        awaitVolume(id, "in-use");
        cli.cinder("--os-volume-api-version", "3.54", "attachment-delete", attachmentId).ok();
        awaitVolume(id, "available");
        cli.cinder("delete", id).ok();
        statuses().gone(Statuses.Kind.VOLUME, id);
        assertThat(rbdLs()).doesNotContain("volume-" + id);
    }

    @Test
    @Order(7)
    void aHostWithoutLibrbdReachesTheSameVolumeOverIscsiThroughBasaltsTarget() throws Exception {
        Initiators.require();
        String id = Tables.properties(cli.cinder("create", "--volume-type", "on-ceph", "--name", "r-gateway", "1").ok()
                .stdout()).get("id");
        awaitVolume(id, "available");
        qemuWrite("volume-" + id, 0x6b, "1M", "2M");              // a hypervisor with librbd wrote this

        Api api = new Api(basalt.endpoint(), "admin", "p1");
        Api.Response attached = attachOverIscsi(api, id, "no-librbd");
        String url = iscsiUrl(attached);

        assertThat(Initiators.ok(Initiators.qemuIo(url, "read -P 0x6b 1M 2M"))).contains("read 2097152/2097152");
        assertThat(Initiators.ok(Initiators.qemuIo(url, "write -P 0x2c 8M 1M"))).contains("wrote 1048576/1048576");
        assertThat(Initiators.ok(Initiators.run("iscsi-readcapacity16", "-s", url))).contains(String.valueOf(GIB));
        assertThat(Initiators.ok(Initiators.run("iscsi-inq", "-e", "1", "-c", "128", url))).contains(id);
        assertThat(Initiators.ok(Initiators.run("qemu-io", "-f", "raw", "-c", "read -P 0x2c 8M 1M",
                rbdUri("volume-" + id)))).as("written through the gateway, found on Ceph").contains("read 1048576/1048576")
                .doesNotContain("Pattern verification failed");

        String attachment = attached.body().get("attachment").get("id").asText();
        assertThat(api.send("DELETE", "/attachments/" + attachment, null, "3.54").status()).isEqualTo(200);
        awaitVolume(id, "available");
        assertThat(Initiators.run("iscsi-inq", url).exitCode()).as("the export is gone").isNotZero();
        cli.cinder("delete", id).ok();
        statuses().gone(Statuses.Kind.VOLUME, id);
        assertThat(rbdLs()).doesNotContain("volume-" + id);
    }

    @Test
    @Order(8)
    void theGatewayOnAnRbdImagePassesTheTargetsConformanceSuite(@TempDir Path dir) throws Exception {
        Initiators.require();
        String id = Tables.properties(cli.cinder("create", "--volume-type", "on-ceph", "--name", "r-conformance", "1")
                .ok().stdout()).get("id");
        awaitVolume(id, "available");
        Api api = new Api(basalt.endpoint(), "admin", "p1");
        Api.Response attached = attachOverIscsi(api, id, "conformance");
        String url = iscsiUrl(attached);

        // the suites that reach each of the store's own operations (read, write, write zeroes, discard, data
        // ranges, size) and task management over I/O running on the store, with the tests the target passes on
        // a file (basalt-iscsi's ConformanceTest runs the whole suite there: the rest, compare-and-write and
        // verify included, is the target's own code on top of these operations, the same whatever the store)
        ConformanceSuite.runAndCheck(dir, url, Duration.ofMinutes(15), BLOCK_IO_SUITES);

        String attachment = attached.body().get("attachment").get("id").asText();
        assertThat(api.send("DELETE", "/attachments/" + attachment, null, "3.54").status()).isEqualTo(200);
        awaitVolume(id, "available");
        cli.cinder("delete", id).ok();
        statuses().gone(Statuses.Kind.VOLUME, id);
    }
}
