package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

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
 * volume's file after both attachments are deleted. The same boot works from a volume made from the
 * disk's Glance image (a real Glance, the image uploaded as qcow2, {@code cinder create --image}).
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
    private GlanceServer glance;
    private BasaltProcess basalt;
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        Initiators.require();
        BootDisk.require();
        GlanceServer.requireInstalled();
        glance = GlanceServer.start();
        basalt = new BasaltProcess(temp.resolve("state"), "glance_api_servers = " + glance.url()).start();
        cli = new Cli(basalt.endpoint(), "u1", "p1");
    }

    @AfterAll
    void stop() throws Exception {
        if (basalt != null) {
            basalt.stop();
        }
        if (glance != null) {
            glance.close();
        }
    }

    private Map<String, String> cinder(String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("--os-volume-api-version", VERSION));
        line.addAll(List.of(args));
        return Tables.properties(cli.cinder(line.toArray(String[]::new)).ok().stdout());
    }

    private String availableVolume(String name, String... more) throws Exception {
        List<String> create = new ArrayList<>(List.of("create", "--name", name));
        create.addAll(List.of(more));
        create.add("1");
        String id = cinder(create.toArray(String[]::new)).get("id");
        new Statuses(cli.api(), PATIENCE).volume(id, "available");
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
        bootAndCheck(disk, boot, data, bootDisk, dataDisk);
    }

    /**
     * The Glance image of the boot disk (uploaded as qcow2) becomes a volume with {@code cinder
     * create --image}; the VM boots from that volume as from any other.
     */
    @Test
    void aVirtualMachineBootsFromAVolumeMadeFromAGlanceImage() throws Exception {
        BootDisk disk = BootDisk.get();
        Path qcow2 = temp.resolve("boot-disk.qcow2");
        ok(ExternalTools.run(Duration.ofMinutes(2), "qemu-img", "convert", "-f", "raw", "-O", "qcow2",
                disk.image().toString(), qcow2.toString()));
        String image = glance.uploadImage(null, "boot-disk", "qcow2", qcow2, Map.of());
        String boot = availableVolume("boot-from-image", "--image", image);
        String data = availableVolume("data2");
        assertThat(cinder("show", boot)).containsEntry("bootable", "true");
        bootAndCheck(disk, boot, data, attach(boot, "/dev/vda"), attach(data, "/dev/vdb"));
    }

    private void bootAndCheck(BootDisk disk, String boot, String data, Attached bootDisk, Attached dataDisk)
            throws Exception {
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
        new Statuses(cli.api(), PATIENCE).volume(data, "available");
        String written = BootDisk.WRITTEN_PREFIX + disk.marker();
        assertThat(read(basalt.volumesDir().resolve("volume-" + data), BootDisk.WRITTEN_AT, written.length()))
                .isEqualTo(written);
    }
}
