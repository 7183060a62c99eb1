package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.VolumeRpc;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServicesAndZonesTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
        api.services.register("east@file", VolumeRpc.BINARY, VolumeRpc.TOPIC, "east");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static JsonNode service(JsonNode list, String host, String binary) {
        for (JsonNode s : list.get("services")) {
            if (s.get("host").asText().equals(host) && s.get("binary").asText().equals(binary)) {
                return s;
            }
        }
        throw new AssertionError("no " + binary + " on " + host + " in " + list);
    }

    @Test
    void listsServicesWithVersionedFields() {
        JsonNode v30 = api.get(TestApi.p("/os-services")).json();
        assertThat(v30.get("services")).hasSize(4);
        JsonNode volume = service(v30, TestApi.BACKEND, VolumeRpc.BINARY);
        assertThat(volume.get("state").asText()).isEqualTo("up");
        assertThat(volume.get("status").asText()).isEqualTo("enabled");
        assertThat(volume.get("zone").asText()).isEqualTo("nova");
        assertThat(volume.get("updated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
        assertThat(volume.get("disabled_reason").isNull()).isTrue();
        assertThat(volume.get("frozen").asBoolean()).isFalse();
        assertThat(volume.has("cluster")).isFalse();
        assertThat(volume.has("backend_state")).isFalse();
        assertThat(service(v30, "test", SchedulerRpc.BINARY).has("frozen")).isFalse();

        JsonNode v37 = api.get(TestApi.p("/os-services"), "3.7").json();
        assertThat(service(v37, TestApi.BACKEND, VolumeRpc.BINARY).get("cluster").isNull()).isTrue();
        JsonNode v349 = api.get(TestApi.p("/os-services"), "3.49").json();
        assertThat(service(v349, TestApi.BACKEND, VolumeRpc.BINARY).get("backend_state").asText()).isEqualTo("up");
        assertThat(service(v349, "test", SchedulerRpc.BINARY).has("backend_state")).isFalse();

        assertThat(api.get(TestApi.p("/os-services?binary=cinder-scheduler")).json().get("services")).hasSize(1);
        assertThat(api.get(TestApi.p("/os-services?host=east@file")).json().get("services")).hasSize(1);
        assertThat(api.get(TestApi.p("/os-services?host=test")).json().get("services"))
                .as("a host filter matches the host's backends, as Cinder's").extracting(s -> s.get("host").asText())
                .containsExactlyInAnyOrder("test", "test", TestApi.BACKEND);
        assertThat(api.get(TestApi.p("/os-services?host=east")).json().get("services"))
                .extracting(s -> s.get("host").asText()).containsExactly("east@file");
        assertThat(api.get(TestApi.p("/os-services?host=eas")).json().get("services")).isEmpty();
        assertThat(api.get(TestApi.p("/os-services?host=east@fil")).json().get("services")).isEmpty();
    }

    @Test
    void servicesGoDownWhenTheyStopHeartbeating() {
        try (TestApi later = new TestApi()) {
            later.clock.advance(Duration.ofMinutes(5));
            JsonNode list = later.get(TestApi.p("/os-services"), "3.49").json();
            JsonNode volume = service(list, TestApi.BACKEND, VolumeRpc.BINARY);
            assertThat(volume.get("state").asText()).isEqualTo("down");
            assertThat(volume.get("backend_state").asText()).isEqualTo("down");
        }
    }

    @Test
    void enableDisableAndReason() {
        String body = "{\"host\": \"east@file\", \"binary\": \"cinder-volume\"}";
        TestApi.Reply disabled = api.put(TestApi.p("/os-services/disable"), body);
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().get("status").asText()).isEqualTo("disabled");
        assertThat(disabled.json().get("disabled").asBoolean()).isTrue();
        JsonNode zones = api.get(TestApi.p("/os-availability-zone")).json().get("availabilityZoneInfo");
        boolean eastAvailable = true;
        for (JsonNode z : zones) {
            if (z.get("zoneName").asText().equals("east")) {
                eastAvailable = z.get("zoneState").get("available").asBoolean();
            }
        }
        assertThat(eastAvailable).isFalse();

        TestApi.Reply reason = api.put(TestApi.p("/os-services/disable-log-reason"),
                "{\"host\": \"east@file\", \"binary\": \"cinder-volume\", \"disabled_reason\": \"maintenance\"}");
        assertThat(reason.json().get("disabled_reason").asText()).isEqualTo("maintenance");
        assertThat(service(api.get(TestApi.p("/os-services")).json(), "east@file", VolumeRpc.BINARY)
                .get("disabled_reason").asText()).isEqualTo("maintenance");

        TestApi.Reply enabled = api.put(TestApi.p("/os-services/enable"), body);
        assertThat(enabled.json().get("status").asText()).isEqualTo("enabled");
        assertThat(enabled.json().get("disabled").asBoolean()).isFalse();
        JsonNode after = service(api.get(TestApi.p("/os-services")).json(), "east@file", VolumeRpc.BINARY);
        assertThat(after.get("status").asText()).isEqualTo("enabled");
        assertThat(after.get("disabled_reason").isNull()).isTrue();
    }

    @Test
    void serviceActionErrors() {
        TestApi.Reply unknown = api.put(TestApi.p("/os-services/enable"), "{\"host\": \"nowhere\", \"binary\": \"cinder-volume\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.faultMessage()).isEqualTo("Service cinder-volume could not be found on host nowhere.");
        assertThat(api.put(TestApi.p("/os-services/enable"), "{\"binary\": \"cinder-volume\"}").status()).isEqualTo(400);
        assertThat(api.put(TestApi.p("/os-services/enable"), "{\"host\": \"east@file\"}").status()).isEqualTo(400);
        assertThat(api.put(TestApi.p("/os-services/enable"), "{\"host\": \"east@file\", \"binary\": \"x\", \"y\": 1}")
                .status()).isEqualTo(400);
        assertThat(api.put(TestApi.p("/os-services/disable-log-reason"),
                "{\"host\": \"east@file\", \"binary\": \"cinder-volume\", \"disabled_reason\": \"   \"}").status())
                .isEqualTo(400);
    }

    @Test
    void availabilityZonesOfVolumeServices() {
        JsonNode zones = api.get(TestApi.p("/os-availability-zone")).json().get("availabilityZoneInfo");
        assertThat(zones.get(0).get("zoneName").asText()).isNotEmpty();
        boolean sawNova = false;
        for (JsonNode z : zones) {
            if (z.get("zoneName").asText().equals("nova")) {
                sawNova = true;
                assertThat(z.get("zoneState").get("available").asBoolean()).isTrue();
            }
        }
        assertThat(sawNova).isTrue();
        assertThat(api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1, \"availability_zone\": \"east\"}}")
                .status()).isEqualTo(202);
    }

    @Test
    void createsTrustTheZonesTheyReadForAzCacheDuration() {
        try (TestApi zoned = new TestApi()) {
            String inWest = "{\"volume\": {\"size\": 1, \"availability_zone\": \"west\"}}";
            assertThat(zoned.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1}}").status()).isEqualTo(202);
            zoned.services.register("west@file", VolumeRpc.BINARY, VolumeRpc.TOPIC, "west");
            assertThat(zoned.post(TestApi.p("/volumes"), inWest).status())
                    .as("a zone the kept list lacks is looked up again at once").isEqualTo(202);

            zoned.services.remove("west@file", VolumeRpc.BINARY);
            assertThat(zoned.post(TestApi.p("/volumes"), inWest).status())
                    .as("within az_cache_duration a known zone is trusted, as Cinder's").isEqualTo(202);
            zoned.clock.advance(Duration.ofHours(1).plusSeconds(1));
            TestApi.Reply refused = zoned.post(TestApi.p("/volumes"), inWest);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("badRequest").get("message").asText())
                    .isEqualTo("Availability zone 'west' is invalid.");
        }
    }

    @Test
    void logLevelsFrom332() {
        assertThat(api.put(TestApi.p("/os-services/get-log"), "{}", "3.31").status()).isEqualTo(404);
        TestApi.Reply set = api.put(TestApi.p("/os-services/set-log"),
                "{\"binary\": \"cinder-api\", \"prefix\": \"dev.basalt.api\", \"level\": \"debug\"}", "3.32");
        assertThat(set.status()).isEqualTo(202);
        TestApi.Reply got = api.put(TestApi.p("/os-services/get-log"),
                "{\"binary\": \"cinder-api\", \"prefix\": \"dev.basalt.api\"}", "3.32");
        assertThat(got.status()).isEqualTo(200);
        JsonNode entry = got.json().get("log_levels").get(0);
        assertThat(entry.get("binary").asText()).isEqualTo("cinder-api");
        assertThat(entry.get("host").asText()).isEqualTo("api-host");
        assertThat(entry.get("levels").get("dev.basalt.api").asText()).isEqualTo("DEBUG");
        api.put(TestApi.p("/os-services/set-log"),
                "{\"binary\": \"cinder-api\", \"prefix\": \"dev.basalt.api\", \"level\": \"INFO\"}", "3.32");
        assertThat(api.put(TestApi.p("/os-services/set-log"), "{\"binary\": \"cinder-api\", \"level\": \"LOUD\"}",
                "3.32").status()).isEqualTo(400);
        assertThat(api.put(TestApi.p("/os-services/set-log"), "{\"binary\": \"cinder-nothing\", \"level\": \"INFO\"}",
                "3.32").status()).isEqualTo(400);
    }

    @Test
    void logLevelsOfTheOtherServicesComeOverTheBus() {
        TestApi.Reply set = api.put(TestApi.p("/os-services/set-log"),
                "{\"binary\": \"cinder-volume\", \"prefix\": \"dev.basalt.volume\", \"level\": \"WARNING\"}", "3.32");
        assertThat(set.status()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode levels = api.put(TestApi.p("/os-services/get-log"),
                    "{\"binary\": \"cinder-volume\", \"prefix\": \"dev.basalt.volume\"}", "3.32").json().get("log_levels");
            assertThat(levels).hasSize(1);
            assertThat(levels.get(0).get("binary").asText()).isEqualTo("cinder-volume");
            assertThat(levels.get(0).get("host").asText()).isEqualTo(TestApi.BACKEND);
            assertThat(levels.get(0).get("levels").get("dev.basalt.volume").asText()).isEqualTo("WARNING");
        });
        JsonNode scheduler = api.put(TestApi.p("/os-services/get-log"),
                "{\"binary\": \"cinder-scheduler\", \"prefix\": \"dev.basalt\"}", "3.32").json().get("log_levels");
        assertThat(scheduler).hasSize(1);
        assertThat(scheduler.get(0).get("host").asText()).isEqualTo("test");
        api.put(TestApi.p("/os-services/set-log"),
                "{\"binary\": \"cinder-volume\", \"prefix\": \"dev.basalt.volume\", \"level\": \"INFO\"}", "3.32");
    }
}
