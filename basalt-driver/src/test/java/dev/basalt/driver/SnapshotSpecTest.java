package dev.basalt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class SnapshotSpecTest {
    private static final String ID = UUID.randomUUID().toString();
    private static final String VOLUME = UUID.randomUUID().toString();

    @Test
    void itsSizeIsTheVolumesInGibibytes() {
        assertThat(new SnapshotSpec(ID, VOLUME, 3).sizeBytes()).isEqualTo(3L << 30);
    }

    @Test
    void idsMustBeUuidsAndTheMessageSaysWhichOne() {
        assertThatThrownBy(() -> new SnapshotSpec("../x", VOLUME, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapshot id");
        assertThatThrownBy(() -> new SnapshotSpec(ID, "../x", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("volume id");
        assertThatThrownBy(() -> new SnapshotSpec(null, VOLUME, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSnapshotHasAtLeastOneGibibyte() {
        assertThatThrownBy(() -> new SnapshotSpec(ID, VOLUME, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
