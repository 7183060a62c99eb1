package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.Ids;
import dev.basalt.db.QuotaUsage;
import dev.basalt.db.SnapshotQuery;
import dev.basalt.db.VolumeQuery;
import dev.basalt.model.QuotaResources;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Snapshots, volumes made from a snapshot or a clone, and extends take quota as Cinder's do:
 * reserved with the row (or the extend's start), committed when the operation succeeds, given back
 * when it fails, released with the row. Over quota is a 413 and nothing changes.
 */
class SnapshotQuotaTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static void setQuota(String project, String quotas) {
        TestApi.Reply r = api.as(project, "PUT", "/os-quota-sets/" + project, "{\"quota_set\": {" + quotas + "}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private static QuotaUsage usage(String project, String resource) {
        return api.quotas.usages(project).getOrDefault(resource, QuotaUsage.NONE);
    }

    private static String availableVolumeIn(String project, int size) {
        String id = api.createVolumeIn(project, size);
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        return id;
    }

    private static TestApi.Reply snapshot(String project, String volumeId) {
        return api.as(project, "POST", "/snapshots", "{\"snapshot\": {\"volume_id\": \"" + volumeId + "\"}}");
    }

    private static String availableSnapshotIn(String project, String volumeId) {
        TestApi.Reply r = snapshot(project, volumeId);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        String id = r.json().get("snapshot").get("id").asText();
        api.awaitSnapshotStatus(id, SnapshotStatus.AVAILABLE);
        return id;
    }

    private static long snapshotRows(String project) {
        return api.snapshots.list(SnapshotQuery.allOf(project)).items().size();
    }

    private static long volumeRows(String project) {
        return api.volumes.list(VolumeQuery.allOf(project)).items().size();
    }

    private static TestApi.Reply extend(String project, String volumeId, int newSize) {
        return api.as(project, "POST", "/volumes/" + volumeId + "/action",
                "{\"os-extend\": {\"new_size\": " + newSize + "}}");
    }

    @Test
    void overTheSnapshotsQuotaIsA413WithCindersMessageAndNoRow() {
        String project = TestApi.newProject();
        setQuota(project, "\"snapshots\": 1");
        String volume = availableVolumeIn(project, 1);
        availableSnapshotIn(project, volume);
        TestApi.Reply r = snapshot(project, volume);
        assertThat(r.status()).as(r.text()).isEqualTo(413);
        assertThat(r.faultName()).isEqualTo("overLimit");
        assertThat(r.faultMessage()).isEqualTo("SnapshotLimitExceeded: Maximum number of snapshots allowed (1) exceeded");
        assertThat(r.header("Retry-After")).isEqualTo("0");
        assertThat(snapshotRows(project)).isEqualTo(1);
        assertThat(usage(project, "snapshots")).isEqualTo(new QuotaUsage(1, 0));
    }

    @Test
    void aSnapshotTakesTheVolumesSizeInGigabytes() {
        String project = TestApi.newProject();
        setQuota(project, "\"gigabytes\": 10");
        String volume = availableVolumeIn(project, 6);
        TestApi.Reply r = snapshot(project, volume);
        assertThat(r.status()).as(r.text()).isEqualTo(413);
        assertThat(r.faultMessage()).isEqualTo("VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds"
                + " allowed gigabytes quota. Requested 6G, quota is 10G and 6G has been consumed.");
        assertThat(snapshotRows(project)).isZero();
        assertThat(usage(project, "snapshots")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(6, 0));

        setQuota(project, "\"gigabytes\": 12");
        availableSnapshotIn(project, volume);
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(12, 0));
    }

    @Test
    void usageCountsSnapshotsUntilTheyAreDeletedAndQuotaSetsShowIt() {
        String project = TestApi.newProject();
        String volume = availableVolumeIn(project, 2);
        String typeId = api.volumes.find(volume).orElseThrow().volumeTypeId();
        String snapshot = availableSnapshotIn(project, volume);
        assertThat(usage(project, "snapshots")).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(4, 0));
        assertThat(usage(project, QuotaResources.keyOfType("snapshots", typeId))).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage(project, QuotaResources.keyOfType("gigabytes", typeId))).isEqualTo(new QuotaUsage(4, 0));

        JsonNode set = api.as(project, "GET", "/os-quota-sets/" + project + "?usage=True", null).json()
                .get("quota_set");
        assertThat(set.get("snapshots").toString()).isEqualTo("{\"limit\":10,\"in_use\":1,\"reserved\":0}");
        assertThat(set.get("gigabytes").get("in_use").asInt()).isEqualTo(4);
        JsonNode limits = api.as(project, "GET", "/limits", null).json().get("limits").get("absolute");
        assertThat(limits.get("totalSnapshotsUsed").asInt()).isEqualTo(1);

        assertThat(api.as(project, "DELETE", "/snapshots/" + snapshot, null).status()).isEqualTo(202);
        await().until(() -> api.snapshots.find(snapshot).isEmpty());
        assertThat(usage(project, "snapshots")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(2, 0));
        assertThat(usage(project, QuotaResources.keyOfType("snapshots", typeId))).isEqualTo(QuotaUsage.NONE);
    }

    @Test
    void aFailedSnapshotGivesItsReservationBackAndItsDeleteChangesNothing() {
        String project = TestApi.newProject();
        setQuota(project, "\"snapshots\": 1");
        String volume = availableVolumeIn(project, 3);
        api.failSnapshots = true;
        String failed;
        try {
            TestApi.Reply r = snapshot(project, volume);
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            failed = r.json().get("snapshot").get("id").asText();
            api.awaitSnapshotStatus(failed, SnapshotStatus.ERROR);
        } finally {
            api.failSnapshots = false;
        }
        assertThat(usage(project, "snapshots")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(3, 0));

        String ok = availableSnapshotIn(project, volume);
        assertThat(usage(project, "snapshots")).isEqualTo(new QuotaUsage(1, 0));
        assertThat(api.as(project, "DELETE", "/snapshots/" + failed, null).status()).isEqualTo(202);
        await().until(() -> api.snapshots.find(failed).isEmpty());
        assertThat(usage(project, "snapshots")).as("the failed one held nothing").isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(6, 0));
        assertThat(api.snapshots.find(ok)).isPresent();
    }

    @Test
    void perTypeSnapshotQuotasLimitEachTypeApart() {
        String project = TestApi.newProject();
        String gold = "gold" + Ids.newId().substring(0, 6);
        api.types.create(gold, null, true, Map.of());
        setQuota(project, "\"snapshots_" + gold + "\": 1");
        TestApi.Reply created = api.as(project, "POST", "/volumes",
                "{\"volume\": {\"size\": 1, \"volume_type\": \"" + gold + "\"}}");
        String volume = created.json().get("volume").get("id").asText();
        api.awaitStatus(volume, VolumeStatus.AVAILABLE);
        availableSnapshotIn(project, volume);
        TestApi.Reply r = snapshot(project, volume);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.faultMessage()).isEqualTo("SnapshotLimitExceeded: Maximum number of snapshots allowed (1) exceeded");
        String other = availableVolumeIn(project, 1);
        availableSnapshotIn(project, other);
        assertThat(usage(project, "snapshots")).isEqualTo(new QuotaUsage(2, 0));
    }

    @Test
    void aCascadingDeleteGivesBackWhatItsSnapshotsHeld() {
        String project = TestApi.newProject();
        String volume = availableVolumeIn(project, 2);
        availableSnapshotIn(project, volume);
        availableSnapshotIn(project, volume);
        assertThat(usage(project, "snapshots")).isEqualTo(new QuotaUsage(2, 0));
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(6, 0));
        assertThat(api.as(project, "DELETE", "/volumes/" + volume + "?cascade=true", null).status()).isEqualTo(202);
        await().until(() -> api.volumes.find(volume).isEmpty());
        assertThat(usage(project, "snapshots")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage(project, "gigabytes")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage(project, "volumes")).isEqualTo(QuotaUsage.NONE);
    }

    @Test
    void volumesFromASnapshotOrACloneReserveLikeNewVolumes() {
        String project = TestApi.newProject();
        setQuota(project, "\"volumes\": 2, \"gigabytes\": 7");
        String volume = availableVolumeIn(project, 2);
        String snapshot = availableSnapshotIn(project, volume);

        TestApi.Reply tooBig = api.as(project, "POST", "/volumes",
                "{\"volume\": {\"snapshot_id\": \"" + snapshot + "\", \"size\": 4}}");
        assertThat(tooBig.status()).as(tooBig.text()).isEqualTo(413);
        assertThat(tooBig.faultMessage()).isEqualTo("VolumeSizeExceedsAvailableQuota: Requested volume or snapshot"
                + " exceeds allowed gigabytes quota. Requested 4G, quota is 7G and 4G has been consumed.");
        assertThat(volumeRows(project)).isEqualTo(1);

        TestApi.Reply fromSnapshot = api.as(project, "POST", "/volumes",
                "{\"volume\": {\"snapshot_id\": \"" + snapshot + "\"}}");
        assertThat(fromSnapshot.status()).as(fromSnapshot.text()).isEqualTo(202);
        api.awaitStatus(fromSnapshot.json().get("volume").get("id").asText(), VolumeStatus.AVAILABLE);
        assertThat(usage(project, "volumes")).isEqualTo(new QuotaUsage(2, 0));
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(6, 0));

        setQuota(project, "\"gigabytes\": 20");
        TestApi.Reply clone = api.as(project, "POST", "/volumes", "{\"volume\": {\"source_volid\": \"" + volume + "\"}}");
        assertThat(clone.status()).as(clone.text()).isEqualTo(413);
        assertThat(clone.faultMessage()).isEqualTo(
                "VolumeLimitExceeded: Maximum number of volumes allowed (2) exceeded for quota 'volumes'.");
        assertThat(volumeRows(project)).isEqualTo(2);

        setQuota(project, "\"volumes\": 3, \"gigabytes\": 8");
        TestApi.Reply ok = api.as(project, "POST", "/volumes", "{\"volume\": {\"source_volid\": \"" + volume + "\"}}");
        assertThat(ok.status()).as(ok.text()).isEqualTo(202);
        String cloneId = ok.json().get("volume").get("id").asText();
        api.awaitStatus(cloneId, VolumeStatus.AVAILABLE);
        assertThat(usage(project, "volumes")).isEqualTo(new QuotaUsage(3, 0));
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(8, 0));
        assertThat(api.as(project, "DELETE", "/volumes/" + cloneId, null).status()).isEqualTo(202);
        await().until(() -> api.volumes.find(cloneId).isEmpty());
        assertThat(usage(project, "volumes")).isEqualTo(new QuotaUsage(2, 0));
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(6, 0));
    }

    @Test
    void aVolumeFromASnapshotTheSchedulerFailsGivesItsQuotaBack() {
        String project = TestApi.newProject();
        String volume = availableVolumeIn(project, 1);
        String snapshot = availableSnapshotIn(project, volume);
        api.failScheduling = true;
        try {
            TestApi.Reply r = api.as(project, "POST", "/volumes", "{\"volume\": {\"snapshot_id\": \"" + snapshot
                    + "\"}}");
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            api.awaitStatus(r.json().get("volume").get("id").asText(), VolumeStatus.ERROR);
        } finally {
            api.failScheduling = false;
        }
        assertThat(usage(project, "volumes")).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(2, 0));
    }

    @Test
    void anExtendOverTheGigabytesQuotaIsA413AndLeavesTheVolumeAsItWas() {
        String project = TestApi.newProject();
        setQuota(project, "\"gigabytes\": 5");
        String volume = availableVolumeIn(project, 2);
        TestApi.Reply r = extend(project, volume, 6);
        assertThat(r.status()).as(r.text()).isEqualTo(413);
        assertThat(r.faultMessage()).isEqualTo("VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds"
                + " allowed gigabytes quota. Requested 4G, quota is 5G and 2G has been consumed.");
        assertThat(api.volumes.find(volume).orElseThrow().size()).isEqualTo(2);
        assertThat(api.volumes.find(volume).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(2, 0));

        assertThat(extend(project, volume, 5).status()).isEqualTo(202);
        await().until(() -> api.volumes.find(volume).orElseThrow().size() == 5);
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(5, 0));
        String typeId = api.volumes.find(volume).orElseThrow().volumeTypeId();
        assertThat(usage(project, QuotaResources.keyOfType("gigabytes", typeId))).isEqualTo(new QuotaUsage(5, 0));
    }

    @Test
    void anExtendPastPerVolumeGigabytesIsRefused() {
        String project = TestApi.newProject();
        setQuota(project, "\"per_volume_gigabytes\": 4");
        String volume = availableVolumeIn(project, 2);
        TestApi.Reply r = extend(project, volume, 5);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.faultMessage()).isEqualTo(
                "VolumeSizeExceedsLimit: Requested volume size 5G is larger than maximum allowed limit 4G.");
        assertThat(api.volumes.find(volume).orElseThrow().size()).isEqualTo(2);
    }

    @Test
    void aFailedExtendGivesTheExtraGigabytesBack() {
        String project = TestApi.newProject();
        String volume = availableVolumeIn(project, 2);
        api.holdExtends = true;
        try {
            assertThat(extend(project, volume, 7).status()).isEqualTo(202);
            await().until(() -> api.extends_.stream().anyMatch(e -> e.volumeId().equals(volume)));
            assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(2, 5));
        } finally {
            api.holdExtends = false;
        }
        assertThat(api.volumes.markFailed(volume, java.util.Set.of(VolumeStatus.EXTENDING),
                VolumeStatus.ERROR_EXTENDING, "driver failed")).isTrue();
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(2, 0));
        assertThat(api.volumes.find(volume).orElseThrow().size()).isEqualTo(2);

        String other = availableVolumeIn(project, 1);
        api.failExtends = true;
        try {
            assertThat(extend(project, other, 3).status()).isEqualTo(202);
            api.awaitStatus(other, VolumeStatus.ERROR_EXTENDING);
        } finally {
            api.failExtends = false;
        }
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(3, 0));
        assertThat(api.as(project, "DELETE", "/volumes/" + other, null).status()).isEqualTo(202);
        await().until(() -> api.volumes.find(other).isEmpty());
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(2, 0));
    }

    @Test
    void concurrentSnapshotsAgainstAQuotaOfThreeAdmitExactlyThree() throws Exception {
        String project = TestApi.newProject();
        setQuota(project, "\"snapshots\": 3");
        String volume = availableVolumeIn(project, 1);
        int requests = 40;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return snapshot(project, volume).status();
                }));
            }
            go.countDown();
            int accepted = 0;
            int refused = 0;
            for (Future<Integer> f : replies) {
                int status = f.get();
                if (status == 202) {
                    accepted++;
                } else if (status == 413) {
                    refused++;
                }
            }
            assertThat(accepted).isEqualTo(3);
            assertThat(refused).isEqualTo(requests - 3);
        } finally {
            pool.shutdownNow();
        }
        await().until(() -> usage(project, "snapshots").equals(new QuotaUsage(3, 0)));
        assertThat(snapshotRows(project)).isEqualTo(3);
    }
}
