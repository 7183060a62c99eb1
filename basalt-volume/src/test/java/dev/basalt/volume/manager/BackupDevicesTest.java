package dev.basalt.volume.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.rpc.BackupDevice;
import dev.basalt.rpc.BackupDeviceRequest;
import dev.basalt.rpc.DropBackupBases;
import dev.basalt.testkit.LoopFilesystem;
import dev.basalt.driver.SnapshotSpec;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.driver.file.FileDriverSettings;
import dev.basalt.driver.file.FileVolumeDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a volume service tells its host's backup service: on XFS a base kept per backup and the
 * parent's base found again; on the temp directory (ext4) no base, the volume itself.
 */
class BackupDevicesTest {
    @RegisterExtension
    static final LoopFilesystem XFS = LoopFilesystem.xfs();

    @TempDir
    Path temp;

    private static FileVolumeDriver driver(Path directory) {
        FileVolumeDriver driver = new FileVolumeDriver(new FileDriverSettings(directory, true, VolumeClear.ZERO, 0, "file"));
        driver.start();
        return driver;
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void onXfsEachBackupReadsItsOwnBaseFindsItsParentsAndOnlyTheLatestStays() throws Exception {
        Path directory = XFS.newDirectory();
        FileVolumeDriver driver = driver(directory);
        BackupDevices devices = new BackupDevices("node1@file", driver);
        VolumeSpec volume = new VolumeSpec(id(), 1);
        driver.createVolume(volume);
        String full = id();
        String incremental = id();

        BackupDevice first = devices.locate(new BackupDeviceRequest(volume.id(), null, "r1", full, null));
        BackupDevice second = devices.locate(new BackupDeviceRequest(volume.id(), null, "r2", incremental, full));

        assertThat(first).isEqualTo(new BackupDevice("node1",
                directory.resolve("backup-base-" + volume.id() + "." + full).toString(), 1L << 30, true, null));
        assertThat(second.keptBase()).isTrue();
        assertThat(second.path()).endsWith(incremental);
        assertThat(second.parentBasePath()).isEqualTo(first.path());

        devices.drop(DropBackupBases.allBut(volume.id(), incremental, "r3"));
        assertThat(driver.backupBases(volume.id())).containsExactly(incremental);
        BackupDevice third = devices.locate(new BackupDeviceRequest(volume.id(), null, "r4", id(), full));
        assertThat(third.parentBasePath()).as("the dropped base is not found").isNull();
        devices.drop(DropBackupBases.only(volume.id(), incremental, "r5"));
        assertThat(driver.backupBases(volume.id())).hasSize(1).doesNotContain(incremental);
    }

    @Test
    void aBackupOfASnapshotKeepsTheSnapshotsBytesAsItsBase() throws Exception {
        Path directory = XFS.newDirectory();
        FileVolumeDriver driver = driver(directory);
        VolumeSpec volume = new VolumeSpec(id(), 1);
        driver.createVolume(volume);
        SnapshotSpec snapshot = new SnapshotSpec(id(), volume.id(), 1);
        driver.createSnapshot(snapshot);

        BackupDevice device = new BackupDevices("node1@file", driver)
                .locate(new BackupDeviceRequest(volume.id(), snapshot.id(), "r1", id(), null));

        assertThat(device.keptBase()).isTrue();
        assertThat(Path.of(device.path()).getFileName().toString()).startsWith("backup-base-" + volume.id() + ".");
    }

    @Test
    void whereExtentsCannotBeSharedABackupReadsTheVolumeItselfAndDropsAreHarmless() throws Exception {
        FileVolumeDriver driver = driver(temp.resolve("volumes"));
        BackupDevices devices = new BackupDevices("node1@file", driver);
        VolumeSpec volume = new VolumeSpec(id(), 1);
        driver.createVolume(volume);
        String backup = id();

        BackupDevice device = devices.locate(new BackupDeviceRequest(volume.id(), null, "r1", backup, id()));
        devices.drop(DropBackupBases.allBut(volume.id(), backup, "r2"));
        devices.drop(DropBackupBases.only(volume.id(), backup, "r3"));

        assertThat(device).isEqualTo(new BackupDevice("node1", driver.exportPath(volume.id()).toString(), 1L << 30));
        try (var names = Files.list(temp.resolve("volumes"))) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactly("volume-" + volume.id());
        }
    }
}
