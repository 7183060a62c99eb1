package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.Ids;
import dev.basalt.db.QuotaUsage;
import dev.basalt.model.QuotaResources;
import dev.basalt.model.VolumeStatus;
import java.time.Duration;
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

/** Volume creates reserve quota with their row: over quota is a 413 and no row; a failed create gives it back. */
class VolumeQuotaTest {
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

    private static long rows(String project) {
        return api.volumes.list(dev.basalt.db.VolumeQuery.allOf(project)).items().size();
    }

    @Test
    void overTheVolumesQuotaIsA413WithCindersMessageAndNoRow() {
        String project = TestApi.newProject();
        setQuota(project, "\"volumes\": 1");
        api.createVolumeIn(project, 1);
        TestApi.Reply r = api.as(project, "POST", "/volumes", "{\"volume\": {\"size\": 1, \"name\": \"second\"}}");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.faultName()).isEqualTo("overLimit");
        assertThat(r.faultMessage()).isEqualTo(
                "VolumeLimitExceeded: Maximum number of volumes allowed (1) exceeded for quota 'volumes'.");
        assertThat(r.json().get("overLimit").get("retryAfter").asText()).isEqualTo("0");
        assertThat(r.header("Retry-After")).isEqualTo("0");
        assertThat(r.header("x-openstack-request-id")).startsWith("req-");
        assertThat(rows(project)).isEqualTo(1);
    }

    @Test
    void overTheGigabytesQuotaSaysWhatWasConsumed() {
        String project = TestApi.newProject();
        setQuota(project, "\"gigabytes\": 10");
        api.createVolumeIn(project, 6);
        TestApi.Reply r = api.as(project, "POST", "/volumes", "{\"volume\": {\"size\": 5}}");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.faultMessage()).isEqualTo("VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds"
                + " allowed gigabytes quota. Requested 5G, quota is 10G and 6G has been consumed.");
        assertThat(api.as(project, "POST", "/volumes", "{\"volume\": {\"size\": 4}}").status()).as("fits exactly")
                .isEqualTo(202);
        assertThat(rows(project)).isEqualTo(2);
    }

    @Test
    void aVolumeLargerThanPerVolumeGigabytesIsRefused() {
        String project = TestApi.newProject();
        setQuota(project, "\"per_volume_gigabytes\": 5");
        TestApi.Reply r = api.as(project, "POST", "/volumes", "{\"volume\": {\"size\": 6}}");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.faultMessage()).isEqualTo(
                "VolumeSizeExceedsLimit: Requested volume size 6G is larger than maximum allowed limit 5G.");
        assertThat(rows(project)).isZero();
        assertThat(usage(project, "gigabytes")).isEqualTo(QuotaUsage.NONE);
        api.createVolumeIn(project, 5);
    }

    @Test
    void perTypeQuotasLimitEachTypeApart() {
        String project = TestApi.newProject();
        String gold = "gold" + Ids.newId().substring(0, 6);
        String goldId = api.types.create(gold, null, true, Map.of()).id();
        setQuota(project, "\"volumes_" + gold + "\": 1, \"gigabytes_" + gold + "\": 3");
        String body = "{\"volume\": {\"size\": 1, \"volume_type\": \"" + gold + "\"}}";
        assertThat(api.as(project, "POST", "/volumes", body).status()).isEqualTo(202);
        TestApi.Reply second = api.as(project, "POST", "/volumes", body);
        assertThat(second.status()).isEqualTo(413);
        assertThat(second.faultMessage()).isEqualTo("VolumeLimitExceeded: Maximum number of volumes allowed (1)"
                + " exceeded for quota 'volumes_" + gold + "'.");
        assertThat(api.as(project, "POST", "/volumes", "{\"volume\": {\"size\": 1}}").status())
                .as("other types are not limited by it").isEqualTo(202);

        setQuota(project, "\"volumes_" + gold + "\": 5");
        TestApi.Reply big = api.as(project, "POST", "/volumes", "{\"volume\": {\"size\": 3, \"volume_type\": \"" + gold
                + "\"}}");
        assertThat(big.faultMessage()).isEqualTo("VolumeSizeExceedsAvailableQuota: Requested volume or snapshot"
                + " exceeds allowed gigabytes_" + gold + " quota. Requested 3G, quota is 3G and 1G has been consumed.");
        await().until(() -> usage(project, QuotaResources.keyOfType("volumes", goldId)).equals(new QuotaUsage(1, 0)));
        assertThat(usage(project, "volumes")).isEqualTo(new QuotaUsage(2, 0));
    }

    @Test
    void aCreateTheSchedulerFailsGivesItsQuotaBack() {
        String project = TestApi.newProject();
        setQuota(project, "\"volumes\": 1");
        api.failScheduling = true;
        try {
            String failed = api.createVolumeIn(project, 2);
            api.awaitStatus(failed, VolumeStatus.ERROR);
        } finally {
            api.failScheduling = false;
        }
        assertThat(usage(project, "volumes")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage(project, "gigabytes")).isEqualTo(QuotaUsage.NONE);
        String ok = api.createVolumeIn(project, 1);
        api.awaitStatus(ok, VolumeStatus.AVAILABLE);
        assertThat(usage(project, "volumes")).isEqualTo(new QuotaUsage(1, 0));
    }

    @Test
    void deletingGivesTheQuotaBackWhetherPlacedOrNot() {
        String project = TestApi.newProject();
        setQuota(project, "\"volumes\": 1");
        String placed = api.createVolumeIn(project, 1);
        api.awaitStatus(placed, VolumeStatus.AVAILABLE);
        assertThat(api.as(project, "DELETE", "/volumes/" + placed, null).status()).isEqualTo(202);
        await().until(() -> api.volumes.find(placed).isEmpty());
        assertThat(usage(project, "volumes")).isEqualTo(QuotaUsage.NONE);

        api.holdScheduling = true;
        try {
            String unplaced = api.createVolumeIn(project, 1);
            assertThat(usage(project, "volumes")).isEqualTo(new QuotaUsage(0, 1));
            assertThat(api.as(project, "DELETE", "/volumes/" + unplaced, null).status()).isEqualTo(202);
        } finally {
            api.holdScheduling = false;
        }
        assertThat(usage(project, "volumes")).isEqualTo(QuotaUsage.NONE);
        api.createVolumeIn(project, 1);
    }

    @Test
    void twoHundredConcurrentCreatesAgainstAQuotaOfTenAdmitExactlyTen() throws Exception {
        String project = TestApi.newProject();
        setQuota(project, "\"volumes\": 10");
        int requests = 200;
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<TestApi.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            int n = i;
            replies.add(pool.submit(() -> {
                start.await();
                return api.as(project, "POST", "/volumes", "{\"volume\": {\"size\": 1, \"name\": \"c" + n + "\"}}");
            }));
        }
        start.countDown();
        int accepted = 0;
        int overLimit = 0;
        for (Future<TestApi.Reply> f : replies) {
            TestApi.Reply r = f.get();
            if (r.status() == 202) {
                accepted++;
            } else {
                assertThat(r.status()).as(r.text()).isEqualTo(413);
                assertThat(r.faultMessage()).isEqualTo("VolumeLimitExceeded: Maximum number of volumes allowed (10)"
                        + " exceeded for quota 'volumes'.");
                overLimit++;
            }
        }
        pool.shutdown();
        assertThat(accepted).isEqualTo(10);
        assertThat(overLimit).isEqualTo(190);
        assertThat(rows(project)).isEqualTo(10);
        await().atMost(Duration.ofSeconds(20)).until(() -> usage(project, "volumes").equals(new QuotaUsage(10, 0)));
        JsonNode set = api.as(project, "GET", "/os-quota-sets/" + project + "?usage=True", null).json()
                .get("quota_set");
        assertThat(set.get("volumes").toString()).isEqualTo("{\"limit\":10,\"in_use\":10,\"reserved\":0}");
        assertThat(set.get("gigabytes").get("in_use").asInt()).isEqualTo(10);
    }
}
