package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.QuotaResources;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Volumes claim quota with their row, and their claims settle with their status or their deletion. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class QuotaClaimsTest {
    private static final Set<VolumeStatus> CREATING = Set.of(VolumeStatus.CREATING);

    private final TestDatabase database;
    private Database db;
    private VolumeRepository volumes;
    private QuotaRepository quotas;
    private String project;

    QuotaClaimsTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open();
        volumes = new VolumeRepository(db);
        quotas = new QuotaRepository(db);
        project = "p-" + Ids.newId();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Volume volume(int size) {
        return new Volume(Ids.newId(), project, "u", "v", null, size, VolumeStatus.CREATING, AttachStatus.DETACHED,
                "nova", null, null, false, false, null, null, null, null, Map.of("k", "v"), Instant.now(), null, null);
    }

    private QuotaReservation reservation(int size, int volumeLimit, int gigabyteLimit) {
        return QuotaReservation.of(project, Map.of("volumes", 1L, "gigabytes", (long) size, "volumes:gold-id", 1L),
                Map.of("volumes", volumeLimit, "gigabytes", gigabyteLimit, "volumes:gold-id", -1));
    }

    private QuotaUsage usage(String resource) {
        return quotas.usages(project).getOrDefault(resource, QuotaUsage.NONE);
    }

    @Test
    void aCreateReservesCommitsOnAvailableAndReleasesOnDelete() {
        Volume v = volume(3);
        volumes.create(v, reservation(3, 10, 100));
        assertThat(usage("volumes")).isEqualTo(new QuotaUsage(0, 1));
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(0, 3));
        assertThat(usage("volumes:gold-id")).isEqualTo(new QuotaUsage(0, 1));

        assertThat(volumes.markAvailable(v.id())).isTrue();
        assertThat(volumes.markAvailable(v.id())).isFalse();
        assertThat(usage("volumes")).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(3, 0));

        assertThat(volumes.markError(v.id(), Set.of(VolumeStatus.AVAILABLE), "reset")).isTrue();
        assertThat(usage("gigabytes")).as("an error after success keeps what is in use")
                .isEqualTo(new QuotaUsage(3, 0));

        assertThat(volumes.delete(v.id())).isTrue();
        assertThat(volumes.delete(v.id())).isFalse();
        assertThat(usage("volumes")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage("gigabytes")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage("volumes:gold-id")).isEqualTo(QuotaUsage.NONE);
    }

    @Test
    void aFailedCreateGivesItsReservationBackOnce() {
        Volume v = volume(5);
        volumes.create(v, reservation(5, 10, 100));
        assertThat(volumes.markError(v.id(), CREATING, "no valid backend")).isTrue();
        assertThat(volumes.markError(v.id(), CREATING, "delivered twice")).isFalse();
        assertThat(volumes.markAvailable(v.id())).isFalse();
        assertThat(usage("volumes")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage("gigabytes")).isEqualTo(QuotaUsage.NONE);

        assertThat(volumes.delete(v.id())).isTrue();
        assertThat(usage("gigabytes")).as("deleting the failed volume gives nothing back twice")
                .isEqualTo(QuotaUsage.NONE);
    }

    @Test
    void deletingAVolumeStillCreatingReleasesItsReservation() {
        Volume v = volume(2);
        volumes.create(v, reservation(2, 10, 100));
        assertThat(volumes.deleteIfUnplaced(v.id())).isTrue();
        assertThat(usage("volumes")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage("gigabytes")).isEqualTo(QuotaUsage.NONE);
    }

    @Test
    void overQuotaInsertsNothingAndNamesTheFirstResourceOverItsLimit() {
        volumes.create(volume(8), reservation(8, 10, 10));
        Volume tooBig = volume(3);
        assertThatThrownBy(() -> volumes.create(tooBig, reservation(3, 1, 10)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.resource()).as("gigabytes sorts before volumes").isEqualTo("gigabytes");
                    assertThat(e.limit()).isEqualTo(10);
                    assertThat(e.requested()).isEqualTo(3);
                    assertThat(e.consumed()).isEqualTo(8);
                });
        assertThat(volumes.find(tooBig.id())).isEmpty();
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(0, 8));
        assertThat(usage("volumes")).isEqualTo(new QuotaUsage(0, 1));
        assertThat(usage("volumes:gold-id")).isEqualTo(new QuotaUsage(0, 1));

        assertThatThrownBy(() -> volumes.create(volume(1), reservation(1, 1, 100)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.resource()).isEqualTo("volumes");
                    assertThat(e.limit()).isEqualTo(1);
                });
        volumes.create(volume(2), reservation(2, -1, 10));
        assertThat(usage("gigabytes")).as("fits exactly").isEqualTo(new QuotaUsage(0, 10));
    }

    @Test
    void concurrentCreatesNeverExceedTheLimit() throws Exception {
        int requests = 200;
        int limit = 10;
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    volumes.create(volume(1), reservation(1, limit, 1000));
                    admitted.incrementAndGet();
                } catch (QuotaExceededException e) {
                    refused.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(admitted.get()).isEqualTo(limit);
        assertThat(refused.get()).isEqualTo(requests - limit);
        assertThat(volumes.list(VolumeQuery.allOf(project)).items()).hasSize(limit);
        assertThat(usage("volumes")).isEqualTo(new QuotaUsage(0, limit));
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(0, limit));
        for (Volume v : volumes.list(VolumeQuery.allOf(project)).items()) {
            volumes.markAvailable(v.id());
        }
        assertThat(usage("volumes")).isEqualTo(new QuotaUsage(limit, 0));
    }

    @Test
    void concurrentCreatesWithinUnlimitedQuotasAreNeverRefused() throws Exception {
        for (int round = 0; round < 5; round++) {
            String fresh = project + "-" + round;
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int size = 1 + i % 3;
                futures.add(pool.submit(() -> {
                    start.await();
                    Volume v = new Volume(Ids.newId(), fresh, "u", "v", null, size, VolumeStatus.CREATING,
                            AttachStatus.DETACHED, "nova", null, null, false, false, null, null, null, null, Map.of(),
                            Instant.now(), null, null);
                    volumes.create(v, QuotaReservation.of(fresh, Map.of("volumes", 1L, "gigabytes", (long) size,
                            "volumes:t", 1L, "gigabytes:t", (long) size), Map.of("volumes", -1, "gigabytes", -1,
                            "volumes:t", -1, "gigabytes:t", -1)));
                    if (size != 2) {
                        volumes.markAvailable(v.id());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertThat(quotas.usages(fresh).get("volumes")).isEqualTo(new QuotaUsage(67, 33));
            assertThat(quotas.usages(fresh).get("gigabytes")).isEqualTo(new QuotaUsage(133, 66));
        }
    }

    @Test
    void mixedConcurrentWorkAcrossProjectsKeepsUsageExact() throws Exception {
        List<String> projects = List.of(project, project + "-b", project + "-c", project + "-d");
        ExecutorService pool = Executors.newFixedThreadPool(32);
        java.util.Random random = new java.util.Random(42);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            String p = projects.get(i % projects.size());
            int size = 1 + random.nextInt(3);
            int fate = random.nextInt(4);
            work.add(pool.submit(() -> {
                Volume v = new Volume(Ids.newId(), p, "u", "v", null, size, VolumeStatus.CREATING,
                        AttachStatus.DETACHED, "nova", null, null, false, false, null, null, null, null, Map.of(),
                        Instant.now(), null, null);
                try {
                    volumes.create(v, QuotaReservation.of(p, Map.of("volumes", 1L, "gigabytes", (long) size),
                            Map.of("volumes", 40, "gigabytes", -1)));
                } catch (QuotaExceededException e) {
                    return null;
                }
                switch (fate) {
                    case 0 -> volumes.markAvailable(v.id());
                    case 1 -> volumes.markError(v.id(), CREATING, "failed");
                    case 2 -> {
                        volumes.markAvailable(v.id());
                        volumes.delete(v.id());
                    }
                    default -> { }
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        for (String p : projects) {
            long available = 0;
            long creating = 0;
            long availableSize = 0;
            long creatingSize = 0;
            for (Volume v : volumes.list(VolumeQuery.allOf(p)).items()) {
                if (v.status() == VolumeStatus.AVAILABLE) {
                    available++;
                    availableSize += v.size();
                } else if (v.status() == VolumeStatus.CREATING) {
                    creating++;
                    creatingSize += v.size();
                }
            }
            Map<String, QuotaUsage> usages = quotas.usages(p);
            assertThat(usages.get("volumes")).as(p).isEqualTo(new QuotaUsage(available, creating));
            assertThat(usages.get("gigabytes")).as(p).isEqualTo(new QuotaUsage(availableSize, creatingSize));
            assertThat(available + creating).isLessThanOrEqualTo(40);
        }
    }

    @Test
    void limitsAreSetReplacedAndDeletedPerProjectAndClass() {
        quotas.setProjectLimits(project, Map.of("volumes", 5, "gigabytes", 50));
        quotas.setProjectLimits(project, Map.of("volumes", 7));
        assertThat(quotas.projectLimits(project)).containsExactlyInAnyOrderEntriesOf(Map.of("volumes", 7,
                "gigabytes", 50));
        quotas.deleteProjectLimits(project);
        assertThat(quotas.projectLimits(project)).isEmpty();

        String quotaClass = "c-" + Ids.newId();
        quotas.setClassLimits(quotaClass, Map.of("snapshots", -1));
        quotas.setClassLimits(quotaClass, Map.of("snapshots", 3, "backups", 4));
        assertThat(quotas.classLimits(quotaClass)).containsExactlyInAnyOrderEntriesOf(Map.of("snapshots", 3,
                "backups", 4));
    }

    @Test
    void aDeletedTypeTakesItsQuotaResourcesAlongAndARenameTouchesNone() {
        VolumeTypeRepository types = new VolumeTypeRepository(db);
        var type = types.create("t-" + Ids.newId().substring(0, 8), null, true, Map.of());
        String volumesKey = QuotaResources.keyOfType("volumes", type.id());
        String gigabytesKey = QuotaResources.keyOfType("gigabytes", type.id());
        String snapshotsKey = QuotaResources.keyOfType("snapshots", type.id());
        quotas.setProjectLimits(project, Map.of(volumesKey, 4, gigabytesKey, 40, "volumes", 9));
        quotas.setClassLimits(QuotaRepository.DEFAULT_CLASS, Map.of(snapshotsKey, 2));
        Volume v = volume(1);
        volumes.create(v, QuotaReservation.of(project, Map.of(volumesKey, 1L), Map.of(volumesKey, 4)));

        assertThat(types.update(type.id(), type.name() + "-new", null, null)).isTrue();
        assertThat(quotas.projectLimits(project)).containsEntry(volumesKey, 4);
        assertThat(usage(volumesKey)).isEqualTo(new QuotaUsage(0, 1));

        volumes.delete(v.id());
        assertThat(types.delete(type.id())).isTrue();
        assertThat(quotas.projectLimits(project)).containsExactlyEntriesOf(Map.of("volumes", 9));
        assertThat(quotas.classLimits(QuotaRepository.DEFAULT_CLASS)).doesNotContainKey(snapshotsKey);
        assertThat(quotas.usages(project)).doesNotContainKey(volumesKey);
    }

    @Test
    void typeAccessIsAddedListedAndRemovedAndGoesWithTheType() {
        VolumeTypeRepository types = new VolumeTypeRepository(db);
        VolumeTypeAccessRepository access = new VolumeTypeAccessRepository(db);
        var type = types.create("private-" + Ids.newId(), null, false, Map.of());
        assertThat(access.add(type.id(), project)).isTrue();
        assertThat(access.add(type.id(), project)).isFalse();
        assertThat(access.add(type.id(), "a-" + project)).isTrue();
        assertThat(access.projects(type.id())).containsExactly("a-" + project, project);
        assertThat(access.typeIds(project)).containsExactly(type.id());
        assertThat(access.hasAccess(type.id(), project)).isTrue();
        assertThat(access.remove(type.id(), project)).isTrue();
        assertThat(access.remove(type.id(), project)).isFalse();
        assertThat(access.hasAccess(type.id(), project)).isFalse();
        assertThat(types.delete(type.id())).isTrue();
        assertThat(access.projects(type.id())).isEmpty();
    }
}
