package dev.basalt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeSpecTest {
    private static final String ID = "6f0e8a8c-1b2d-4c3e-9f4a-5b6c7d8e9f0a";

    @Test
    void sizeInBytesIsGibTimesTwoToTheThirty() {
        assertThat(new VolumeSpec(ID, 1).sizeBytes()).isEqualTo(1L << 30);
        assertThat(new VolumeSpec(ID, 16384).sizeBytes()).isEqualTo(16384L << 30);
        assertThat(new VolumeSpec(ID, Integer.MAX_VALUE).sizeBytes()).isEqualTo((long) Integer.MAX_VALUE << 30);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void sizeBelowOneGibIsRefused(int sizeGib) {
        assertThatThrownBy(() -> new VolumeSpec(ID, sizeGib))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 GiB");
    }

    @Test
    void idMustBeAUuid() {
        assertThatThrownBy(() -> new VolumeSpec("../" + ID, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UUID");
    }
}
