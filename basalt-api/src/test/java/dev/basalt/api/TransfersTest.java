package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.db.QuotaUsage;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Volume transfers as Cinder serves them at {@code /os-volume-transfer} and {@code /volume-transfers}:
 * the fields of each call per microversion, the volume's {@code awaiting-transfer} status, accept by
 * another project (volume, snapshots and quota move), every refusal with Cinder's code and message,
 * and who may do what (member, reader, administrator).
 */
class TransfersTest {
    private static final String CONNECTOR = "{\"initiator\": \"iqn.1993-08.org.debian:01:tr\", \"host\": \"t1\"}";
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static String member(String project) {
        return "u-" + project + ":" + project;
    }

    private static TestApi.Reply as(String token, String method, String path, String body, String version) {
        TestApi.Call call = api.call(method, path).token(token);
        if (body != null) {
            call.body(body);
        }
        if (version != null) {
            call.version(version);
        }
        return call.send();
    }

    private static TestApi.Reply create(String path, String volumeId, String extra, String version) {
        return api.post(TestApi.p(path), "{\"transfer\": {\"volume_id\": \"" + volumeId + "\"" + extra + "}}", version);
    }

    private static JsonNode created(String path, String volumeId, String extra, String version) {
        TestApi.Reply r = create(path, volumeId, extra, version);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().get("transfer");
    }

    private static TestApi.Reply accept(String project, String id, String key) {
        return as(member(project), "POST", "/v3/" + project + "/os-volume-transfer/" + id + "/accept",
                "{\"accept\": {\"auth_key\": \"" + key + "\"}}", null);
    }

    private static QuotaUsage usage(String project, String resource) {
        return api.quotas.usages(project).getOrDefault(resource, QuotaUsage.NONE);
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("transfers").forEach(t -> ids.add(t.get("id").asText()));
        return ids;
    }

    @Test
    void anotherProjectAcceptsWithTheKeyAndTakesTheVolumeItsSnapshotAndTheirQuota() {
        String volume = api.availableVolume("gift", 2);
        String snapshot = api.availableSnapshot(volume, "gift-snap");
        TestApi.Reply made = create("/os-volume-transfer", volume, ", \"name\": \"  for bob  \"", null);
        assertThat(made.status()).isEqualTo(202);
        assertThat(TestApi.fieldNames(made.json())).containsExactly("transfer");
        JsonNode t = made.json().get("transfer");
        assertThat(TestApi.fieldNames(t)).containsExactlyInAnyOrder("id", "created_at", "name", "volume_id",
                "auth_key", "links");
        String id = t.get("id").asText();
        String key = t.get("auth_key").asText();
        assertThat(key).matches("[0-9a-f]{16}");
        assertThat(t.get("name").asText()).isEqualTo("for bob");
        assertThat(t.get("volume_id").asText()).isEqualTo(volume);
        assertThat(t.get("links").get(0).get("href").asText())
                .endsWith("/v3/" + TestApi.PROJECT + "/os-volume-transfer/" + id);
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AWAITING_TRANSFER);
        assertThat(api.get(TestApi.p("/volumes/" + volume)).json().get("volume").get("status").asText())
                .isEqualTo("awaiting-transfer");

        JsonNode shown = api.get(TestApi.p("/os-volume-transfer/" + id)).json().get("transfer");
        assertThat(TestApi.fieldNames(shown)).containsExactlyInAnyOrder("id", "created_at", "name", "volume_id",
                "links");
        assertThat(shown.get("created_at").asText()).isEqualTo(t.get("created_at").asText());
        JsonNode summary = api.get(TestApi.p("/os-volume-transfer")).json();
        assertThat(TestApi.fieldNames(summary)).containsExactly("transfers");
        assertThat(ids(summary)).contains(id);
        summary.get("transfers").forEach(s -> assertThat(TestApi.fieldNames(s))
                .containsExactlyInAnyOrder("id", "volume_id", "name", "links"));
        api.get(TestApi.p("/os-volume-transfer/detail")).json().get("transfers").forEach(s ->
                assertThat(TestApi.fieldNames(s)).containsExactlyInAnyOrder("id", "created_at", "name", "volume_id",
                        "links"));

        String bob = TestApi.newProject();
        assertThat(as(member(bob), "GET", "/v3/" + bob + "/os-volume-transfer/" + id, null, null).status())
                .as("the receiver cannot see the offer").isEqualTo(404);
        assertThat(ids(as(member(bob), "GET", "/v3/" + bob + "/os-volume-transfer", null, null).json())).isEmpty();

