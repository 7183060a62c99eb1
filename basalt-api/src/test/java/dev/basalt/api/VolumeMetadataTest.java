package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VolumeMetadataTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void listMergeReplaceShowSetAndDelete() {
        String id = api.createVolume("{\"volume\": {\"size\": 1, \"metadata\": {\"a\": \"1\"}}}");
        String meta = TestApi.p("/volumes/" + id + "/metadata");
        assertThat(api.get(meta).json().get("metadata").get("a").asText()).isEqualTo("1");

        TestApi.Reply merged = api.post(meta, "{\"metadata\": {\"b\": \"2\"}}");
        assertThat(merged.status()).isEqualTo(200);
        assertThat(TestApi.fieldNames(merged.json().get("metadata"))).containsExactly("a", "b");

        TestApi.Reply replaced = api.put(meta, "{\"metadata\": {\"c\": \"3\"}}");
        assertThat(TestApi.fieldNames(replaced.json().get("metadata"))).containsExactly("c");

        TestApi.Reply one = api.get(meta + "/c");
        assertThat(one.json().get("meta").get("c").asText()).isEqualTo("3");

        TestApi.Reply set = api.put(meta + "/d", "{\"meta\": {\"d\": \"4\"}}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("meta").get("d").asText()).isEqualTo("4");
        assertThat(TestApi.fieldNames(api.get(meta).json().get("metadata"))).containsExactly("c", "d");

        TestApi.Reply deleted = api.delete(meta + "/c");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(TestApi.fieldNames(api.get(meta).json().get("metadata"))).containsExactly("d");
    }

    @Test
    void errorsAreCindersFaults() {
        String id = api.createVolume("meta-errors", 1);
        String meta = TestApi.p("/volumes/" + id + "/metadata");
        TestApi.Reply missing = api.get(meta + "/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.faultMessage()).isEqualTo("Volume " + id + " has no metadata with key nope.");
        assertThat(api.delete(meta + "/nope").status()).isEqualTo(404);
        TestApi.Reply mismatch = api.put(meta + "/a", "{\"meta\": {\"b\": \"1\"}}");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.faultMessage()).isEqualTo("Request body and URI mismatch");
        assertThat(api.put(meta + "/a", "{\"meta\": {\"a\": \"1\", \"b\": \"2\"}}").status()).isEqualTo(400);
        assertThat(api.post(meta, "{\"metadata\": {\"k\": \"" + "v".repeat(256) + "\"}}").status()).isEqualTo(400);
        assertThat(api.post(meta, "{\"meta\": {}}").status()).isEqualTo(400);
        assertThat(api.post(meta, "not json").status()).isEqualTo(400);
        assertThat(api.get(TestApi.p("/volumes/nope/metadata")).status()).isEqualTo(404);
        assertThat(api.get(meta).json().get("metadata")).isEmpty();
    }

    @Test
    void etagAndIfMatchFrom315() {
        String id = api.createVolume("{\"volume\": {\"size\": 1, \"metadata\": {\"a\": \"1\"}}}");
        String meta = TestApi.p("/volumes/" + id + "/metadata");
        assertThat(api.get(meta, "3.14").header("Etag")).isNull();
        String etag = api.get(meta, "3.15").header("Etag");
        assertThat(etag).hasSize(32);
        assertThat(api.call("PUT", meta).version("3.15").header("If-Match", "\"0000\"")
                .body("{\"metadata\": {\"x\": \"1\"}}").send().status()).isEqualTo(412);
        assertThat(api.get(meta).json().get("metadata").get("a").asText()).isEqualTo("1");
        assertThat(api.call("PUT", meta).version("3.15").header("If-Match", etag)
                .body("{\"metadata\": {\"x\": \"1\"}}").send().status()).isEqualTo(200);
        assertThat(api.get(meta, "3.15").header("Etag")).isNotEqualTo(etag);
        assertThat(api.call("PUT", meta + "/x").version("3.15").header("If-Match", etag)
                .body("{\"meta\": {\"x\": \"2\"}}").send().status()).isEqualTo(412);
    }
}
