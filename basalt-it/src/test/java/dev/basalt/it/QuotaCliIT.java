package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Quotas, limits and private volume types end to end: a real {@code basalt all} process whose
 * cinder.conf sets {@code quota_volumes = 3}, driven by Debian's {@code cinder} client. Each test
 * works in a project of its own; the last one changes the default quota class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuotaCliIT {
    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth("quota_volumes = 3\nquota_gigabytes = 100");

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
    }

    private Cli cinder(String project) {
        return basalt.cli("u1", project);
    }

    /** quota-usage as resource → {In_use, Reserved, Limit}. */
    private static Map<String, Map<String, String>> usage(Cli cinder, String project) throws Exception {
        Map<String, Map<String, String>> byType = new java.util.LinkedHashMap<>();
        for (Map<String, String> row : Tables.records(cinder.cinder("quota-usage", project).ok().stdout())) {
            byType.put(row.get("Type"), row);
        }
        return byType;
    }

    private static Statuses statuses(Cli cinder) {
        return new Statuses(cinder.api(), Duration.ofSeconds(30));
    }

    /** Waits for the volume's status; what {@code cinder show} displays then. */
    private static Map<String, String> awaitStatus(Cli cinder, String name, String status) throws Exception {
        statuses(cinder).volume(name, status);
        return Tables.properties(cinder.cinder("show", name).ok().stdout());
    }

    @Test
    @Order(1)
    void defaultsComeFromTheConfiguration() throws Exception {
        Cli cinder = cinder("q1");
        Map<String, String> defaults = Tables.properties(cinder.cinder("quota-defaults", "q1").ok().stdout());
        assertThat(defaults).containsEntry("volumes", "3").containsEntry("gigabytes", "100")
                .containsEntry("snapshots", "10").containsEntry("backups", "10").containsEntry("groups", "10")
                .containsEntry("backup_gigabytes", "1000").containsEntry("per_volume_gigabytes", "-1")
                .containsEntry("volumes___DEFAULT__", "-1");
        assertThat(Tables.properties(cinder.cinder("quota-show", "q1").ok().stdout())).isEqualTo(defaults);
        assertThat(Tables.properties(cinder.cinder("quota-class-show", "default").ok().stdout()))
                .containsEntry("volumes", "3");
        Map<String, String> limits = new java.util.HashMap<>();
        Tables.records(cinder.cinder("absolute-limits").ok().stdout())
                .forEach(row -> limits.put(row.get("Name"), row.get("Value")));
        assertThat(limits).containsEntry("maxTotalVolumes", "3").containsEntry("maxTotalVolumeGigabytes", "100")
                .containsEntry("totalVolumesUsed", "0").containsEntry("totalGigabytesUsed", "0");
    }

    @Test
    @Order(2)
    void aCreateOverQuotaIsRefusedAndUsageIsShown() throws Exception {
        Cli cinder = cinder("q2");
        Map<String, String> updated = Tables.properties(cinder.cinder("quota-update", "--volumes", "2",
                "--gigabytes", "20", "q2").ok().stdout());
        assertThat(updated).containsEntry("volumes", "2").containsEntry("gigabytes", "20");
        cinder.cinder("create", "--name", "a", "1").ok();
        cinder.cinder("create", "--name", "b", "2").ok();
        Cli.Result third = cinder.cinder("create", "--name", "c", "1");
        assertThat(third.exitCode()).isNotZero();
        assertThat(third.stderr()).contains("VolumeLimitExceeded: Maximum number of volumes allowed (2) exceeded for"
                + " quota 'volumes'. (HTTP 413)");
        awaitStatus(cinder, "a", "available");
        awaitStatus(cinder, "b", "available");

        Map<String, Map<String, String>> usage = usage(cinder, "q2");
        assertThat(usage.get("volumes")).containsEntry("In_use", "2").containsEntry("Reserved", "0")
                .containsEntry("Limit", "2");
        assertThat(usage.get("gigabytes")).containsEntry("In_use", "3").containsEntry("Limit", "20");
        assertThat(usage.get("volumes___DEFAULT__")).containsEntry("In_use", "2").containsEntry("Limit", "-1");
        Map<String, String> limits = new java.util.HashMap<>();
        Tables.records(cinder.cinder("absolute-limits").ok().stdout())
                .forEach(row -> limits.put(row.get("Name"), row.get("Value")));
        assertThat(limits).containsEntry("maxTotalVolumes", "2").containsEntry("totalVolumesUsed", "2")
                .containsEntry("totalGigabytesUsed", "3");

        Cli.Result below = cinder.cinder("quota-update", "--volumes", "1", "q2");
        assertThat(below.exitCode()).isNotZero();
        assertThat(below.stderr()).contains("Quota volumes limit must be equal or greater than existing resources."
                + " Current usage is 2 and the requested limit is 1. (HTTP 400)");
        Cli.Result negative = cinder.cinder("quota-update", "--gigabytes", "-2", "q2");
        assertThat(negative.stderr()).contains("gigabytes must be >= -1 (HTTP 400)");

        cinder.cinder("delete", "a").ok();
        await().atMost(Duration.ofSeconds(30)).until(() -> usage(cinder, "q2").get("volumes").get("In_use")
                .equals("1"));
        cinder.cinder("create", "--name", "c", "1").ok();

        cinder.cinder("quota-delete", "q2").ok();
        assertThat(Tables.properties(cinder.cinder("quota-show", "q2").ok().stdout()))
                .containsEntry("volumes", "3").containsEntry("gigabytes", "100");
    }

    @Test
    @Order(3)
    void perTypeQuotasLimitTheirTypeOnly() throws Exception {
        Cli cinder = cinder("q3");
        cinder.cinder("type-create", "gold").ok();
        Map<String, String> updated = Tables.properties(cinder.cinder("quota-update", "--volumes", "1",
                "--gigabytes", "5", "--volume-type", "gold", "q3").ok().stdout());
        assertThat(updated).containsEntry("volumes_gold", "1").containsEntry("gigabytes_gold", "5")
                .containsEntry("volumes", "3");
        cinder.cinder("create", "--volume-type", "gold", "--name", "g1", "1").ok();
        Cli.Result second = cinder.cinder("create", "--volume-type", "gold", "--name", "g2", "1");
        assertThat(second.stderr()).contains("VolumeLimitExceeded: Maximum number of volumes allowed (1) exceeded for"
                + " quota 'volumes_gold'. (HTTP 413)");
        cinder.cinder("create", "--name", "plain", "1").ok();
        awaitStatus(cinder, "g1", "available");
        awaitStatus(cinder, "plain", "available");
        assertThat(usage(cinder, "q3").get("volumes_gold")).containsEntry("In_use", "1").containsEntry("Limit", "1");
        assertThat(usage(cinder, "q3").get("volumes")).containsEntry("In_use", "2");
    }

    @Test
    @Order(4)
    void aCreateTheSchedulerCannotPlaceGivesItsQuotaBack() throws Exception {
        Cli cinder = cinder("q4");
        cinder.cinder("type-create", "pinned").ok();
        cinder.cinder("type-key", "pinned", "set", "volume_backend_name=nowhere").ok();
        cinder.cinder("create", "--volume-type", "pinned", "--name", "stuck", "2").ok();
        Map<String, String> failed = awaitStatus(cinder, "stuck", "error");
        assertThat(failed).containsEntry("size", "2");
        Map<String, Map<String, String>> usage = usage(cinder, "q4");
        assertThat(usage.get("volumes")).containsEntry("In_use", "0").containsEntry("Reserved", "0");
        assertThat(usage.get("gigabytes")).containsEntry("In_use", "0").containsEntry("Reserved", "0");
        assertThat(usage.get("volumes_pinned")).containsEntry("In_use", "0").containsEntry("Reserved", "0");
        cinder.cinder("delete", "stuck").ok();
        statuses(cinder).gone(Statuses.Kind.VOLUME, "stuck");
        assertThat(usage(cinder, "q4").get("volumes")).containsEntry("In_use", "0");
    }

    @Test
    @Order(5)
    void privateTypesAndTheirAccessList() throws Exception {
        Cli cinder = cinder("q5");
        Map<String, String> created = Tables.records(cinder.cinder("type-create", "--is-public", "false", "secret")
                .ok().stdout()).get(0);
        assertThat(created).containsEntry("Name", "secret").containsEntry("Is_Public", "False");
        String id = created.get("ID");
        assertThat(Tables.records(cinder.cinder("type-list").ok().stdout()))
                .anySatisfy(row -> assertThat(row).containsEntry("Name", "secret").containsEntry("Is_Public", "False"));
        assertThat(Tables.records(cinder.cinder("type-access-list", "--volume-type", id).ok().stdout())).isEmpty();

        cinder.cinder("type-access-add", "--volume-type", id, "--project-id", "tenant-a").ok();
        cinder.cinder("type-access-add", "--volume-type", id, "--project-id", "tenant-b").ok();
        Cli.Result again = cinder.cinder("type-access-add", "--volume-type", id, "--project-id", "tenant-a");
        assertThat(again.stderr()).contains("Volume type access for " + id + " / tenant-a combination already exists."
                + " (HTTP 409)");
        assertThat(Tables.records(cinder.cinder("type-access-list", "--volume-type", id).ok().stdout()))
                .extracting(row -> row.get("Project_ID")).containsExactly("tenant-a", "tenant-b");

        cinder.cinder("type-access-remove", "--volume-type", id, "--project-id", "tenant-a").ok();
        assertThat(Tables.records(cinder.cinder("type-access-list", "--volume-type", id).ok().stdout()))
                .extracting(row -> row.get("Project_ID")).containsExactly("tenant-b");
        Cli.Result gone = cinder.cinder("type-access-remove", "--volume-type", id, "--project-id", "tenant-a");
        assertThat(gone.stderr()).contains("Volume type access not found for " + id
                + " / tenant-a combination. (HTTP 404)");
    }

    @Test
    @Order(6)
    void twoHundredConcurrentCreatesAgainstAQuotaOfTenAdmitExactlyTen() throws Exception {
        cinder("q6").cinder("quota-update", "--volumes", "10", "q6").ok();
        Api api = new Api(basalt.endpoint(), "u1", "q6");
        int requests = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Api.Response>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(requests)) {
            for (int i = 0; i < requests; i++) {
                String body = "{\"volume\": {\"size\": 1, \"name\": \"c" + i + "\"}}";
                replies.add(pool.submit(() -> {
                    start.await();
                    return api.post("/volumes", body);
                }));
            }
            start.countDown();
            int accepted = 0;
            int overLimit = 0;
            for (Future<Api.Response> f : replies) {
                Api.Response r = f.get();
                if (r.status() == 202) {
                    accepted++;
                } else {
                    assertThat(r.status()).as(r.raw()).isEqualTo(413);
                    assertThat(r.body().path("overLimit").path("message").asText()).isEqualTo("VolumeLimitExceeded:"
                            + " Maximum number of volumes allowed (10) exceeded for quota 'volumes'.");
                    overLimit++;
                }
            }
            assertThat(accepted).isEqualTo(10);
            assertThat(overLimit).isEqualTo(190);
        }
        Cli cinder = cinder("q6");
        await().atMost(Duration.ofSeconds(60)).until(() -> usage(cinder, "q6").get("volumes").get("In_use")
                .equals("10"));
        assertThat(usage(cinder, "q6").get("volumes")).containsEntry("Reserved", "0");
        assertThat(api.get("/volumes").body().path("volumes")).hasSize(10);
    }

    @Test
    @Order(7)
    void theDefaultQuotaClassOverridesTheConfiguration() throws Exception {
        Cli cinder = cinder("q7");
        Map<String, String> updated = Tables.properties(cinder.cinder("quota-class-update", "--volumes", "7",
                "default").ok().stdout());
        assertThat(updated).containsEntry("volumes", "7");
        assertThat(Tables.properties(cinder.cinder("quota-class-show", "default").ok().stdout()))
                .containsEntry("volumes", "7").containsEntry("gigabytes", "100");
        assertThat(Tables.properties(cinder.cinder("quota-defaults", "q7").ok().stdout()))
                .containsEntry("volumes", "7");
        assertThat(Tables.properties(cinder.cinder("quota-show", "q7").ok().stdout())).containsEntry("volumes", "7");
    }

    @Test
    @Order(8)
    void snapshotsAndExtendsTakeQuota() throws Exception {
        Cli cinder = cinder("q8");
        cinder.cinder("quota-update", "--snapshots", "1", "--gigabytes", "6", "q8").ok();
        cinder.cinder("create", "--name", "s-vol", "2").ok();
        awaitStatus(cinder, "s-vol", "available");
        cinder.cinder("snapshot-create", "--name", "one", "s-vol").ok();
        statuses(cinder).snapshot("one", "available");
        Cli.Result second = cinder.cinder("snapshot-create", "--name", "two", "s-vol");
        assertThat(second.exitCode()).isNotZero();
        assertThat(second.stderr()).contains("SnapshotLimitExceeded: Maximum number of snapshots allowed (1) exceeded"
                + " (HTTP 413)");
        Map<String, Map<String, String>> usage = usage(cinder, "q8");
        assertThat(usage.get("snapshots")).containsEntry("In_use", "1").containsEntry("Reserved", "0");
        assertThat(usage.get("gigabytes")).containsEntry("In_use", "4");

        Cli.Result tooFar = cinder.cinder("extend", "s-vol", "5");
        assertThat(tooFar.exitCode()).isNotZero();
        assertThat(tooFar.stderr()).contains("VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds"
                + " allowed gigabytes quota. Requested 3G, quota is 6G and 4G has been consumed. (HTTP 413)");
        assertThat(Tables.properties(cinder.cinder("show", "s-vol").ok().stdout())).containsEntry("size", "2");
        cinder.cinder("extend", "s-vol", "4").ok();
        statuses(cinder).until(Statuses.Kind.VOLUME, "s-vol",
                v -> "available".equals(v.path("status").asText()) && v.path("size").asInt() == 4);
        assertThat(usage(cinder, "q8").get("gigabytes")).containsEntry("In_use", "6").containsEntry("Reserved", "0");
    }
}
