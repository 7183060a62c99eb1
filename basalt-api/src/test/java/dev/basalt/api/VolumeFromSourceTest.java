package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Volumes created from a snapshot ({@code snapshot_id}) or from another volume ({@code source_volid}). */
class VolumeFromSourceTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.withoutQuotas();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static TestApi.Reply create(String fields) {
        return api.post(TestApi.p("/volumes"), "{\"volume\": {" + fields + "}}");
    }

    @Test
    void fromASnapshotTakesItsSizeTypeZoneAndBootableUnlessGivenALargerSize() {
        assertThat(api.post(TestApi.p("/types"), "{\"volume_type\": {\"name\": \"fast\"}}").status()).isEqualTo(200);
        String volume = api.createVolume("{\"volume\": {\"size\": 2, \"volume_type\": \"fast\"}}");
        api.awaitStatus(volume, VolumeStatus.AVAILABLE);
        api.volumes.setBootable(volume, true);
        String snapshot = api.availableSnapshot(volume, "s");

        TestApi.Reply same = create("\"snapshot_id\": \"" + snapshot + "\", \"name\": \"copy\"");
        assertThat(same.status()).as(same.text()).isEqualTo(202);
        JsonNode v = same.json().get("volume");
        assertThat(v.get("size").asInt()).isEqualTo(2);
        assertThat(v.get("snapshot_id").asText()).isEqualTo(snapshot);
        assertThat(v.get("source_volid").isNull()).isTrue();
        assertThat(v.get("volume_type").asText()).isEqualTo("fast");
        assertThat(v.get("availability_zone").asText()).isEqualTo("nova");
        assertThat(v.get("bootable").asText()).isEqualTo("true");
        assertThat(api.volumes.find(v.get("id").asText()).orElseThrow().snapshotId()).isEqualTo(snapshot);

        TestApi.Reply larger = create("\"snapshot_id\": \"" + snapshot + "\", \"size\": 5");
        assertThat(larger.status()).isEqualTo(202);
        assertThat(larger.json().get("volume").get("size").asInt()).isEqualTo(5);

        TestApi.Reply typed = create("\"snapshot_id\": \"" + snapshot + "\", \"volume_type\": \"__DEFAULT__\"");
        assertThat(typed.json().get("volume").get("volume_type").asText()).isEqualTo("__DEFAULT__");
    }

    @Test
    void aCloneTakesItsSourcesSize() {
        String source = api.availableVolume("source", 3);
        TestApi.Reply clone = create("\"source_volid\": \"" + source + "\"");
        assertThat(clone.status()).isEqualTo(202);
        JsonNode v = clone.json().get("volume");
        assertThat(v.get("size").asInt()).isEqualTo(3);
        assertThat(v.get("source_volid").asText()).isEqualTo(source);
        assertThat(v.get("snapshot_id").isNull()).isTrue();
        String id = v.get("id").asText();
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        assertThat(api.get(TestApi.p("/volumes?source_volid=" + source)).json().get("volumes")).hasSize(1);
    }

    @Test
    void refusesSourcesInTheWrongStateOrSizesTooSmallAndLeavesNoRow() {
        String volume = api.availableVolume("src2", 2);
        String broken = api.availableVolume("broken-src", 1);
        api.volumes.resetStatus(broken, VolumeStatus.ERROR, null);
        String creating = api.creatingSnapshot(volume, "still creating");
        long before = api.volumeCount();
        TestApi.Reply notReady = create("\"snapshot_id\": \"" + creating + "\"");
        assertThat(notReady.status()).isEqualTo(400);
        assertThat(notReady.faultMessage()).isEqualTo("Invalid snapshot: Originating snapshot status must be one of"
                + " 'available' values");

        api.snapshots.markAvailable(creating);
        TestApi.Reply smaller = create("\"snapshot_id\": \"" + creating + "\", \"size\": 1");
        assertThat(smaller.status()).isEqualTo(400);
        assertThat(smaller.faultMessage()).isEqualTo("Invalid input received: Volume size '1'GB cannot be smaller"
                + " than the snapshot size 2GB. They must be >= original snapshot size.");

        TestApi.Reply smallClone = create("\"source_volid\": \"" + volume + "\", \"size\": 1");
        assertThat(smallClone.status()).isEqualTo(400);
        assertThat(smallClone.faultMessage()).contains("cannot be smaller than original volume size 2GB");

        TestApi.Reply errorSource = create("\"source_volid\": \"" + broken + "\"");
        assertThat(errorSource.status()).isEqualTo(400);
        assertThat(errorSource.faultMessage()).isEqualTo("Invalid volume: Originating source volume status must be"
                + " one of 'available, in-use' values");

        TestApi.Reply otherZone = create("\"snapshot_id\": \"" + creating + "\", \"availability_zone\": \"az9\"");
        assertThat(otherZone.status()).isEqualTo(400);
        assertThat(otherZone.faultMessage()).contains("same availability zone as the snapshot");

        TestApi.Reply both = create("\"snapshot_id\": \"" + creating + "\", \"source_volid\": \"" + volume + "\"");
        assertThat(both.status()).isEqualTo(400);
        assertThat(api.volumeCount()).isEqualTo(before);
    }

    @Test
    void othersSnapshotsAndVolumesAreNotFound() {
        TestApi.Reply r = api.post(TestApi.p("/volumes"), "{\"volume\": {\"snapshot_id\":"
                + " \"6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1\"}}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.faultMessage()).isEqualTo("Snapshot 6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1 could not be found.");
    }

    @Test
    void aSourceCannotBeDeletedWhileAVolumeIsMadeFromIt() {
        String volume = api.availableVolume("busy-src", 1);
        String snapshot = api.availableSnapshot(volume, "busy-snap");
        api.holdScheduling = true;
        try {
            String fromSnapshot = api.createVolume("{\"volume\": {\"snapshot_id\": \"" + snapshot + "\"}}");
            TestApi.Reply snapDelete = api.delete(TestApi.p("/snapshots/" + snapshot));
            assertThat(snapDelete.status()).isEqualTo(400);
            assertThat(snapDelete.faultMessage()).contains("a volume is being created from it");
            assertThat(api.snapshots.find(snapshot).orElseThrow().status()).isEqualTo(SnapshotStatus.AVAILABLE);

            String clone = api.createVolume("{\"volume\": {\"source_volid\": \"" + volume + "\"}}");
            TestApi.Reply extend = api.post(TestApi.p("/volumes/" + volume + "/action"),
                    "{\"os-extend\": {\"new_size\": 2}}");
            assertThat(extend.status()).isEqualTo(400);
            assertThat(extend.faultMessage()).contains("a volume is being created from it");

            api.delete(TestApi.p("/volumes/" + fromSnapshot));
            TestApi.Reply volDelete = api.delete(TestApi.p("/volumes/" + volume + "?cascade=true"));
            assertThat(volDelete.status()).isEqualTo(400);
            assertThat(volDelete.faultMessage()).contains("A volume is being created from volume " + volume);
            api.delete(TestApi.p("/volumes/" + clone));
        } finally {
            api.holdScheduling = false;
        }
        assertThat(api.volumes.find(volume).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.delete(TestApi.p("/snapshots/" + snapshot)).status()).isEqualTo(202);
    }
}
