package dev.basalt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void bytesAsGibRoundDownToHundredths() {
        assertThat(Sizes.bytesToGib(0)).isEqualTo(0.0);
        assertThat(Sizes.bytesToGib(3 * Sizes.GIB)).isEqualTo(3.0);
        assertThat(Sizes.bytesToGib(Sizes.GIB + Sizes.GIB / 2)).isEqualTo(1.5);
        assertThat(Sizes.bytesToGib(Sizes.GIB - 1)).isEqualTo(0.99);
    }

    @Test
    void overflowIsAnError() {
        assertThatThrownBy(() -> Sizes.gibToBytes(Long.MAX_VALUE / 2)).isInstanceOf(ArithmeticException.class);
    }
}
