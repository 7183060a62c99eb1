package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.iscsi.ExternalTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;

/**
 * A BIOS-bootable raw disk for boot-from-volume tests, built once per build directory by the
 * test resource {@code boot-disk/build.sh} from Debian packages (syslinux's MBR and loader on a FAT
 * partition, Debian's kernel taken from its .deb, a busybox-static initramfs): booted by QEMU
 * with SeaBIOS, its guest prints {@code guest: booted, marker <marker>} on the serial console,
 * writes {@code BASALT-GUEST-WROTE <marker>} at byte 1 MiB of its second virtio disk and powers off.
 *
 * @param image  the raw disk image
 * @param marker what the guest prints and writes, fresh for each build
 */
record BootDisk(Path image, String marker) {
    /** What the guest writes at byte {@link #WRITTEN_AT} of its second disk. */
    static final String WRITTEN_PREFIX = "BASALT-GUEST-WROTE ";
    static final long WRITTEN_AT = 1L << 20;
    private static final String PACKAGES = "qemu-system-x86 syslinux syslinux-common mtools dosfstools fdisk busybox-static";
    private static final Path DIRECTORY = Path.of("target", "boot-disk").toAbsolutePath();
    private static final Duration GUARD = Duration.ofMinutes(5);

    /** Requires QEMU's system emulator and what the build uses (skips, or fails in CI, naming the packages). */
    static void require() {
        ExternalTools.requireFrom(PACKAGES, "qemu-system-x86_64", "syslinux", "mcopy", "mkfs.fat", "sfdisk",
                "busybox", "apt-get", "dpkg-deb");
    }

    /** The disk built earlier in this build directory, or a new one. */
    static synchronized BootDisk get() throws IOException, InterruptedException {
        Path image = DIRECTORY.resolve("boot-disk.img");
        Path markerFile = DIRECTORY.resolve("marker");
        if (Files.exists(image) && Files.exists(markerFile)) {
            return new BootDisk(image, Files.readString(markerFile).strip());
        }
        Files.createDirectories(DIRECTORY);
        Path script = DIRECTORY.resolve("build.sh");
        try (InputStream in = BootDisk.class.getResourceAsStream("/boot-disk/build.sh")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        String marker = "basalt-" + UUID.randomUUID().toString().substring(0, 8);
        Path building = DIRECTORY.resolve("boot-disk.img.building");
        ExternalTools.Run run = ExternalTools.run(GUARD, "bash", script.toString(), building.toString(), marker);
        assertThat(run.exitCode()).as("boot-disk/build.sh: %s", run.output()).isZero();
        Files.writeString(markerFile, marker);
        Files.move(building, image, StandardCopyOption.REPLACE_EXISTING);
        return new BootDisk(image, marker);
    }
}
