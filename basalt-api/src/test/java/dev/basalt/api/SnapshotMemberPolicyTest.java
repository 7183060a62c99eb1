package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a project member who is not an administrator may do with snapshots and admin actions. */
class SnapshotMemberPolicyTest {
    static TestApi api;
    static String theirVolume;
    static String theirSnapshot;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS);
        theirVolume = api.call("POST", "/v3/otherproject/volumes").token("bob:otherproject")
                .body("{\"volume\": {\"size\": 1}}").send().json().get("volume").get("id").asText();
        api.awaitStatus(theirVolume, VolumeStatus.AVAILABLE);
        theirSnapshot = api.call("POST", "/v3/otherproject/snapshots").token("bob:otherproject")
                .body("{\"snapshot\": {\"volume_id\": \"" + theirVolume + "\"}}").send().json().get("snapshot")
                .get("id").asText();
        api.awaitSnapshotStatus(theirSnapshot, SnapshotStatus.AVAILABLE);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void othersSnapshotsAndVolumesAreNotFound() {
        assertThat(api.get(TestApi.p("/snapshots/" + theirSnapshot)).status()).isEqualTo(404);
        assertThat(api.get(TestApi.p("/snapshots?all_tenants=1")).json().get("snapshots").toString())
                .doesNotContain(theirSnapshot);
        assertThat(api.post(TestApi.p("/snapshots"), "{\"snapshot\": {\"volume_id\": \"" + theirVolume + "\"}}")
                .status()).isEqualTo(404);
        assertThat(api.post(TestApi.p("/volumes"), "{\"volume\": {\"snapshot_id\": \"" + theirSnapshot + "\"}}")
                .status()).isEqualTo(404);
        assertThat(api.post(TestApi.p("/volumes"), "{\"volume\": {\"source_volid\": \"" + theirVolume + "\"}}")
                .status()).isEqualTo(404);
        assertThat(api.delete(TestApi.p("/snapshots/" + theirSnapshot)).status()).isEqualTo(404);
    }

    @Test
    void membersSeeTheirSnapshotsWithExtendedAttributesAndCannotUseAdminActions() {
        String volume = api.availableVolume("mine", 1);
        String snapshot = api.availableSnapshot(volume, "mine");
        assertThat(api.get(TestApi.p("/snapshots/" + snapshot)).json().get("snapshot")
                .has("os-extended-snapshot-attributes:progress")).isTrue();
        TestApi.Reply reset = api.post(TestApi.p("/snapshots/" + snapshot + "/action"),
                "{\"os-reset_status\": {\"status\": \"error\"}}");
        assertThat(reset.status()).isEqualTo(403);
        assertThat(api.post(TestApi.p("/snapshots/" + snapshot + "/action"), "{\"os-force_delete\": {}}").status())
                .isEqualTo(403);
        assertThat(api.post(TestApi.p("/volumes/" + volume + "/action"), "{\"os-reset_status\": {\"status\":"
                + " \"error\"}}").status()).isEqualTo(403);
        assertThat(api.post(TestApi.p("/volumes/" + volume + "/action"), "{\"os-force_delete\": {}}").status())
                .isEqualTo(403);
        assertThat(api.snapshots.find(snapshot).orElseThrow().status()).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(api.volumes.find(volume).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.post(TestApi.p("/volumes/" + volume + "/action"), "{\"os-extend\": {\"new_size\": 2}}")
                .status()).isEqualTo(202);
    }

    @Test
    void membersMayNotUseUnknownSnapshotFiltersFrom331() {
        TestApi.Reply r = api.get(TestApi.p("/snapshots?project_id=x"), "3.31");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo("Invalid filters project_id are found in query options.");
        assertThat(api.get(TestApi.p("/snapshots?project_id=x"), "3.30").status()).isEqualTo(200);
        assertThat(api.get(TestApi.p("/snapshots?all_tenants=1&status=available"), "3.31").status()).isEqualTo(200);
    }

    @Test
    void readersReadSnapshotsButCannotChangeThem() {
        String volume = api.availableVolume("read-me", 1);
        String snapshot = api.availableSnapshot(volume, "read-me");
        String reader = TestApi.USER + ":" + TestApi.PROJECT + ":reader";
        assertThat(api.call("GET", TestApi.p("/snapshots")).token(reader).send().status()).isEqualTo(200);
        assertThat(api.call("GET", TestApi.p("/snapshots/" + snapshot)).token(reader).send().status()).isEqualTo(200);
        assertThat(api.call("GET", TestApi.p("/snapshots/" + snapshot + "/metadata")).token(reader).send().status())
                .isEqualTo(200);
        assertThat(api.call("POST", TestApi.p("/snapshots")).token(reader)
                .body("{\"snapshot\": {\"volume_id\": \"" + volume + "\"}}").send().status()).isEqualTo(403);
        assertThat(api.call("PUT", TestApi.p("/snapshots/" + snapshot)).token(reader)
                .body("{\"snapshot\": {\"name\": \"x\"}}").send().status()).isEqualTo(403);
        assertThat(api.call("POST", TestApi.p("/snapshots/" + snapshot + "/metadata")).token(reader)
                .body("{\"metadata\": {\"k\": \"v\"}}").send().status()).isEqualTo(403);
        assertThat(api.call("DELETE", TestApi.p("/snapshots/" + snapshot)).token(reader).send().status())
                .isEqualTo(403);
        assertThat(api.snapshots.find(snapshot).orElseThrow().status()).isEqualTo(SnapshotStatus.AVAILABLE);
    }
}
