package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.Ids;
import dev.basalt.model.UserMessage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MessagesAndMiscTest {
    static TestApi api;
    static String failedVolume = Ids.newId();

    @BeforeAll
    static void start() {
        api = new TestApi();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < 4; i++) {
            api.messages.create(new UserMessage(Ids.newId(), TestApi.PROJECT, "req-" + i, "VOLUME",
                    i == 0 ? failedVolume : Ids.newId(), "VOLUME_VOLUME_001_003", "ERROR", "001", "003",
                    i == 0 ? "No backend has 500 GiB free." : null, now.plusSeconds(i), now.plusSeconds(3600)));
        }
        api.messages.create(new UserMessage(Ids.newId(), "otherproject", "req-x", "VOLUME", Ids.newId(),
                "VOLUME_VOLUME_001_003", "ERROR", "001", "003", null, now, now.plusSeconds(3600)));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void messagesAppearFrom33() {
        assertThat(api.get(TestApi.p("/messages"), "3.2").status()).isEqualTo(404);
        JsonNode list = api.get(TestApi.p("/messages"), "3.3").json().get("messages");
        assertThat(list.size()).as("every project's, for an administrator").isGreaterThanOrEqualTo(4);
        assertThat(list.toString()).contains("req-x");
        JsonNode first = list.get(0);
        assertThat(TestApi.fieldNames(first)).contains("id", "event_id", "user_message", "message_level", "created_at",
                "guaranteed_until", "request_id", "links", "resource_type", "resource_uuid");
        assertThat(first.get("user_message").asText()).startsWith("schedule allocate volume:");
    }

    @Test
    void showFilterPaginateAndDelete() {
        JsonNode filtered = api.get(TestApi.p("/messages?resource_uuid=" + failedVolume), "3.5").json().get("messages");
        assertThat(filtered).hasSize(1);
        JsonNode m = filtered.get(0);
        assertThat(m.get("user_message").asText()).isEqualTo("schedule allocate volume:No backend has 500 GiB free.");
        String id = m.get("id").asText();
        assertThat(api.get(TestApi.p("/messages/" + id), "3.3").json().get("message").get("request_id").asText())
                .isEqualTo("req-0");
        JsonNode page = api.get(TestApi.p("/messages?limit=2&sort=created_at:asc"), "3.5").json();
        assertThat(page.get("messages")).hasSize(2);
        assertThat(page.get("messages_links").get(0).get("href").asText()).contains("marker=");
        assertThat(api.get(TestApi.p("/messages?request_id~=req-"), "3.34").json().get("messages").size())
                .isGreaterThanOrEqualTo(4);
        assertThat(api.get(TestApi.p("/messages?request_id~=req-"), "3.33").json().get("messages")).isEmpty();
        assertThat(api.delete(TestApi.p("/messages/" + id), "3.3").status()).isEqualTo(204);
        TestApi.Reply gone = api.get(TestApi.p("/messages/" + id), "3.3");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.faultMessage()).isEqualTo("Message " + id + " could not be found.");
    }

    @Test
    void resourceFiltersFrom333() {
        assertThat(api.get(TestApi.p("/resource_filters"), "3.32").status()).isEqualTo(404);
        JsonNode all = api.get(TestApi.p("/resource_filters"), "3.33").json().get("resource_filters");
        assertThat(all.size()).isGreaterThan(5);
        JsonNode volume = api.get(TestApi.p("/resource_filters?resource=volume"), "3.33").json().get("resource_filters");
        assertThat(volume).hasSize(1);
        assertThat(volume.get(0).get("filters").toString()).contains("name", "metadata", "bootable");
    }

    @Test
    void clustersFrom37AreEmpty() {
        assertThat(api.get(TestApi.p("/clusters"), "3.6").status()).isEqualTo(404);
        assertThat(api.get(TestApi.p("/clusters"), "3.7").json().get("clusters")).isEmpty();
        assertThat(api.get(TestApi.p("/clusters/detail"), "3.7").json().get("clusters")).isEmpty();
        assertThat(api.get(TestApi.p("/clusters/c1"), "3.7").status()).isEqualTo(404);
    }

    @Test
    void extensionsListWhatIsServed() {
        JsonNode list = api.get(TestApi.p("/extensions")).json().get("extensions");
        assertThat(list.toString()).contains("os-vol-host-attr", "os-types-manage", "os-availability-zone");
        assertThat(api.get(TestApi.p("/extensions/os-services")).json().get("extension").get("name").asText())
                .isEqualTo("Services");
        assertThat(api.get(TestApi.p("/extensions/os-nothing")).status()).isEqualTo(404);
    }

    @Test
    void replicationServiceActionsAreNotImplemented() {
        String body = "{\"host\": \"test@file\"}";
        assertThat(api.put(TestApi.p("/os-services/freeze"), body).status()).isEqualTo(501);
        assertThat(api.put(TestApi.p("/os-services/failover_host"), body).status()).isEqualTo(501);
        assertThat(api.put(TestApi.p("/os-services/failover"), body, "3.25").status()).isEqualTo(404);
        assertThat(api.put(TestApi.p("/os-services/failover"), body, "3.26").status()).isEqualTo(501);
        assertThat(api.put(TestApi.p("/os-services/thaw"), "{\"host\": \"test\"}").status()).isEqualTo(501);
    }

    @Test
    void freezeAndThawOfABackendThatDoesNotExistAre400AsCinders() {
        TestApi.Reply unknown = api.put(TestApi.p("/os-services/freeze"), "{\"host\": \"nowhere\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.faultMessage()).isEqualTo("No service found with host=nowhere");
        assertThat(api.put(TestApi.p("/os-services/thaw"), "{\"host\": \"test@other\"}").status()).isEqualTo(400);
        TestApi.Reply none = api.put(TestApi.p("/os-services/freeze"), "{}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.faultMessage()).isEqualTo("Invalid input received: Host field is missing.");
        TestApi.Reply both = api.put(TestApi.p("/os-services/thaw"), "{\"host\": \"test\", \"cluster\": \"c\"}",
                "3.26");
        assertThat(both.faultMessage()).isEqualTo("Invalid input received: One and only one of cluster and host"
                + " must be set.");
        assertThat(api.put(TestApi.p("/os-services/freeze"), "{\"cluster\": \"c\"}", "3.26").faultMessage())
                .isEqualTo("No service found with cluster=c");
    }

    @Test
    void unknownRoutesAndMethodsAreFaults() {
        TestApi.Reply groups = api.get(TestApi.p("/groups"));
        assertThat(groups.status()).isEqualTo(404);
        assertThat(groups.faultName()).isEqualTo("itemNotFound");
        assertThat(groups.header("OpenStack-API-Version")).isEqualTo("volume 3.0");
        assertThat(api.get("/v2/volumes").status()).isEqualTo(404);
        assertThat(api.get(TestApi.p("/volumes/x/y/z")).status()).isEqualTo(404);
        TestApi.Reply patch = api.call("PATCH", TestApi.p("/volumes")).body("{}").send();
        assertThat(patch.status()).isEqualTo(405);
        assertThat(patch.faultName()).isEqualTo("badMethod");
        assertThat(patch.header("Vary")).isEqualTo("OpenStack-API-Version");
        assertThat(api.call("DELETE", "/").token(null).send().status()).isEqualTo(405);
        assertThat(api.get(TestApi.p("/volumes")).status()).isEqualTo(200);
    }
}
