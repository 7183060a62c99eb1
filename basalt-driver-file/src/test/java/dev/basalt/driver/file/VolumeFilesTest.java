package dev.basalt.driver.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VolumeFilesTest {
    private static final String ID = "6f0e8a8c-1b2d-4c3e-9f4a-5b6c7d8e9f0a";
    private final VolumeFiles files = new VolumeFiles(Path.of("/srv/volumes"));

    @Test
    void aVolumeIsNamedAsCinderNamesIt() {
        assertThat(files.volume(ID)).isEqualTo(Path.of("/srv/volumes/volume-" + ID));
        assertThat(VolumeFiles.volumeId("volume-" + ID)).contains(ID);
    }

    @Test
    void temporaryFilesAreHiddenAndRecognised() {
        Path temporary = files.temporary(ID);

        assertThat(temporary.getParent()).isEqualTo(Path.of("/srv/volumes"));
        assertThat(VolumeFiles.isTemporary(temporary.getFileName().toString())).isTrue();
        assertThat(VolumeFiles.volumeId(temporary.getFileName().toString())).isEmpty();
        assertThat(VolumeFiles.isTemporary("volume-" + ID)).isFalse();
    }

    @Test
    void aSnapshotIsNamedAsCinderNamesItAndMadeUnderATemporaryName() {
        assertThat(files.snapshot(ID)).isEqualTo(Path.of("/srv/volumes/snapshot-" + ID));
        assertThat(VolumeFiles.snapshotId("snapshot-" + ID)).contains(ID);
        assertThat(VolumeFiles.volumeId("snapshot-" + ID)).isEmpty();
        Path temporary = files.temporarySnapshot(ID);
        assertThat(temporary.getParent()).isEqualTo(Path.of("/srv/volumes"));
        assertThat(VolumeFiles.isTemporary(temporary.getFileName().toString())).isTrue();
        assertThat(VolumeFiles.snapshotId(temporary.getFileName().toString())).isEmpty();
        assertThat(temporary).isNotEqualTo(files.temporary(ID));
        assertThatThrownBy(() -> files.snapshot("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> files.temporarySnapshot("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherNamesAreNotVolumes() {
        assertThat(VolumeFiles.volumeId("volume-")).isEmpty();
        assertThat(VolumeFiles.volumeId("volume-" + ID + ".bak")).isEmpty();
        assertThat(VolumeFiles.volumeId("snapshot-" + ID)).isEmpty();
        assertThat(VolumeFiles.volumeId("lost+found")).isEmpty();
    }

    @Test
    void idsThatCouldNameAnotherFileAreRefused() {
        assertThatThrownBy(() -> files.volume("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> files.temporary("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSnapshotTheDriverDoesNotManageIsNamedAfterItsVolumeAndNeverAManageableVolume() {
        String snapshotId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
        String name = "volume-" + ID + ".before-upgrade";
        assertThat(VolumeFiles.snapshotVolumeId(name)).contains(ID);
        assertThat(VolumeFiles.snapshotVolumeId("volume-" + ID)).isEmpty();
        assertThat(VolumeFiles.snapshotVolumeId("volume-" + ID + ".")).isEmpty();
        assertThat(VolumeFiles.snapshotVolumeId("volume-x.y")).isEmpty();
        assertThat(VolumeFiles.isManageableName(name)).as("not a volume to manage").isFalse();
        assertThat(files.manageable(name)).isEmpty();
        assertThat(files.manageableSnapshot(ID, name)).contains(Path.of("/srv/volumes/" + name));
        assertThat(files.manageableSnapshot(snapshotId, name)).as("another volume's").isEmpty();
        assertThat(files.manageableSnapshot(ID, "../" + name)).isEmpty();
        assertThat(files.manageableSnapshot(ID, "legacy.img")).isEmpty();
        assertThat(files.unmanagedSnapshot(snapshotId, ID))
                .isEqualTo(Path.of("/srv/volumes/volume-" + ID + ".snapshot-" + snapshotId));
        assertThat(VolumeFiles.snapshotVolumeId(files.unmanagedSnapshot(snapshotId, ID).getFileName().toString()))
                .contains(ID);
    }
}
