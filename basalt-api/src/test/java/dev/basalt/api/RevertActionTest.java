package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.RevertToSnapshot;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code revert} volume action (3.40): Cinder's rules, messages and codes. */
class RevertActionTest {
    private static final String V = "3.40";
    static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.withoutQuotas();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void release() {
        api.holdReverts = false;
    }

    private static TestApi.Reply revert(String volumeId, String snapshotId) {
        return revert(volumeId, snapshotId, V);
    }

    private static TestApi.Reply revert(String volumeId, String snapshotId, String version) {
        return api.post(TestApi.p("/volumes/" + volumeId + "/action"),
                "{\"revert\": {\"snapshot_id\": " + (snapshotId == null ? "null" : "\"" + snapshotId + "\"") + "}}",
                version);
    }

    private static void assertUnchanged(String volumeId, String... snapshotIds) {
        assertThat(api.volume(volumeId).status()).isEqualTo(VolumeStatus.AVAILABLE);
        for (String s : snapshotIds) {
            assertThat(api.snapshots.find(s).orElseThrow().status()).isEqualTo(SnapshotStatus.AVAILABLE);
        }
        assertThat(api.reverts).noneMatch(r -> r.volumeId().equals(volumeId));
    }

    @Test
    void revertsToTheLatestSnapshotThroughTheVolumesService() {
        String id = api.availableVolume("revert", 1);
        api.availableSnapshot(id, "older");
        String latest = api.availableSnapshot(id, "latest");
        api.holdReverts = true;

        TestApi.Reply r = revert(id, latest);

        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.text()).isEmpty();
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.REVERTING);
        assertThat(api.snapshots.find(latest).orElseThrow().status()).isEqualTo(SnapshotStatus.RESTORING);
        assertThat(api.get(TestApi.p("/volumes/" + id), V).json().get("volume").get("status").asText())
                .isEqualTo("reverting");
        assertThat(api.get(TestApi.p("/snapshots/" + latest), V).json().get("snapshot").get("status").asText())
                .isEqualTo("restoring");
        org.awaitility.Awaitility.await().until(() -> api.reverts.stream()
                .anyMatch(m -> m.volumeId().equals(id) && m.snapshotId().equals(latest)));

        TestApi.Reply again = revert(id, latest);
        assertThat(again.status()).as("a second revert meanwhile").isEqualTo(409);
        assertThat(again.faultMessage()).isEqualTo("Invalid volume: Can't revert volume " + id
                + " to its latest snapshot " + latest + ". Volume's status must be 'available'.");
        assertThat(again.json().has("conflictingRequest")).isTrue();

        api.transitions.endRevert(id, latest, VolumeStatus.AVAILABLE, null);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.snapshots.find(latest).orElseThrow().status()).isEqualTo(SnapshotStatus.AVAILABLE);
    }

    @Test
    void ofTwoConcurrentRevertsOneWinsAndTheOtherIsAConflict() throws Exception {
        String id = api.availableVolume("race", 1);
        String snapshot = api.availableSnapshot(id, "s");
        api.holdReverts = true;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> replies = List.of(1, 2).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return revert(id, snapshot).status();
                })).toList();
        go.countDown();
        assertThat(replies.stream().map(CompletableFuture::join).toList()).containsExactlyInAnyOrder(202, 409);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.REVERTING);
        api.transitions.endRevert(id, snapshot, VolumeStatus.AVAILABLE, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.0", "3.39"})
    void isNotFoundBefore340AsCinderRoutesIt(String version) {
        String id = api.availableVolume("old-" + version, 1);
        String snapshot = api.availableSnapshot(id, "s");

        TestApi.Reply r = revert(id, snapshot, version);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.faultMessage()).isEqualTo("The resource could not be found.");
        assertThat(r.json().has("itemNotFound")).isTrue();
        assertUnchanged(id, snapshot);
    }

    @Test
    void aVolumeWithoutSnapshotsCannotBeReverted() {
        String id = api.availableVolume("none", 1);

        TestApi.Reply r = revert(id, "0f9d1c2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo("Volume " + id + " doesn't have any snapshots.");
        assertThat(r.json().has("badRequest")).isTrue();
        assertUnchanged(id);
    }

    @Test
    void onlyTheLatestSnapshotOfTheVolumeIsAccepted() {
        String id = api.availableVolume("latest-only", 1);
        String older = api.availableSnapshot(id, "older");
        String latest = api.availableSnapshot(id, "latest");
        String other = api.availableVolume("other", 1);
        String ofOther = api.availableSnapshot(other, "of-other");

        for (String named : new String[] {older, ofOther}) {
            TestApi.Reply r = revert(id, named);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.faultMessage()).isEqualTo("Specified snapshot " + named + " is None or not the latest one"
                    + " of volume " + id + ".");
        }
        TestApi.Reply none = revert(id, null);
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.faultMessage()).isEqualTo("Specified snapshot None is None or not the latest one of volume "
                + id + ".");
        TestApi.Reply missing = api.post(TestApi.p("/volumes/" + id + "/action"), "{\"revert\": {}}", V);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.faultMessage()).contains("is None or not the latest one");
        assertUnchanged(id, older, latest);
    }

    @Test
    void theVolumeMustHaveTheSnapshotsSize() {
        String id = api.availableVolume("extended", 1);
        String snapshot = api.availableSnapshot(id, "s");
        assertThat(api.post(TestApi.p("/volumes/" + id + "/action"), "{\"os-extend\": {\"new_size\": 2}}", V)
                .status()).isEqualTo(202);
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        org.awaitility.Awaitility.await().until(() -> api.volume(id).size() == 2);

        TestApi.Reply r = revert(id, snapshot);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo("Can't revert volume " + id + " to its latest snapshot " + snapshot
                + ". The volume size must be equal to the snapshot size.");
        assertUnchanged(id, snapshot);
    }

    @Test
    void theVolumeAndTheSnapshotMustBeAvailable() {
        String id = api.availableVolume("statuses", 1);
        String snapshot = api.availableSnapshot(id, "s");
        for (VolumeStatus status : new VolumeStatus[] {VolumeStatus.IN_USE, VolumeStatus.ERROR}) {
            api.volumes.resetStatus(id, status, null);
            TestApi.Reply r = revert(id, snapshot);
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.faultMessage()).isEqualTo("Invalid volume: Can't revert volume " + id
                    + " to its latest snapshot " + snapshot + ". Volume's status must be 'available'.");
            assertThat(api.volume(id).status()).isEqualTo(status);
        }
        api.volumes.resetStatus(id, VolumeStatus.AVAILABLE, null);
        api.snapshots.resetStatus(snapshot, SnapshotStatus.ERROR);

        TestApi.Reply r = revert(id, snapshot);

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.faultMessage()).isEqualTo("Invalid snapshot: Can't revert volume " + id
                + " to its latest snapshot " + snapshot + ". Snapshot's status must be 'available'.");
        assertThat(api.volume(id).status()).as("neither moved").isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.snapshots.find(snapshot).orElseThrow().status()).isEqualTo(SnapshotStatus.ERROR);
        assertThat(api.reverts).noneMatch(m -> m.volumeId().equals(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"revert\": {\"snapshot_id\": 7}}", "{\"revert\": \"s\"}",
        "{\"revert\": {\"snapshot_id\": null}, \"other\": 1}"})
    void badBodiesAreRefusedAndChangeNothing(String body) {
        String id = api.availableVolume("bad-body", 1);
        String snapshot = api.availableSnapshot(id, "s");

        TestApi.Reply r = api.post(TestApi.p("/volumes/" + id + "/action"), body, V);

        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertUnchanged(id, snapshot);
    }

    @Test
    void anUnknownVolumeIsNotFound() {
        TestApi.Reply r = revert("6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1", "0f9d1c2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.faultMessage()).isEqualTo("Volume 6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1 could not be found.");
    }

    @Test
    void theStandInVolumeServiceEndsTheRevertAndBothAreAvailableAgain() {
        String id = api.availableVolume("ends", 1);
        String snapshot = api.availableSnapshot(id, "s");

        assertThat(revert(id, snapshot).status()).isEqualTo(202);

        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        api.awaitSnapshotStatus(snapshot, SnapshotStatus.AVAILABLE);
        assertThat(api.reverts).contains(new RevertToSnapshot(id, snapshot, api.reverts.stream()
                .filter(m -> m.volumeId().equals(id)).findFirst().orElseThrow().requestId()));
    }
}
