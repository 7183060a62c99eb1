package dev.basalt.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChapTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Vectors computed independently (Python hashlib): H(id || secret || challenge). */
    @Test
    void md5ResponsesMatchKnownVectors() {
        byte[] challenge = new byte[16];
        for (int i = 0; i < 16; i++) {
            challenge[i] = (byte) i;
        }
        assertThat(HEX.formatHex(Chap.response(Chap.Algorithm.MD5, 0x2a, bytes("secretsecret123"), challenge)))
                .isEqualTo("658a8244021e3013ac66d6de7cf94cee");
        assertThat(HEX.formatHex(Chap.response(Chap.Algorithm.MD5, 0, bytes("abcdefghijkl"), HEX.parseHex("0123456789abcdef"))))
                .isEqualTo("1d2375c059928daed90511c6e05bdf1b");
    }

    @Test
    void sha256ResponsesMatchAKnownVector() {
        assertThat(HEX.formatHex(Chap.response(Chap.Algorithm.SHA256, 7, bytes("abcdefghijkl"), HEX.parseHex("0123456789abcdef"))))
                .isEqualTo("cf5ba9e85b25216071c0c0769f400ceaf2dbf7d3e20b64f5829f5ada51e92db9");
    }

    @Test
    void binaryValuesDecodeFromHexAndBase64() {
        assertThat(Chap.decode("0x0102ff")).containsExactly(1, 2, 0xff);
        assertThat(Chap.decode("0X102")).containsExactly(1, 2);
        assertThat(Chap.decode("0bAQL/")).containsExactly(1, 2, 0xff);
        assertThat(Chap.encode(new byte[] {1, 2, (byte) 0xff})).isEqualTo("0x0102ff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0x", "12", "0zabc", "0xgg", "0b!!!!"})
    void malformedBinaryValuesAreRefused(String value) {
        assertThatThrownBy(() -> Chap.decode(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void binaryValuesOverTheLimitAreRefused() {
        assertThatThrownBy(() -> Chap.decode("0x" + "ab".repeat(Chap.MAX_BINARY_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theInitiatorsPreferenceChoosesTheAlgorithm() {
        assertThat(Chap.Algorithm.firstSupported(List.of("7", "5"))).contains(Chap.Algorithm.SHA256);
        assertThat(Chap.Algorithm.firstSupported(List.of("99", "5"))).contains(Chap.Algorithm.MD5);
        assertThat(Chap.Algorithm.firstSupported(List.of("99"))).isEmpty();
    }

    @Test
    void challengesAreFreshAndAtLeastSixteenBytes() {
        byte[] a = Chap.newChallenge(Chap.Algorithm.MD5);
        byte[] b = Chap.newChallenge(Chap.Algorithm.MD5);
        assertThat(a).hasSize(16).isNotEqualTo(b);
        assertThat(Chap.newChallenge(Chap.Algorithm.SHA256)).hasSize(32);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
