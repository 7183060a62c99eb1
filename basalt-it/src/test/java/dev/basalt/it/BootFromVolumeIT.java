package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.iscsi.ExternalTools;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
 * A real virtual machine boots from a Basalt volume over iSCSI, as a hypervisor boots an instance
 * from a volume: a bootable disk ({@link BootDisk}) is written into the volume through its export
 * ({@code qemu-img convert} to the LUN of the connection info {@code cinder attachment-create
 * --connect} returned), the volume is marked bootable, and {@code qemu-system-x86_64 -accel tcg}
 * is started with that LUN as its only boot disk — no {@code -kernel}, no {@code -initrd}: SeaBIOS
 * boots it — and a second Basalt volume attached the same way. The guest's marker on the serial
 * console proves the boot; the marker the guest wrote to the second volume is read back from that
 * volume's file after both attachments are deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BootFromVolumeIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration BOOT_GUARD = Duration.ofMinutes(4);
    private static final String VERSION = "3.54";
    private static final String SERVER = "0b5a1d2e-8c7f-4e6d-9a1b-5c4d3e2f1a0b";
    private static final String INITIATOR = "iqn.2024-01.dev.basalt:it-hypervisor";

    @TempDir
    static Path temp;
    private BasaltProcess basalt;
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        Initiators.require();
        BootDisk.require();
        basalt = new BasaltProcess(temp.resolve("state"), "").start();
        cli = new Cli(basalt.endpoint(), "u1", "p1");
    }

    @AfterAll
    void stop() throws Exception {
        if (basalt != null) {
            basalt.stop();
        }
    }

    private Map<String, String> cinder(String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("--os-volume-api-version", VERSION));
        line.addAll(List.of(args));
        return Tables.properties(cli.cinder(line.toArray(String[]::new)).ok().stdout());
    }

    private String availableVolume(String name) throws Exception {
        String id = cinder("create", "--name", name, "1").get("id");
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> cinder("show", id).get("status"), "available"::equals);
        return id;
    }

    /** An attachment and the URL of its LUN. */
    private record Attached(String attachment, String lun) {
    }

    /** Connects the volume for the test's instance and completes the attachment, as Nova does. */
    private Attached attach(String volume, String mountpoint) throws Exception {
        Map<String, String> info = cinder("attachment-create", "--connect", "True", "--initiator", INITIATOR,
                "--ip", "127.0.0.1", "--host", "it-hypervisor", "--mountpoint", mountpoint, volume, SERVER);
        assertThat(info).containsEntry("driver_volume_type", "iscsi").containsEntry("auth_method", "CHAP");
        cli.cinder("--os-volume-api-version", VERSION, "attachment-complete", info.get("id")).ok();
        return new Attached(info.get("id"), Initiators.url(info.get("target_portal"), info.get("target_iqn"),
                info.get("target_lun"), info.get("auth_username"), info.get("auth_password")));
    }

    private static String ok(ExternalTools.Run run) {
        assertThat(run.exitCode()).as(run.output()).isZero();
        return run.stdout();
    }

    private static String read(Path file, long offset, int length) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // keep reading
            }
        }
        return new String(buffer.array(), StandardCharsets.US_ASCII);
    }

    @Test
    void aVirtualMachineBootsFromAVolumeOverIscsiAndWritesToAnother() throws Exception {
        BootDisk disk = BootDisk.get();
        String boot = availableVolume("boot1");
        String data = availableVolume("data1");
        cli.cinder("--os-volume-api-version", VERSION, "set-bootable", boot, "true").ok();
        assertThat(cinder("show", boot)).containsEntry("bootable", "true");

        Attached bootDisk = attach(boot, "/dev/vda");
        Attached dataDisk = attach(data, "/dev/vdb");
        ok(Initiators.run("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", disk.image().toString(),
                bootDisk.lun()));
        assertThat(cinder("show", boot)).containsEntry("status", "in-use");

        ExternalTools.Run guest = ExternalTools.run(BOOT_GUARD, "qemu-system-x86_64", "-accel", "tcg",
                "-nographic", "-no-reboot", "-m", "256", "-nodefaults", "-serial", "stdio",
                "-drive", "file=" + bootDisk.lun() + ",format=raw,if=virtio",
                "-drive", "file=" + dataDisk.lun() + ",format=raw,if=virtio");
        assertThat(guest.stdout()).as(guest.output())
                .contains("guest: booted, marker " + disk.marker())
                .contains("guest: wrote the marker to /dev/vdb");

        for (Attached attached : List.of(bootDisk, dataDisk)) {
            cli.cinder("--os-volume-api-version", VERSION, "attachment-delete", attached.attachment()).ok();
        }
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> cinder("show", data).get("status"), "available"::equals);
        String written = BootDisk.WRITTEN_PREFIX + disk.marker();
        assertThat(read(basalt.volumesDir().resolve("volume-" + data), BootDisk.WRITTEN_AT, written.length()))
                .isEqualTo(written);
    }
}
