package dev.basalt.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LunsTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 255, 256, 4096, 16383})
    void lunNumbersRoundTrip(int lun) {
        long field = (long) Luns.encode(lun) << 48;
        assertThat(Luns.decode(field)).isEqualTo(lun);
    }

    @Test
    void peripheralAddressingBelow256AndFlatAbove() {
        assertThat(Luns.encode(5)).isEqualTo(0x0005);
        assertThat(Luns.encode(300)).isEqualTo(0x412c);
    }

    @Test
    void formsThisTargetDoesNotUseDecodeToMinusOne() {
        assertThat(Luns.decode(0x0001_0000_0000_0001L)).isEqualTo(-1);    // second level
        assertThat(Luns.decode(0x8001_0000_0000_0000L)).isEqualTo(-1);    // logical unit addressing
        assertThat(Luns.decode(0x0101_0000_0000_0000L)).isEqualTo(-1);    // bus 1
    }
}
