package dev.basalt.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small parsers behind query parameters: Python literals, booleans, times. */
class ParsingTest {
    @Test
    void pythonDicts() {
        assertThat(PythonLiterals.dictOrNull("{'k': 'v', \"n\": 1}")).isEqualTo(Map.of("k", "v", "n", "1"));
        assertThat(PythonLiterals.dictOrNull("{}")).isEmpty();
        assertThat(PythonLiterals.dictOrNull("{'a': 'it\\'s',}")).isEqualTo(Map.of("a", "it's"));
        assertThat(PythonLiterals.dictOrNull("{'a': None}")).isEqualTo(Map.of("a", "None"));
        assertThat(PythonLiterals.dictOrNull("k=v")).isNull();
        assertThat(PythonLiterals.dictOrNull("{'a': 'b'")).isNull();
        assertThat(PythonLiterals.dictOrNull("{'a': 'b'} trailing")).isNull();
        assertThat(PythonLiterals.dictOrNull("{'a': os.system}")).isNull();
    }

    @Test
    void quotedStrings() {
        assertThat(PythonLiterals.unquote("'abc'")).isEqualTo("abc");
        assertThat(PythonLiterals.unquote("\"abc\"")).isEqualTo("abc");
        assertThat(PythonLiterals.unquote("abc")).isEqualTo("abc");
        assertThat(PythonLiterals.unquote("'a'b'")).isEqualTo("'a'b'");
        assertThat(PythonLiterals.isNone("None")).isTrue();
    }

    @Test
    void booleans() {
        for (String t : new String[] {"1", "t", "True", "on", "Y", "yes"}) {
            assertThat(Booleans.parseOrNull(t)).as(t).isTrue();
        }
        for (String f : new String[] {"0", "f", "FALSE", "off", "n", "No"}) {
            assertThat(Booleans.parseOrNull(f)).as(f).isFalse();
        }
        assertThat(Booleans.parseOrNull("maybe")).isNull();
    }

    @Test
    void timestamps() {
        assertThat(Timestamps.format(Instant.parse("2026-11-21T07:09:33Z"))).isEqualTo("2026-11-21T07:09:33.000000");
        assertThat(Timestamps.format(Instant.parse("2026-01-02T03:04:05.123456789Z")))
                .isEqualTo("2026-01-02T03:04:05.123456");
        assertThat(Timestamps.parseIsoOrNull("2026-01-02T03:04:05")).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(Timestamps.parseIsoOrNull("2026-01-02T03:04:05+01:00"))
                .isEqualTo(Instant.parse("2026-01-02T02:04:05Z"));
        assertThat(Timestamps.parseIsoOrNull("2026-01-02")).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(Timestamps.parseIsoOrNull("soon")).isNull();
    }

    @Test
    void etagIsTheMd5OfWhatCinderHashes() {
        // md5 of '{"metadata": {}}' and of '{"metadata": {"a": "1"}}', as Python's json.dumps writes them
        assertThat(VolumeMetadataResource.etag(Map.of())).isEqualTo(md5("{\"metadata\": {}}"));
        assertThat(VolumeMetadataResource.etag(Map.of("a", "1"))).isEqualTo(md5("{\"metadata\": {\"a\": \"1\"}}"));
        assertThat(VolumeMetadataResource.etag(Map.of("é", "1"))).isEqualTo(md5("{\"metadata\": {\"\\u00e9\": \"1\"}}"));
    }

    private static String md5(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
