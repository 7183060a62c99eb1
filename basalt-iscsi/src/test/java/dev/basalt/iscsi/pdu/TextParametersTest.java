package dev.basalt.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextParametersTest {

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pairsKeepTheirOrderAndTrailingNulsAreIgnored() {
        Map<String, String> keys = TextParameters.parse(bytes("InitiatorName=iqn.x\0HeaderDigest=None,CRC32C\0\0\0"));
        assertThat(keys).containsExactly(Map.entry("InitiatorName", "iqn.x"), Map.entry("HeaderDigest", "None,CRC32C"));
    }

    @Test
    void anEmptyValueIsAValue() {
        assertThat(TextParameters.parse(bytes("SendTargets=\0"))).containsEntry("SendTargets", "");
    }

    @Test
    void encodingEndsEachPairWithNul() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("A", "1");
        keys.put("TargetAlias", "dïsk");
        byte[] encoded = TextParameters.encode(keys);
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo("A=1\0TargetAlias=dïsk\0");
        assertThat(TextParameters.parse(ByteBuffer.wrap(encoded))).isEqualTo(keys);
    }

    @Test
    void repeatedKeysCanBeEncodedForSendTargets() {
        byte[] encoded = TextParameters.encode(List.of(Map.entry("TargetName", "a"), Map.entry("TargetName", "b")));
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo("TargetName=a\0TargetName=b\0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NoEquals\0", "=value\0", "A=1\0A=2\0"})
    void malformedTextIsRefused(String text) {
        assertThatThrownBy(() -> TextParameters.parse(bytes(text))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysLongerThan63BytesAreRefused() {
        assertThatThrownBy(() -> TextParameters.parse(bytes("K".repeat(64) + "=1\0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 63");
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        assertThatThrownBy(() -> TextParameters.parse(ByteBuffer.wrap(new byte[] {'A', '=', (byte) 0xc3, 0})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsSplitOnCommas() {
        assertThat(TextParameters.list("CHAP,None")).containsExactly("CHAP", "None");
    }
}
