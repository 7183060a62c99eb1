package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A volume with snapshots is deleted only with {@code cascade=true}, its snapshots with it. */
class VolumeDeleteWithSnapshotsTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.withoutQuotas();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aVolumeWithSnapshotsIsNotDeletedAndTheFaultSaysWhy() {
        String volume = api.availableVolume("keep", 1);
        String snapshot = api.availableSnapshot(volume, "s");
        for (String path : new String[] {"/volumes/" + volume, "/volumes/" + volume + "?cascade=false"}) {
            TestApi.Reply r = api.delete(TestApi.p(path));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.faultName()).isEqualTo("badRequest");
            assertThat(r.faultMessage()).isEqualTo("Invalid volume: Volume " + volume + " has 1 snapshot(s) ("
                    + snapshot + "): delete them first, or delete the volume together with its snapshots (cascade).");
        }
        TestApi.Reply forced = api.delete(TestApi.p("/volumes/" + volume + "?force=true"), "3.23");
        assertThat(forced.status()).isEqualTo(400);
        TestApi.Reply forceAction = api.post(TestApi.p("/volumes/" + volume + "/action"), "{\"os-force_delete\": {}}");
        assertThat(forceAction.status()).isEqualTo(400);
        assertThat(forceAction.faultMessage()).contains("has 1 snapshot(s)");
        assertThat(api.volumes.find(volume).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.snapshots.find(snapshot).orElseThrow().status()).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(api.deletes).noneMatch(d -> d.volumeId().equals(volume));
        assertThat(api.delete(TestApi.p("/volumes/" + volume + "?cascade=perhaps")).status()).isEqualTo(400);
    }

    @Test
    void cascadeDeletesTheSnapshotsThenTheVolume() {
        String volume = api.availableVolume("cascade", 1);
        String a = api.availableSnapshot(volume, "a");
        String b = api.availableSnapshot(volume, "b");
        api.snapshots.markFailed(b, java.util.Set.of(SnapshotStatus.AVAILABLE), SnapshotStatus.ERROR, "x");
        api.holdDeletes = true;
        try {
            assertThat(api.delete(TestApi.p("/volumes/" + volume + "?cascade=true")).status()).isEqualTo(202);
            assertThat(api.volumes.find(volume).orElseThrow().status()).isEqualTo(VolumeStatus.DELETING);
            assertThat(api.snapshots.forVolume(volume)).extracting(s -> s.status())
                    .containsOnly(SnapshotStatus.DELETING);
        } finally {
            api.holdDeletes = false;
        }
        new dev.basalt.rpc.VolumeRpc(api.bus).deleteVolume(TestApi.BACKEND, new dev.basalt.rpc.DeleteVolume(volume, null));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> api.volumes.find(volume).isEmpty());
        assertThat(api.snapshots.find(a)).isEmpty();
        assertThat(api.snapshots.find(b)).isEmpty();
    }

    @Test
    void cascadeIsRefusedWhileASnapshotIsBusyAndNothingChanges() {
        String volume = api.availableVolume("busy", 1);
        String ready = api.availableSnapshot(volume, "ready");
        String creating = api.creatingSnapshot(volume, "creating");
        TestApi.Reply r = api.delete(TestApi.p("/volumes/" + volume + "?cascade=true"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).contains(creating + " (creating)");
        assertThat(api.volumes.find(volume).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.snapshots.find(ready).orElseThrow().status()).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(api.snapshots.find(creating).orElseThrow().status()).isEqualTo(SnapshotStatus.CREATING);
    }

    @Test
    void aVolumeWithoutSnapshotsIsDeletedWithOrWithoutCascade() {
        String volume = api.availableVolume("plain", 1);
        assertThat(api.delete(TestApi.p("/volumes/" + volume + "?cascade=true")).status()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> api.volumes.find(volume).isEmpty());
    }
}