        TestApi.Reply wrong = accept(bob, id, "0123456789abcdef");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.faultName()).isEqualTo("badRequest");
        assertThat(wrong.faultMessage()).isEqualTo("Invalid auth key: Attempt to transfer " + id
                + " with invalid auth key.");
        assertThat(api.volume(volume).projectId()).isEqualTo(TestApi.PROJECT);

        QuotaUsage donorGigabytes = usage(TestApi.PROJECT, "gigabytes");
        TestApi.Reply ok = accept(bob, id, key);
        assertThat(ok.status()).as(ok.text()).isEqualTo(202);
        JsonNode a = ok.json().get("transfer");
        assertThat(TestApi.fieldNames(a)).containsExactlyInAnyOrder("id", "volume_id", "name", "links");
        assertThat(a.get("id").asText()).isEqualTo(id);
        assertThat(a.get("name").asText()).isEqualTo("for bob");
        assertThat(a.get("links").get(0).get("href").asText()).endsWith("/v3/" + bob + "/os-volume-transfer/" + id);

        assertThat(api.volume(volume).projectId()).isEqualTo(bob);
        assertThat(api.volume(volume).userId()).isEqualTo("u-" + bob);
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.snapshots.find(snapshot).orElseThrow().projectId()).isEqualTo(bob);
        assertThat(as(member(bob), "GET", "/v3/" + bob + "/volumes/" + volume, null, null).status()).isEqualTo(200);
        assertThat(as(member(bob), "GET", "/v3/" + bob + "/snapshots/" + snapshot, null, null).status())
                .isEqualTo(200);
        assertThat(api.get(TestApi.p("/volumes/" + volume)).status()).isEqualTo(404);
        assertThat(usage(bob, "volumes")).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage(bob, "snapshots")).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage(bob, "gigabytes")).isEqualTo(new QuotaUsage(4, 0));
        assertThat(usage(TestApi.PROJECT, "gigabytes").inUse()).isEqualTo(donorGigabytes.inUse() - 4);

        assertThat(accept(bob, id, key).status()).as("an accepted transfer is gone").isEqualTo(404);
        assertThat(api.get(TestApi.p("/os-volume-transfer/" + id)).faultMessage())
                .isEqualTo("Transfer " + id + " could not be found.");
        assertThat(as(member(bob), "DELETE", "/v3/" + bob + "/volumes/" + volume + "?cascade=true", null, null)
                .status()).as("the receiver owns it now").isEqualTo(202);
    }

    @Test
    void theExtensionIsListed() {
        JsonNode e = api.get(TestApi.p("/extensions/os-volume-transfer")).json().get("extension");
        assertThat(e.get("name").asText()).isEqualTo("VolumeTransfer");
        assertThat(e.get("updated").asText()).isEqualTo("2013-05-29T00:00:00+00:00");
    }

    @Test
    void deletingATransferGivesTheVolumeBackAvailable() {
        String volume = api.availableVolume("kept", 1);
        String id = created("/volume-transfers", volume, "", "3.55").get("id").asText();
        TestApi.Reply refusedDelete = api.delete(TestApi.p("/volumes/" + volume));
        assertThat(refusedDelete.status()).as("a volume awaiting transfer is not deleted").isEqualTo(400);
        assertThat(api.post(TestApi.p("/snapshots"), "{\"snapshot\": {\"volume_id\": \"" + volume + "\"}}")
                .status()).as("nor snapshotted").isEqualTo(400);
        assertThat(api.post(TestApi.p("/attachments"), "{\"attachment\": {\"volume_uuid\": \"" + volume
                + "\", \"connector\": " + CONNECTOR + "}}", "3.54").status()).as("nor attached").isEqualTo(400);
        assertThat(api.volumeAction(volume, "{\"os-reserve\": null}").status()).isEqualTo(400);
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AWAITING_TRANSFER);
        assertThat(api.delete(TestApi.p("/volume-transfers/" + id)).status()).isEqualTo(202);
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AVAILABLE);
        TestApi.Reply gone = api.get(TestApi.p("/volume-transfers/" + id));
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.faultName()).isEqualTo("itemNotFound");
        assertThat(api.delete(TestApi.p("/os-volume-transfer/" + id)).status()).isEqualTo(404);
        TestApi.Reply unknown = accept("someone", "8f0c4a2e-1111-4b5e-9a3c-1d2e3f4a5b6c", "x");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.faultMessage())
                .isEqualTo("Transfer 8f0c4a2e-1111-4b5e-9a3c-1d2e3f4a5b6c could not be found.");
    }

    @Test
    void fieldsFollowTheMicroversion() {
        String volume = api.availableVolume("versions", 1);
        JsonNode at355 = created("/volume-transfers", volume, ", \"no_snapshots\": true", "3.55");
        assertThat(TestApi.fieldNames(at355)).containsExactlyInAnyOrder("id", "created_at", "name", "volume_id",
                "auth_key", "links", "no_snapshots");
        assertThat(at355.get("no_snapshots").asBoolean()).isTrue();
        assertThat(at355.get("name").isNull()).isTrue();
        String id = at355.get("id").asText();
        for (String path : List.of("/volume-transfers/", "/os-volume-transfer/")) {
            JsonNode v354 = api.get(TestApi.p(path + id), "3.54").json().get("transfer");
            assertThat(TestApi.fieldNames(v354)).containsExactlyInAnyOrder("id", "created_at", "name", "volume_id",
                    "links");
            JsonNode v355 = api.get(TestApi.p(path + id), "3.55").json().get("transfer");
            assertThat(TestApi.fieldNames(v355)).containsExactlyInAnyOrder("id", "created_at", "name", "volume_id",
                    "links", "no_snapshots");
            JsonNode v357 = api.get(TestApi.p(path + id), "3.57").json().get("transfer");
            assertThat(TestApi.fieldNames(v357)).containsExactlyInAnyOrder("id", "created_at", "name", "volume_id",
                    "links", "no_snapshots", "source_project_id", "destination_project_id", "accepted");
            assertThat(v357.get("source_project_id").asText()).isEqualTo(TestApi.PROJECT);
            assertThat(v357.get("destination_project_id").isNull()).isTrue();
            assertThat(v357.get("accepted").asBoolean()).isFalse();
            assertThat(v357.get("links").get(0).get("href").asText()).contains("/os-volume-transfer/" + id);
        }
        JsonNode list = api.get(TestApi.p("/volume-transfers"), "3.57").json();
        list.get("transfers").forEach(s -> assertThat(TestApi.fieldNames(s))
                .containsExactlyInAnyOrder("id", "volume_id", "name", "links"));
        JsonNode detail = api.get(TestApi.p("/volume-transfers/detail"), "3.70").json();
        detail.get("transfers").forEach(s -> assertThat(TestApi.fieldNames(s)).containsExactlyInAnyOrder("id",
                "created_at", "name", "volume_id", "links", "no_snapshots", "source_project_id",
                "destination_project_id", "accepted"));
        api.delete(TestApi.p("/volume-transfers/" + id));

        String other = api.availableVolume("v357", 1);
        JsonNode at357 = created("/os-volume-transfer", other, "", "3.57");
        assertThat(TestApi.fieldNames(at357)).containsExactlyInAnyOrder("id", "created_at", "name", "volume_id",
                "auth_key", "links", "no_snapshots", "source_project_id", "destination_project_id", "accepted");
        assertThat(at357.get("no_snapshots").asBoolean()).isFalse();
        api.delete(TestApi.p("/os-volume-transfer/" + at357.get("id").asText()));
    }

    @Test
    void noSnapshotsIsTakenOnlyByVolumeTransfersFrom355AndLeavesTheSnapshotsBehind() {
        String volume = api.availableVolume("bare", 1);
        String snapshot = api.availableSnapshot(volume, "stays");
        String body = ", \"no_snapshots\": true";
        assertThat(create("/os-volume-transfer", volume, body, "3.55").status()).isEqualTo(400);
        TestApi.Reply early = create("/volume-transfers", volume, body, "3.54");
        assertThat(early.status()).isEqualTo(400);
        assertThat(early.faultMessage()).contains("no_snapshots");
        assertThat(create("/volume-transfers", volume, ", \"no_snapshots\": \"maybe\"", "3.55").status())
                .isEqualTo(400);
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AVAILABLE);
        JsonNode t = created("/volume-transfers", volume, body, "3.55");
        String bob = TestApi.newProject();
        assertThat(accept(bob, t.get("id").asText(), t.get("auth_key").asText()).status()).isEqualTo(202);
        assertThat(api.volume(volume).projectId()).isEqualTo(bob);
        assertThat(api.snapshots.find(snapshot).orElseThrow().projectId()).isEqualTo(TestApi.PROJECT);
        assertThat(usage(bob, "snapshots")).isEqualTo(QuotaUsage.NONE);

        TestApi.Reply cascade = as(member(bob), "DELETE", "/v3/" + bob + "/volumes/" + volume + "?cascade=true", null,
                null);
        assertThat(cascade.status()).as("the snapshots left behind are not the receiver's to delete").isEqualTo(400);
        assertThat(cascade.faultMessage()).endsWith("or be disassociated from snapshots after volume transfer.");
        assertThat(api.snapshots.find(snapshot)).isPresent();
        assertThat(api.delete(TestApi.p("/snapshots/" + snapshot)).status()).as("the giver deletes them").isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> api.snapshots.find(snapshot).isEmpty());
        assertThat(as(member(bob), "DELETE", "/v3/" + bob + "/volumes/" + volume, null, null).status()).isEqualTo(202);
    }

    @Test
    void onlyAvailableVolumesWithAvailableSnapshotsAreOffered() {
        String attached = api.availableVolume("attached", 1);
        assertThat(api.volumeAction(attached, "{\"os-reserve\": null}").status()).isEqualTo(202);
        TestApi.Reply attaching = create("/os-volume-transfer", attached, "", null);
        assertThat(attaching.status()).isEqualTo(400);
        assertThat(attaching.faultMessage()).isEqualTo("Invalid volume: status must be available");
        assertThat(api.volumeAction(attached, "{\"os-initialize_connection\": {\"connector\": " + CONNECTOR + "}}")
                .status()).isEqualTo(200);
        assertThat(api.volumeAction(attached, "{\"os-attach\": {\"host_name\": \"t1\", \"mountpoint\": \"/dev/vdb\"}}")
                .status()).isEqualTo(202);
        assertThat(api.volume(attached).status()).isEqualTo(VolumeStatus.IN_USE);
        TestApi.Reply inUse = create("/volume-transfers", attached, "", "3.57");
        assertThat(inUse.status()).isEqualTo(400);
        assertThat(inUse.faultMessage()).isEqualTo("Invalid volume: status must be available");
        assertThat(api.volume(attached).status()).isEqualTo(VolumeStatus.IN_USE);

        String busy = api.availableVolume("busy", 1);
        String creating = api.creatingSnapshot(busy, "creating");
        TestApi.Reply snap = create("/os-volume-transfer", busy, "", null);
        assertThat(snap.status()).isEqualTo(400);
        assertThat(snap.faultMessage()).isEqualTo("Invalid snapshot: snapshot: " + creating
                + " status must be available");
        assertThat(api.volume(busy).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.snapshots.transition(creating, java.util.Set.of(SnapshotStatus.CREATING),
                SnapshotStatus.ERROR)).isTrue();
        assertThat(create("/volume-transfers", busy, ", \"no_snapshots\": true", "3.55").status())
                .as("a transfer without snapshots does not look at them").isEqualTo(202);

        String twice = api.availableVolume("twice", 1);
        created("/os-volume-transfer", twice, "", null);
        TestApi.Reply again = create("/os-volume-transfer", twice, "", null);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.faultMessage()).isEqualTo("Invalid volume: status must be available");

        TestApi.Reply unknown = create("/os-volume-transfer", "8f0c4a2e-2222-4b5e-9a3c-1d2e3f4a5b6c", "", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.faultMessage()).isEqualTo("Volume 8f0c4a2e-2222-4b5e-9a3c-1d2e3f4a5b6c could not be found.");
    }

    @Test
    void badBodiesAreRefusedWithoutChangingAnything() {
        String volume = api.availableVolume("bodies", 1);
        for (String body : List.of("{}", "{\"transfer\": {}}", "{\"transfer\": {\"volume_id\": \"nope\"}}",
                "{\"transfer\": {\"volume_id\": \"" + volume + "\", \"name\": \"   \"}}",
                "{\"transfer\": {\"volume_id\": \"" + volume + "\", \"name\": \"" + "n".repeat(256) + "\"}}",
                "{\"transfer\": {\"volume_id\": \"" + volume + "\", \"size\": 1}}", "not json")) {
            TestApi.Reply r = api.post(TestApi.p("/os-volume-transfer"), body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.faultName()).isEqualTo("badRequest");
        }
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AVAILABLE);
        JsonNode t = created("/os-volume-transfer", volume, "", null);
        String id = t.get("id").asText();
        for (String body : List.of("{}", "{\"accept\": {}}", "{\"accept\": {\"auth_key\": null}}",
                "{\"accept\": {\"auth_key\": \"k\", \"extra\": 1}}")) {
            TestApi.Reply r = api.post(TestApi.p("/os-volume-transfer/" + id + "/accept"), body);
            assertThat(r.status()).as(body).isEqualTo(400);
        }
        TestApi.Reply number = api.post(TestApi.p("/os-volume-transfer/" + id + "/accept"),
                "{\"accept\": {\"auth_key\": 1234}}");
        assertThat(number.status()).as("a number is a key, just a wrong one").isEqualTo(400);
        assertThat(number.faultMessage()).startsWith("Invalid auth key:");
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AWAITING_TRANSFER);
    }

    @Test
    void aReceiverOverQuotaGets413AndNothingMoves() {
        String volume = api.availableVolume("big", 3);
        JsonNode t = created("/os-volume-transfer", volume, "", null);
        assertThat(refusedOverQuota(t, Map.of("gigabytes", 2))).isEqualTo("VolumeSizeExceedsAvailableQuota: Requested"
                + " volume or snapshot exceeds allowed gigabytes quota. Requested 3G, quota is 2G and 0G has been"
                + " consumed.");
        assertThat(refusedOverQuota(t, Map.of("volumes", 0))).isEqualTo("VolumeLimitExceeded: Maximum number of"
                + " volumes allowed (0) exceeded for quota 'volumes'.");
        assertThat(refusedOverQuota(t, Map.of("per_volume_gigabytes", 2))).isEqualTo("VolumeSizeExceedsLimit:"
                + " Requested volume size 3G is larger than maximum allowed limit 2G.");
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AWAITING_TRANSFER);
        assertThat(api.volume(volume).projectId()).isEqualTo(TestApi.PROJECT);
        assertThat(api.get(TestApi.p("/os-volume-transfer/" + t.get("id").asText())).status()).isEqualTo(200);

        api.volumes.transition(volume, java.util.Set.of(VolumeStatus.AWAITING_TRANSFER), VolumeStatus.MAINTENANCE);
        assertThat(refusedOverQuota(t, Map.of("volumes", 0))).as("quota before status, as Cinder")
                .startsWith("VolumeLimitExceeded");
        TestApi.Reply maintenance = accept(TestApi.newProject(), t.get("id").asText(), t.get("auth_key").asText());
        assertThat(maintenance.status()).isEqualTo(400);
        assertThat(maintenance.faultMessage())
                .isEqualTo("Invalid volume: The volume cannot accept transfer in maintenance mode.");
        assertThat(api.volume(volume).projectId()).isEqualTo(TestApi.PROJECT);
    }

    /** A new project with {@code limits} accepts {@code t}: the 413's message, checking that its usage stayed empty. */
    private static String refusedOverQuota(JsonNode t, Map<String, Integer> limits) {
        String project = TestApi.newProject();
        api.quotas.setProjectLimits(project, limits);
        TestApi.Reply over = accept(project, t.get("id").asText(), t.get("auth_key").asText());
        assertThat(over.status()).isEqualTo(413);
        assertThat(over.faultName()).isEqualTo("overLimit");
        assertThat(over.header("Retry-After")).isEqualTo("0");
        assertThat(usage(project, "gigabytes")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage(project, "volumes")).isEqualTo(QuotaUsage.NONE);
        return over.faultMessage();
    }

    @Test
    void personasAsCindersPolicy() {
        String project = TestApi.newProject();
        String volume = api.createVolumeIn(project, 1);
        api.awaitStatus(volume, VolumeStatus.AVAILABLE);
        String reader = "r:" + project + ":reader";
        String base = "/v3/" + project + "/os-volume-transfer";
        String body = "{\"transfer\": {\"volume_id\": \"" + volume + "\"}}";
        assertThat(as(reader, "POST", base, body, null).status()).isEqualTo(403);
        assertThat(as(member("stranger"), "POST", "/v3/stranger/os-volume-transfer", body, null).status())
                .as("another project's volume is not found").isEqualTo(404);
        TestApi.Reply made = as(member(project), "POST", base, body, null);
        assertThat(made.status()).isEqualTo(202);
        String id = made.json().get("transfer").get("id").asText();
        assertThat(as(reader, "GET", base + "/" + id, null, null).status()).isEqualTo(200);
        assertThat(ids(as(reader, "GET", base + "/detail", null, null).json())).containsExactly(id);
        assertThat(as(reader, "DELETE", base + "/" + id, null, null).status()).isEqualTo(403);
        TestApi.Reply readerAccept = as("r2:elsewhere:reader", "POST", "/v3/elsewhere/os-volume-transfer/" + id
                + "/accept", "{\"accept\": {\"auth_key\": \"x\"}}", null);
        assertThat(readerAccept.status()).isEqualTo(403);
        assertThat(as(member("stranger"), "DELETE", "/v3/stranger/os-volume-transfer/" + id, null, null).status())
                .isEqualTo(404);
        assertThat(ids(as(member("stranger"), "GET", "/v3/stranger/os-volume-transfer?all_tenants=1", null, null)
                .json())).doesNotContain(id);

        String admin = "root:adminproject:admin";
        assertThat(ids(as(admin, "GET", "/v3/adminproject/os-volume-transfer", null, null).json()))
                .doesNotContain(id);
        assertThat(ids(as(admin, "GET", "/v3/adminproject/os-volume-transfer?all_tenants=1", null, null).json()))
                .contains(id);
        assertThat(ids(as(admin, "GET", "/v3/adminproject/os-volume-transfer?all_tenants=1&project_id=" + project,
                null, null).json())).containsExactly(id);
        assertThat(as(admin, "GET", "/v3/adminproject/os-volume-transfer/" + id, null, null).status()).isEqualTo(200);
        assertThat(as(admin, "DELETE", "/v3/adminproject/os-volume-transfer/" + id, null, null).status())
                .isEqualTo(202);
        assertThat(api.volume(volume).status()).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @Test
    void listsFilterAndPageAsCinder() {
        String project = TestApi.newProject();
        String base = "/v3/" + project + "/volume-transfers";
        List<String> made = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            String volume = api.createVolumeIn(project, 1);
            api.awaitStatus(volume, VolumeStatus.AVAILABLE);
            made.add(as(member(project), "POST", base, "{\"transfer\": {\"volume_id\": \"" + volume
                    + "\", \"name\": \"" + name + "\"}}", "3.55").json().get("transfer").get("id").asText());
        }
        assertThat(ids(as(member(project), "GET", base, null, "3.55").json())).containsExactlyElementsOf(made);
        assertThat(ids(as(member(project), "GET", base + "?name=b", null, "3.55").json()))
                .containsExactly(made.get(1));
        assertThat(ids(as(member(project), "GET", base + "/detail?no_snapshots=false&name=c", null, "3.57").json()))
                .containsExactly(made.get(2));
        assertThat(ids(as(member(project), "GET", base + "?colour=red", null, "3.57").json()))
                .as("a filter that names no column matches nothing, as Cinder").isEmpty();
        assertThat(ids(as(member(project), "GET", base + "?limit=1", null, "3.58").json()))
                .as("before 3.59 limit is a filter too, as Cinder").isEmpty();

        JsonNode first = as(member(project), "GET", base + "?limit=2&sort=created_at:asc", null, "3.59").json();
        assertThat(ids(first)).containsExactly(made.get(0), made.get(1));
        String next = first.get("transfers_links").get(0).get("href").asText();
        assertThat(next).contains("/v3/" + project + "/os-volume-transfer?").contains("marker=" + made.get(1));
        JsonNode last = as(member(project), "GET", base + "?limit=2&sort=created_at:asc&marker=" + made.get(1), null,
                "3.59").json();
        assertThat(ids(last)).containsExactly(made.get(2));
        assertThat(last.has("transfers_links")).as("the last page has no next link").isFalse();
        assertThat(ids(as(member(project), "GET", base + "/detail", null, "3.59").json()))
                .as("newest first from 3.59").containsExactly(made.get(2), made.get(1), made.get(0));
        assertThat(as(member(project), "GET", base + "?marker=8f0c4a2e-3333-4b5e-9a3c-1d2e3f4a5b6c", null, "3.59")
                .status()).isEqualTo(404);
        String admin = "root:adminproject:admin";
        assertThat(ids(as(admin, "GET", "/v3/adminproject/volume-transfers?all_tenants=maybe", null, "3.59").json()))
                .as("all_tenants that is not a true spelling is false, as Cinder's").doesNotContainAnyElementsOf(made);
    }
}
