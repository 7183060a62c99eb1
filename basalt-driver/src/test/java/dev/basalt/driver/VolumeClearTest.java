package dev.basalt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VolumeClearTest {

    @Test
    void parsesCinderValuesInAnyCase() {
        assertThat(VolumeClear.fromConfig("zero")).isEqualTo(VolumeClear.ZERO);
        assertThat(VolumeClear.fromConfig(" None ")).isEqualTo(VolumeClear.NONE);
        assertThat(VolumeClear.ZERO.configValue()).isEqualTo("zero");
    }

    @Test
    void otherValuesAreRefusedWithTheChoices() {
        assertThatThrownBy(() -> VolumeClear.fromConfig("shred"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zero, none").hasMessageContaining("shred");
        assertThatThrownBy(() -> VolumeClear.fromConfig(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
