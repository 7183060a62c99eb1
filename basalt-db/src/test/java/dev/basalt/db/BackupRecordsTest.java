package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Backup records: quota with the row, lists, conditional transitions, incremental chains, import. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class BackupRecordsTest {
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    private final TestDatabase database;
    private Database db;
    private BackupRecords backups;
    private QuotaRepository quotas;
    private String project;

    BackupRecordsTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open();
        backups = new BackupRecords(db);
        quotas = new QuotaRepository(db);
        project = "p-" + Ids.newId();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Backup backup(String volumeId, int size, String parentId, Instant created, Map<String, String> metadata) {
        return Backup.creating(Ids.newId(), project, "u", volumeId, null, "nova", "b", null, "backups", size,
                parentId, null, metadata, created.truncatedTo(ChronoUnit.MICROS));
    }

    private Backup backup(String volumeId) {
        return backup(volumeId, 2, null, Instant.now(), Map.of());
    }

    private QuotaReservation quota(int size, int backupLimit, int gigabyteLimit) {
        return QuotaReservation.of(project, Map.of("backups", 1L, "backup_gigabytes", (long) size),
                Map.of("backups", backupLimit, "backup_gigabytes", gigabyteLimit));
    }

    private QuotaUsage usage(String resource) {
        return quotas.usages(project).getOrDefault(resource, QuotaUsage.NONE);
    }

    /** An available backup, created with its quota. */
    private Backup available(String volumeId, String parentId, Instant created) {
        Backup b = backup(volumeId, 2, parentId, created, Map.of());
        assertThat(backups.create(b, quota(2, -1, -1))).isEqualTo(BackupRecords.CreateOutcome.CREATED);
        assertThat(backups.finishCreate(b.id(), 3, 1234L, null)).isTrue();
        return backups.find(b.id()).orElseThrow();
    }

    @Test
    void aBackupClaimsItsQuotaInUseWithItsRowUntilItIsDeleted() {
        String volume = Ids.newId();
        Backup b = backup(volume, 3, null, Instant.now(), Map.of("k", "v"));
        assertThat(backups.create(b, quota(3, 10, 100))).isEqualTo(BackupRecords.CreateOutcome.CREATED);
        assertThat(usage("backups")).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage("backup_gigabytes")).isEqualTo(new QuotaUsage(3, 0));
        assertThat(backups.find(b.id(), project)).get().satisfies(found -> {
            assertThat(found.status()).isEqualTo(BackupStatus.CREATING);
            assertThat(found.metadata()).containsExactly(Map.entry("k", "v"));
            assertThat(found.size()).isEqualTo(3);
            assertThat(found.container()).isEqualTo("backups");
            assertThat(found.createdAt()).isEqualTo(b.createdAt());
            assertThat(found.dataTimestamp()).as("a backup of a volume takes its data when created")
                    .isEqualTo(b.createdAt());
            assertThat(found.progress()).isNull();
            assertThat(found.storedBytes()).isNull();
            assertThat(found.incremental()).isFalse();
        });
        assertThat(backups.find(b.id(), "another")).isEmpty();

        assertThat(backups.fail(b.id(), Set.of(BackupStatus.CREATING), BackupStatus.ERROR, "disk on fire")).isTrue();
        assertThat(usage("backups")).as("a failed backup counts until deleted").isEqualTo(new QuotaUsage(1, 0));
        assertThat(backups.find(b.id()).orElseThrow().failReason()).isEqualTo("disk on fire");

        assertThat(backups.delete(b.id())).isTrue();
        assertThat(backups.delete(b.id())).as("a second delivery").isFalse();
        assertThat(backups.find(b.id())).isEmpty();
        assertThat(backups.metadata(b.id())).isEmpty();
        assertThat(usage("backups")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage("backup_gigabytes")).isEqualTo(QuotaUsage.NONE);
    }

    @Test
    void aBackupOverQuotaWritesNothing() {
        String volume = Ids.newId();
        backups.create(backup(volume, 4, null, Instant.now(), Map.of()), quota(4, 1, 100));
        Backup second = backup(volume, 4, null, Instant.now(), Map.of("k", "v"));
        assertThatThrownBy(() -> backups.create(second, quota(4, 1, 100)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.resource()).isEqualTo("backups");
                    assertThat(e.limit()).isEqualTo(1);
                });
        assertThatThrownBy(() -> backups.create(second, quota(4, 10, 7)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.resource()).isEqualTo("backup_gigabytes");
                    assertThat(e.consumed()).isEqualTo(4);
                    assertThat(e.requested()).isEqualTo(4);
                });
        assertThat(backups.find(second.id())).isEmpty();
        assertThat(backups.metadata(second.id())).isEmpty();
        assertThat(backups.list(BackupQuery.allOf(project)).items()).hasSize(1);
        assertThat(usage("backups")).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage("backup_gigabytes")).isEqualTo(new QuotaUsage(4, 0));
    }

    @Test
    void concurrentBackupsNeverExceedTheLimit() throws Exception {
        String volume = Ids.newId();
        List<Boolean> results = Races.race(16, () -> {
            try {
                backups.create(backup(volume), quota(2, 5, -1));
                return true;
            } catch (QuotaExceededException e) {
                return false;
            }
        });
        assertThat(results.stream().filter(r -> r).count()).isEqualTo(5);
        assertThat(backups.list(BackupQuery.allOf(project)).items()).hasSize(5);
        assertThat(usage("backups")).isEqualTo(new QuotaUsage(5, 0));
        assertThat(usage("backup_gigabytes")).isEqualTo(new QuotaUsage(10, 0));
    }

    @Test
    void transitionsWinOnlyFromTheExpectedStatus() {
        Backup b = backup(Ids.newId());
        backups.create(b, null);
        assertThat(backups.assignHost(b.id(), Set.of(BackupStatus.CREATING), "node1", "posix")).isTrue();
        assertThat(backups.recordTemporaries(b.id(), "tmp-vol", null)).isTrue();
        assertThat(backups.findOnHost("node1", Set.of(BackupStatus.CREATING))).extracting(Backup::tempVolumeId)
                .containsExactly("tmp-vol");
        assertThat(backups.findOnHost("node2", Set.of(BackupStatus.CREATING))).isEmpty();
        assertThat(backups.updateProgress(b.id(), 40)).isTrue();
        assertThat(backups.find(b.id()).orElseThrow().progress()).isEqualTo(40);
        assertThatThrownBy(() -> backups.updateProgress(b.id(), 101)).isInstanceOf(IllegalArgumentException.class);

        assertThat(backups.finishCreate(b.id(), 7, 4096L, "{\"manifest\":\"m1\"}")).isTrue();
        assertThat(backups.finishCreate(b.id(), 8, 1L, null)).as("a second delivery").isFalse();
        assertThat(backups.find(b.id()).orElseThrow()).satisfies(found -> {
            assertThat(found.status()).isEqualTo(BackupStatus.AVAILABLE);
            assertThat(found.host()).isEqualTo("node1");
            assertThat(found.service()).isEqualTo("posix");
            assertThat(found.objectCount()).isEqualTo(7);
            assertThat(found.storedBytes()).isEqualTo(4096L);
            assertThat(found.serviceMetadata()).isEqualTo("{\"manifest\":\"m1\"}");
            assertThat(found.progress()).isEqualTo(100);
            assertThat(found.tempVolumeId()).isNull();
            assertThat(found.updatedAt()).isNotNull();
        });
        assertThat(backups.updateProgress(b.id(), 10)).as("no work under way").isFalse();
        assertThat(backups.fail(b.id(), Set.of(BackupStatus.CREATING), BackupStatus.ERROR, "late")).isFalse();

        String volume = Ids.newId();
        assertThat(backups.beginRestore(b.id(), volume, "node2")).isTrue();
        assertThat(backups.find(b.id()).orElseThrow()).satisfies(found -> {
            assertThat(found.status()).isEqualTo(BackupStatus.RESTORING);
            assertThat(found.restoreVolumeId()).isEqualTo(volume);
            assertThat(found.host()).as("the backup service that restores it, as Cinder").isEqualTo("node2");
            assertThat(found.progress()).isZero();
        });
        assertThat(backups.updateProgress(b.id(), 50)).isTrue();
        assertThat(backups.finishRestore(b.id(), volume, false)).isTrue();
        assertThat(backups.finishRestore(b.id(), volume, false)).isFalse();
        assertThat(backups.find(b.id()).orElseThrow().status()).isEqualTo(BackupStatus.AVAILABLE);

        assertThat(backups.transition(b.id(), Set.of(BackupStatus.ERROR), BackupStatus.AVAILABLE)).isFalse();
        assertThat(backups.beginDelete(b.id(), Set.of(BackupStatus.AVAILABLE, BackupStatus.ERROR)))
                .isEqualTo(BackupRecords.DeleteOutcome.STARTED);
        assertThat(backups.beginDelete(b.id(), Set.of(BackupStatus.AVAILABLE, BackupStatus.ERROR)))
                .isEqualTo(BackupRecords.DeleteOutcome.STATUS);
        assertThat(backups.fail(b.id(), Set.of(BackupStatus.DELETING), BackupStatus.ERROR_DELETING, "x".repeat(2000)))
                .isTrue();
        assertThat(backups.find(b.id()).orElseThrow().failReason()).hasSize(1024);
        assertThat(backups.resetStatus(b.id(), BackupStatus.ERROR)).isTrue();
        assertThat(backups.find(b.id()).orElseThrow().failReason()).isNull();
        assertThat(backups.resetStatus(Ids.newId(), BackupStatus.ERROR)).isFalse();
        assertThat(backups.beginDelete(Ids.newId(), Set.of(BackupStatus.ERROR)))
                .isEqualTo(BackupRecords.DeleteOutcome.NOT_FOUND);
        assertThat(backups.transition(Ids.newId(), Set.of(BackupStatus.ERROR), BackupStatus.AVAILABLE)).isFalse();
    }

    @Test
    void aRestoreIntoANewVolumeTakesOverItsCreateAndEndsWhenTheVolumeFailsOrGoes() {
        VolumeRepository volumes = new VolumeRepository(db);
        WorkerRepository workers = new WorkerRepository(db);
        Backup b = available(Ids.newId(), null, BASE);
        Volume v = new Volume(Ids.newId(), project, "u", "from-backup", null, 2, VolumeStatus.CREATING,
                AttachStatus.DETACHED, "nova", "node1@file#file", null, false, false, null, null, null, null, Map.of(),
                Instant.now(), null, null);
        volumes.create(v);
        assertThat(workers.claim(CleanableResource.VOLUME, v.id(), "creating", 7)).isEqualTo(WorkerRepository.Claim.CLAIMED);

        assertThat(backups.beginRestoreIntoNew(b.id(), Ids.newId(), "node1")).as("no such creating volume").isFalse();
        assertThat(backups.beginRestoreIntoNew(b.id(), v.id(), "node3")).isTrue();
        assertThat(backups.find(b.id()).orElseThrow()).satisfies(found -> {
            assertThat(found.status()).isEqualTo(BackupStatus.RESTORING);
            assertThat(found.restoreVolumeId()).isEqualTo(v.id());
            assertThat(found.host()).isEqualTo("node3");
        });
        assertThat(workers.find(CleanableResource.VOLUME, v.id())).hasValueSatisfying(w ->
                assertThat(w.claimed()).as("given up").isFalse());
        assertThat(workers.claim(CleanableResource.VOLUME, v.id(), "creating", 7)).isEqualTo(WorkerRepository.Claim.CLAIMED);
        assertThat(backups.beginRestoreIntoNew(b.id(), v.id(), "node3")).as("sent again: given up again").isTrue();
        assertThat(workers.find(CleanableResource.VOLUME, v.id()).orElseThrow().claimed()).isFalse();
        Volume other = new Volume(Ids.newId(), project, "u", "other", null, 2, VolumeStatus.CREATING,
                AttachStatus.DETACHED, "nova", "node1@file#file", null, false, false, null, null, null, null, Map.of(),
                Instant.now(), null, null);
        volumes.create(other);
        assertThat(backups.beginRestoreIntoNew(b.id(), other.id(), "node4")).as("a second restore at once").isTrue();
        assertThat(backups.restoresOnHost("node3")).containsExactly(new BackupRecords.RunningRestore(b.id(), v.id(),
                "node3"));
        assertThat(backups.find(b.id()).orElseThrow().host()).as("the last to take it").isEqualTo("node4");

        assertThat(volumes.markError(v.id(), Set.of(VolumeStatus.CREATING), "the backup service stopped")).isTrue();
        assertThat(backups.find(b.id()).orElseThrow()).satisfies(found -> {
            assertThat(found.status()).as("the other restore runs").isEqualTo(BackupStatus.RESTORING);
            assertThat(found.failReason()).isEqualTo("the backup service stopped");
        });
        assertThat(backups.isRestoring(b.id(), v.id())).isFalse();
        assertThat(workers.find(CleanableResource.VOLUME, v.id())).isEmpty();

        assertThat(volumes.delete(other.id())).isTrue();
        assertThat(backups.find(b.id()).orElseThrow().status()).isEqualTo(BackupStatus.AVAILABLE);
        assertThat(backups.restoresOnHost("node4")).isEmpty();
    }

    @Test
    void restoresOfOneBackupRunSideBySideUntilTheLastEndsAndOfConcurrentDeletesOnlyOneWins() throws Exception {
        Backup b = available(Ids.newId(), null, Instant.now());
        List<Boolean> restores = Races.race(8, () -> backups.beginRestore(b.id(), Ids.newId(), "node1"));
        assertThat(restores).as("restores of one backup run side by side").containsOnly(true);
        List<BackupRecords.RunningRestore> running = backups.restoresOnHost("node1");
        assertThat(running).hasSize(8);
        assertThat(backups.beginDelete(b.id(), Set.of(BackupStatus.AVAILABLE, BackupStatus.ERROR)))
                .as("refused while a restore runs, as Cinder").isEqualTo(BackupRecords.DeleteOutcome.STATUS);
        assertThat(backups.finishRestore(b.id(), running.getFirst().volumeId(), true)).isTrue();
        assertThat(backups.find(b.id()).orElseThrow().status()).as("seven still run").isEqualTo(BackupStatus.RESTORING);
        List<Boolean> ends = Races.race(running.subList(1, 8).stream()
                .<Callable<Boolean>>map(r -> () -> backups.finishRestore(b.id(), r.volumeId(), true))
                .toList());
        assertThat(ends).containsOnly(true);
        assertThat(backups.find(b.id()).orElseThrow().status()).isEqualTo(BackupStatus.AVAILABLE);
        List<Boolean> deletes = Races.race(8, () -> backups.beginDelete(b.id(), Set.of(BackupStatus.AVAILABLE))
                == BackupRecords.DeleteOutcome.STARTED);
        assertThat(deletes.stream().filter(r -> r).count()).isEqualTo(1);
        assertThat(backups.find(b.id()).orElseThrow().status()).isEqualTo(BackupStatus.DELETING);
    }

    @Test
    void incrementalBackupsBuildOnAnAvailableParentWhichTheyKeepFromBeingDeleted() {
        String volume = Ids.newId();
        Backup full = available(volume, null, BASE);
        Backup creating = backup(volume, 2, null, BASE.plusSeconds(5), Map.of());
        backups.create(creating, null);

        assertThat(backups.create(backup(volume, 2, creating.id(), BASE, Map.of()), null))
                .isEqualTo(BackupRecords.CreateOutcome.PARENT_STATUS);
        assertThat(backups.create(backup(volume, 2, Ids.newId(), BASE, Map.of()), null))
                .isEqualTo(BackupRecords.CreateOutcome.PARENT_NOT_FOUND);
        assertThat(backups.create(backup(Ids.newId(), 2, full.id(), BASE, Map.of()), quota(2, -1, -1)))
                .as("a parent of another volume").isEqualTo(BackupRecords.CreateOutcome.PARENT_NOT_FOUND);
        assertThat(usage("backups")).as("a refused create claims nothing").isEqualTo(new QuotaUsage(1, 0));

        Backup first = available(volume, full.id(), BASE.plusSeconds(10));
        Backup second = available(volume, full.id(), BASE.plusSeconds(20));
        assertThat(first.incremental()).isTrue();
        assertThat(backups.countDependents(full.id())).isEqualTo(2);
        assertThat(backups.find(full.id()).orElseThrow()).satisfies(found -> {
            assertThat(found.numDependentBackups()).isEqualTo(2);
            assertThat(found.hasDependentBackups()).isTrue();
        });
        assertThat(backups.list(new BackupQuery(project, Map.of("parent_id", full.id()), null, null, null, null,
                null, false, null)).items()).extracting(Backup::id).containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(backups.beginDelete(full.id(), Set.of(BackupStatus.AVAILABLE)))
                .isEqualTo(BackupRecords.DeleteOutcome.HAS_DEPENDENTS);

        assertThat(backups.beginDelete(second.id(), Set.of(BackupStatus.AVAILABLE)))
                .isEqualTo(BackupRecords.DeleteOutcome.STARTED);
        assertThat(backups.create(backup(volume, 2, second.id(), BASE, Map.of()), null))
                .as("a parent being deleted").isEqualTo(BackupRecords.CreateOutcome.PARENT_STATUS);
        backups.delete(second.id());
        backups.delete(first.id());
        assertThat(backups.countDependents(full.id())).isZero();
        assertThat(backups.find(full.id()).orElseThrow().hasDependentBackups()).isFalse();
        assertThat(backups.beginDelete(full.id(), Set.of(BackupStatus.AVAILABLE)))
                .isEqualTo(BackupRecords.DeleteOutcome.STARTED);
    }

    @Test
    void aParentBeingDeletedAndAChildBeingCreatedNeverBothSucceed() throws Exception {
        for (int round = 0; round < 5; round++) {
            String volume = Ids.newId();
            Backup parent = available(volume, null, BASE);
            List<Boolean> won = Races.race(List.<Callable<Boolean>>of(
                    () -> backups.create(backup(volume, 2, parent.id(), BASE, Map.of()), null)
                            == BackupRecords.CreateOutcome.CREATED,
                    () -> backups.beginDelete(parent.id(), Set.of(BackupStatus.AVAILABLE))
                            == BackupRecords.DeleteOutcome.STARTED));
            assertThat(won).as("round %d: exactly one of them", round).containsExactlyInAnyOrder(true, false);
        }
    }

    @Test
    void theLatestAvailableBackupIsTheNewestDataOfTheVolume() {
        String volume = Ids.newId();
        assertThat(backups.latestAvailable(volume)).isEmpty();
        Backup older = available(volume, null, BASE);
        Backup newer = available(volume, null, BASE.plusSeconds(60));
        Backup failed = backup(volume, 2, null, BASE.plusSeconds(120), Map.of());
        backups.create(failed, null);
        backups.fail(failed.id(), Set.of(BackupStatus.CREATING), BackupStatus.ERROR, "x");
        backups.create(backup(volume, 2, null, BASE.plusSeconds(180), Map.of()), null);
        available(Ids.newId(), null, BASE.plusSeconds(240));
        Backup ofSnapshot = Backup.creating(Ids.newId(), project, "u", volume, Ids.newId(), "nova", null, null, null,
                2, null, BASE.plusSeconds(30), Map.of(), BASE.plusSeconds(300));
        backups.create(ofSnapshot, null);
        backups.finishCreate(ofSnapshot.id(), 1, null, null);

        assertThat(backups.latestAvailable(volume)).get().extracting(Backup::id).isEqualTo(newer.id());
        assertThat(backups.latestAvailable(volume, BASE.plusSeconds(45))).as("data taken before a snapshot")
                .get().extracting(Backup::id).isEqualTo(ofSnapshot.id());
        assertThat(backups.latestAvailable(volume, BASE.plusSeconds(30))).get().extracting(Backup::id)
                .isEqualTo(older.id());
        assertThat(backups.latestAvailable(volume, BASE)).isEmpty();
    }

    @Test
    void listsWithFiltersSortsAndKeysetPagination() {
        String v1 = Ids.newId();
        String v2 = Ids.newId();
        List<Backup> made = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            Backup b = Backup.creating(Ids.newId(), project, "u", i % 2 == 0 ? v1 : v2, null, "nova", "b" + (i % 4),
                    null, "c", 1 + i % 3, null, null, i % 3 == 0 ? Map.of("tier", "gold") : Map.of(),
                    BASE.plusSeconds(i / 3));
            backups.create(b, null);
            if (i % 5 == 0) {
                backups.finishCreate(b.id(), 1, null, null);
            }
            made.add(b);
        }
        String other = project;
        project = "p-" + Ids.newId();
        backups.create(backup(v1, 1, null, BASE, Map.of()), null);
        project = other;

        for (List<Sort> sort : List.of(List.of(Sort.asc("name"), Sort.desc("created_at")),
                List.of(Sort.desc("size")), List.of(Sort.asc("display_name")), List.of(Sort.asc("status")))) {
            List<String> seen = new ArrayList<>();
            String marker = null;
            do {
                Page<Backup> page = backups.list(new BackupQuery(project, null, null, null, sort, 5, marker, true,
                        null));
                assertThat(page.total()).isEqualTo(17);
                page.items().forEach(b -> seen.add(b.id()));
                marker = page.items().size() == 5 ? page.items().get(4).id() : null;
            } while (marker != null);
            assertThat(seen).as("sorted by %s", sort).hasSize(17).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(made.stream().map(Backup::id).toList());
        }

        assertThat(backups.list(new BackupQuery(project, Map.of("name", "b1"), null, null, null, null, null, false,
                null)).items()).allMatch(b -> "b1".equals(b.name())).hasSize(4);
        assertThat(backups.list(new BackupQuery(project, Map.of("status", "available"), null, null, null, null, null,
                true, null)).total()).isEqualTo(4);
        assertThat(backups.list(new BackupQuery(project, Map.of("volume_id", v1), null, Map.of("tier", "gold"),
                null, null, null, false, null)).items())
                .allMatch(b -> b.volumeId().equals(v1) && "gold".equals(b.metadata().get("tier"))).hasSize(3);
        assertThat(backups.list(new BackupQuery(project, null, Map.of("name", "3"), null, null, null, null, true,
                null)).total()).isEqualTo(4);
        assertThat(backups.list(new BackupQuery(null, Map.of("volume_id", v1), null, null, null, null, null, true,
                null)).total()).as("all tenants").isEqualTo(10);
        List<String> oldestFirst = made.stream()
                .sorted(Comparator.comparing(Backup::createdAt).thenComparing(Backup::id)).map(Backup::id).toList();
        assertThat(backups.list(new BackupQuery(project, null, null, null, List.of(Sort.asc("created_at")), 3, null,
                false, 2)).items()).extracting(Backup::id).containsExactlyElementsOf(oldestFirst.subList(2, 5));
        assertThat(backups.list(BackupQuery.allOf(project)).items()).extracting(Backup::id)
                .as("newest first").containsExactlyElementsOf(oldestFirst.reversed());

        assertThatThrownBy(() -> backups.list(new BackupQuery(project, null, null, null, null, 5, Ids.newId(), false,
                null))).isInstanceOfSatisfying(BasaltException.class, e -> {
                    assertThat(e.fault()).isEqualTo(Fault.NOT_FOUND);
                    assertThat(e).hasMessageContaining("Backup").hasMessageContaining("could not be found");
                });
        assertThatThrownBy(() -> backups.list(new BackupQuery(project, null, null, null, List.of(Sort.asc("colour")),
                null, null, false, null))).isInstanceOf(BasaltException.class);
        assertThatThrownBy(() -> backups.list(new BackupQuery(project, Map.of("size", "big"), null, null, null,
                null, null, false, null))).isInstanceOf(BasaltException.class);
    }

    @Test
    void metadataMergesReplacesAndDeletesAndRenameSetsOrClears() {
        Backup b = backup(Ids.newId(), 1, null, Instant.now(), Map.of("a", "1"));
        backups.create(b, null);
        assertThat(backups.mergeMetadata(b.id(), Map.of("b", "2", "a", "3"))).isTrue();
        assertThat(backups.metadata(b.id())).containsExactlyInAnyOrderEntriesOf(Map.of("a", "3", "b", "2"));
        assertThat(backups.replaceMetadata(b.id(), Map.of("c", "4"))).isTrue();
        assertThat(backups.find(b.id()).orElseThrow().metadata()).containsExactly(Map.entry("c", "4"));
        assertThat(backups.deleteMetadataKey(b.id(), "c")).isTrue();
        assertThat(backups.deleteMetadataKey(b.id(), "c")).isFalse();
        assertThat(backups.mergeMetadata(Ids.newId(), Map.of("x", "y"))).isFalse();
        assertThat(backups.replaceMetadata(Ids.newId(), Map.of("x", "y"))).isFalse();

        assertThat(backups.rename(b.id(), true, "renamed", true, "described")).isTrue();
        assertThat(backups.find(b.id()).orElseThrow()).satisfies(found -> {
            assertThat(found.name()).isEqualTo("renamed");
            assertThat(found.description()).isEqualTo("described");
        });
        assertThat(backups.rename(b.id(), false, null, true, null)).isTrue();
        assertThat(backups.find(b.id()).orElseThrow().name()).isEqualTo("renamed");
        assertThat(backups.find(b.id()).orElseThrow().description()).isNull();
        assertThat(backups.rename(Ids.newId(), true, "x", false, null)).isFalse();
    }

    @Test
    void anImportedRecordIsRefusedWhileItsBackupExists() {
        Backup exported = available(Ids.newId(), null, BASE);
        assertThatThrownBy(() -> backups.importRecord(exported, quota(2, -1, -1)))
                .isInstanceOfSatisfying(BackupExistsException.class, e -> {
                    assertThat(e.fault()).isEqualTo(Fault.BAD_REQUEST);
                    assertThat(e.backupId()).isEqualTo(exported.id());
                });
        assertThat(usage("backups")).isEqualTo(new QuotaUsage(1, 0));

        backups.transition(exported.id(), Set.of(BackupStatus.AVAILABLE), BackupStatus.DELETED);
        backups.importRecord(exported.withStatus(BackupStatus.CREATING).withMetadata(Map.of("from", "export")),
                quota(2, -1, -1));
        assertThat(backups.find(exported.id()).orElseThrow()).satisfies(found -> {
            assertThat(found.status()).isEqualTo(BackupStatus.CREATING);
            assertThat(found.storedBytes()).isEqualTo(1234L);
            assertThat(found.metadata()).containsExactly(Map.entry("from", "export"));
        });
        assertThat(usage("backups")).as("the deleted record's claim went with it").isEqualTo(new QuotaUsage(1, 0));

        backups.delete(exported.id());
        backups.importRecord(exported);
        assertThat(backups.find(exported.id())).isPresent();
        assertThat(usage("backups")).isEqualTo(QuotaUsage.NONE);
    }

    @Test
    void ofConcurrentImportsOfOneRecordOnlyOneLands() throws Exception {
        Backup record = backup(Ids.newId());
        List<Boolean> imported = Races.race(6, () -> {
            try {
                backups.importRecord(record, quota(2, -1, -1));
                return true;
            } catch (BackupExistsException e) {
                return false;
            }
        });
        assertThat(imported.stream().filter(r -> r).count()).isEqualTo(1);
        assertThat(usage("backups")).isEqualTo(new QuotaUsage(1, 0));
    }
}
