package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input against the real process: each gets a 4xx in Cinder's fault format with a message
 * that says what is wrong, the service keeps serving, and nothing half-made is left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth(null);
    private Api api;

    @BeforeAll
    void start() throws Exception {
        api = new Api(basalt.endpoint(), "u", "p");
    }

    static Stream<Arguments> badCreates() {
        return Stream.of(
                Arguments.of("size 0", "{\"volume\": {\"size\": 0}}", 400, "size"),
                Arguments.of("size -1", "{\"volume\": {\"size\": -1}}", 400, "size"),
                Arguments.of("size abc", "{\"volume\": {\"size\": \"abc\"}}", 400, "size"),
                Arguments.of("size 2^40", "{\"volume\": {\"size\": 1099511627776}}", 400, "size"),
                Arguments.of("300-character name", "{\"volume\": {\"size\": 1, \"name\": \"" + "n".repeat(300) + "\"}}",
                        400, "name"),
                Arguments.of("unknown volume type", "{\"volume\": {\"size\": 1, \"volume_type\": \"no-such-type\"}}",
                        404, "no-such-type"),
                Arguments.of("malformed JSON", "{\"volume\": {\"size\": 1", 400, ""),
                Arguments.of("body not an object", "[1, 2, 3]", 400, ""),
                Arguments.of("no volume key", "{\"size\": 1}", 400, "volume"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCreates")
    void badCreateIsRefusedCleanly(String what, String body, int status, String mentions) throws Exception {
        Api.Response r = api.post("/volumes", body);
        assertFault(r, status);
        assertThat(faultMessage(r)).containsIgnoringCase(mentions);
        assertNothingLeft();
    }

    @Test
    void unknownIdIs404() throws Exception {
        assertFault(api.get("/volumes/0b7ed7c8-0000-4000-8000-000000000000"), 404);
        assertFault(api.delete("/volumes/0b7ed7c8-0000-4000-8000-000000000000"), 404);
    }

    @Test
    void deleteTwiceIsRefusedTheSecondTime() throws Exception {
        Api.Response created = api.post("/volumes", "{\"volume\": {\"size\": 1}}");
        assertThat(created.status()).isEqualTo(202);
        String id = created.body().path("volume").path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(
                () -> "available".equals(api.get("/volumes/" + id).body().path("volume").path("status").asText()));
        assertThat(api.delete("/volumes/" + id).status()).isEqualTo(202);
        Api.Response second = api.delete("/volumes/" + id);
        assertThat(second.status()).isBetween(400, 404);
        assertFault(second, second.status());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(this::assertNothingLeft);
    }

    @Test
    void unsupportedMicroversionIs406() throws Exception {
        Api.Response r = api.send("GET", "/volumes", null, "3.999");
        assertFault(r, 406);
        assertThat(faultMessage(r)).contains("3.999");
        assertFault(api.send("GET", "/volumes", null, "abc"), 400);
        assertThat(api.get("/volumes").status()).isEqualTo(200);
    }

    private static void assertFault(Api.Response r, int status) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.body()).as("fault body: " + r.raw()).isNotNull();
        Iterator<Map.Entry<String, JsonNode>> fields = r.body().fields();
        assertThat(fields.hasNext()).isTrue();
        JsonNode fault = fields.next().getValue();
        assertThat(fault.path("code").asInt()).isEqualTo(status);
        assertThat(fault.path("message").asText()).isNotBlank();
    }

    private static String faultMessage(Api.Response r) {
        return r.body().fields().next().getValue().path("message").asText();
    }

    private void assertNothingLeft() throws Exception {
        assertThat(api.get("/volumes/detail").body().path("volumes").size()).isZero();
        assertThat(VolumeFiles.ids(basalt.volumesDir())).isEmpty();
    }
}
