package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.Ids;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CleanupRequest;
import dev.basalt.rpc.VolumeRpc;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /v3/{project_id}/workers/cleanup} as Cinder answers it: from 3.24, administrators
 * only, the body checked against Cinder's schema, the filters handed to a scheduler, and 202 with
 * the services being cleaned up and those that could not be, in Cinder's workers view.
 */
class WorkersCleanupTest {
    private static final String PATH = TestApi.p("/workers/cleanup");
    private static final String VERSION = "3.24";

    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private TestApi.Reply cleanup(String body) {
        return api.post(PATH, body, VERSION);
    }

    private static List<String> fields(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private CleanupRequest lastRequest() {
        assertThat(api.cleanups).isNotEmpty();
        return api.cleanups.get(api.cleanups.size() - 1);
    }

    @Test
    void answers202WithTheServicesBeingCleanedInCindersView() {
        Instant before = Instant.now();
        TestApi.Reply reply = cleanup("{}");

        assertThat(reply.status()).isEqualTo(202);
        JsonNode json = reply.json();
        assertThat(fields(json)).containsExactly("cleaning", "unavailable");
        assertThat(json.get("unavailable").isArray()).isTrue();
        assertThat(json.get("unavailable")).isEmpty();
        JsonNode service = json.get("cleaning").get(0);
        assertThat(fields(service)).containsExactly("id", "host", "binary", "cluster_name");
        assertThat(service.get("id").isInt()).isTrue();
        assertThat(service.get("id").asInt()).isEqualTo(api.volumeService.id());
        assertThat(service.get("host").asText()).isEqualTo(TestApi.BACKEND);
        assertThat(service.get("binary").asText()).isEqualTo(VolumeRpc.BINARY);
        assertThat(service.get("cluster_name").isNull()).isTrue();

        CleanupRequest sent = lastRequest();
        assertThat(sent).usingRecursiveComparison().ignoringFields("until")
                .isEqualTo(new CleanupRequest(null, null, null, null, null, null, null, null, null));
        assertThat(sent.until()).as("until is now, as Cinder sets it").isBetween(before, Instant.now());
    }

    @Test
    void aRequestWithoutABodyCleansWithoutFilters() {
        TestApi.Reply reply = api.call("POST", PATH).version(VERSION).send();
        assertThat(reply.status()).isEqualTo(202);
        assertThat(lastRequest().serviceId()).isNull();
    }

    @Test
    void passesTheFiltersOnAsCinderReadsThem() {
        String id = Ids.newId();
        TestApi.Reply reply = cleanup("{\"service_id\": \"5\", \"host\": \"node1\", \"binary\": \"cinder-volume\","
                + " \"is_up\": \"true\", \"disabled\": \"0\", \"resource_type\": \"volume\", \"resource_id\": \""
                + id + "\", \"cluster_name\": null}");

        assertThat(reply.status()).isEqualTo(202);
        CleanupRequest sent = lastRequest();
        assertThat(sent.serviceId()).isEqualTo(5);
        assertThat(sent.host()).isEqualTo("node1");
        assertThat(sent.binary()).isEqualTo("cinder-volume");
        assertThat(sent.isUp()).isTrue();
        assertThat(sent.disabled()).isFalse();
        assertThat(sent.resourceType()).as("title-cased, as Cinder does").isEqualTo("Volume");
        assertThat(sent.resourceId()).as("a place was given: not looked up").isEqualTo(id);
        assertThat(sent.clusterName()).isNull();

        assertThat(cleanup("{\"service_id\": 7, \"is_up\": false}").status()).isEqualTo(202);
        assertThat(lastRequest().serviceId()).isEqualTo(7);
        assertThat(lastRequest().isUp()).isFalse();
    }

    @Test
    void aResourceWithoutAPlaceIsLookedUpInTheWorkersTable() {
        Volume creating = new Volume(Ids.newId(), TestApi.PROJECT, TestApi.USER, "v", null, 1, VolumeStatus.CREATING,
                AttachStatus.DETACHED, "nova", TestApi.BACKEND + "#pool", null, false, false, null, null, null, null,
                Map.of(), Instant.now(), null, null);
        api.volumes.create(creating);

        assertThat(cleanup("{\"resource_id\": \"" + creating.id() + "\"}").status()).isEqualTo(202);
        assertThat(lastRequest().serviceId()).as("nobody claimed it yet").isNull();
        assertThat(lastRequest().resourceType()).isEqualTo("Volume");
        assertThat(lastRequest().resourceId()).isEqualTo(creating.id());

        new WorkerRepository(api.db).claim(CleanableResource.VOLUME, creating.id(), "creating", api.volumeService.id());
        assertThat(cleanup("{\"resource_id\": \"" + creating.id() + "\", \"binary\": \"cinder-volume\"}").status())
                .isEqualTo(202);
        assertThat(lastRequest().serviceId()).isEqualTo(api.volumeService.id());

        TestApi.Reply wrongType = cleanup("{\"resource_id\": \"" + creating.id() + "\", \"resource_type\": \"Snapshot\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        String unknown = Ids.newId();
        TestApi.Reply none = cleanup("{\"resource_id\": \"" + unknown + "\"}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.faultMessage()).isEqualTo("Invalid input received: There is no resource with UUID " + unknown
                + " pending cleanup.");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"until\": \"2026-01-01T00:00:00Z\"}",
        "{\"binary\": \"cinder-api\"}",
        "{\"service_id\": \"abc\"}",
        "{\"service_id\": 123456789012}",
        "{\"is_up\": \"maybe\"}",
        "{\"disabled\": 2}",
        "{\"host\": \"bad host\"}",
        "{\"host\": \"\"}",
        "{\"resource_id\": \"not-a-uuid\"}",
        "{\"resource_type\": \"a-name-that-is-longer-than-forty-characters\"}",
        "[]",
        "{"
    })
    void aBadFilterIsA400(String body) {
        TestApi.Reply reply = cleanup(body);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.faultName()).isEqualTo("badRequest");
        assertThat(api.cleanups).isEmpty();
    }

    @Test
    void anUnknownResourceTypeIsA400NamingTheValidOnes() {
        TestApi.Reply reply = cleanup("{\"resource_type\": \"backup\"}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.faultMessage())
                .isEqualTo("Invalid input received: Resource type Backup not valid, must be Volume or Snapshot");
    }

    @Test
    void doesNotExistBefore324() {
        assertThat(api.post(PATH, "{}", "3.23").status()).isEqualTo(404);
        assertThat(api.post(PATH, "{}").status()).isEqualTo(404);
        assertThat(api.cleanups).isEmpty();
    }

    @Test
    void isForAdministratorsOnly() {
        try (TestApi members = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS)) {
            TestApi.Reply member = members.call("POST", PATH).version(VERSION).body("{}").send();
            assertThat(member.status()).isEqualTo(403);
            assertThat(members.cleanups).isEmpty();
            TestApi.Reply admin = members.call("POST", PATH).version(VERSION).body("{}")
                    .token(TestApi.USER + ":" + TestApi.PROJECT + ":admin").send();
            assertThat(admin.status()).isEqualTo(202);
            assertThat(members.cleanups).hasSize(1);
        }
    }

    @Test
    void theServicesNumbersAreTheOnesCleanupFiltersBy() {
        List<Integer> ids = api.services.list(null, null).stream().map(s -> s.id()).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id > 0);
    }
}
