package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Upgrading a database that already has volumes: they claim what they hold, so usage starts right. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class QuotaMigrationTest {
    private final TestDatabase database;

    QuotaMigrationTest(TestDatabase database) {
        this.database = database;
    }

    @Test
    void existingVolumesClaimTheirQuotaWhenQuotasArrive() {
        JdbcTarget target = database.emptyDatabase();
        Flyway.configure().dataSource(target.url(), target.user(), target.password())
                .locations("classpath:db/migration").target("2").load()
                .migrate();
        Jdbi jdbi = Jdbi.create(target.url(), target.user(), target.password());
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO volume_types (id, name, description, is_public, created_at, updated_at)"
                    + " VALUES ('t1', 'gold', NULL, TRUE, NULL, NULL)");
            insertVolume(h, "v1", "p1", 2, "available", "t1");
            insertVolume(h, "v2", "p1", 3, "creating", "t1");
            insertVolume(h, "v3", "p1", 4, "error", "t1");
            insertVolume(h, "v4", "p2", 5, "in-use", null);
        });

        try (Database db = Database.open(target, 2)) {
            QuotaRepository quotas = new QuotaRepository(db);
            assertThat(quotas.usages("p1")).containsEntry("volumes", new QuotaUsage(1, 1))
                    .containsEntry("gigabytes", new QuotaUsage(2, 3))
                    .containsEntry("volumes:t1", new QuotaUsage(1, 1))
                    .containsEntry("gigabytes:t1", new QuotaUsage(2, 3));
            assertThat(quotas.usages("p2")).containsOnlyKeys("volumes", "gigabytes")
                    .containsEntry("gigabytes", new QuotaUsage(5, 0));

            VolumeRepository volumes = new VolumeRepository(db);
            assertThat(volumes.markAvailable("v2")).isTrue();
            assertThat(volumes.delete("v1")).isTrue();
            assertThat(volumes.markError("v3", Set.of(VolumeStatus.ERROR), "again")).isTrue();
            assertThat(quotas.usages("p1")).containsEntry("volumes", new QuotaUsage(1, 0))
                    .containsEntry("gigabytes", new QuotaUsage(3, 0))
                    .containsEntry("gigabytes:t1", new QuotaUsage(3, 0));
        }
    }

    @Test
    void existingSnapshotsClaimTheirQuotaWhenSnapshotQuotasArrive() {
        JdbcTarget target = database.emptyDatabase();
        Flyway.configure().dataSource(target.url(), target.user(), target.password())
                .locations("classpath:db/migration").target("5").load()
                .migrate();
        Jdbi jdbi = Jdbi.create(target.url(), target.user(), target.password());
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO volume_types (id, name, description, is_public, created_at, updated_at)"
                    + " VALUES ('t1', 'gold', NULL, TRUE, NULL, NULL)");
            insertVolume(h, "v1", "p1", 2, "available", "t1");
            for (String[] claim : new String[][] {{"volumes", "1"}, {"gigabytes", "2"}, {"gigabytes:t1", "2"}}) {
                h.execute("INSERT INTO quota_claims (holder_id, resource, project_id, in_use, reserved, created_at,"
                        + " updated_at) VALUES ('v1', ?, 'p1', ?, 0, NULL, NULL)", claim[0], Long.parseLong(claim[1]));
            }
            h.execute("INSERT INTO quota_usages (project_id, resource, in_use, reserved, created_at, updated_at)"
                    + " VALUES ('p1', 'volumes', 7, 0, NULL, NULL)");
            insertSnapshot(h, "s1", "v1", "p1", 2, "available", "t1");
            insertSnapshot(h, "s2", "v1", "p1", 2, "creating", "t1");
            insertSnapshot(h, "s3", "v1", "p1", 2, "error", "t1");
            insertSnapshot(h, "s4", "v1", "p1", 2, "deleting", null);
        });
        try (Database db = Database.open(target, 2)) {
            QuotaRepository quotas = new QuotaRepository(db);
            assertThat(quotas.usages("p1")).as("usage summed again from the claims")
                    .containsEntry("volumes", new QuotaUsage(1, 0))
                    .containsEntry("snapshots", new QuotaUsage(2, 1))
                    .containsEntry("gigabytes", new QuotaUsage(6, 2))
                    .containsEntry("snapshots:t1", new QuotaUsage(1, 1))
                    .containsEntry("gigabytes:t1", new QuotaUsage(4, 2));

            SnapshotRepository snapshots = new SnapshotRepository(db);
            assertThat(snapshots.markAvailable("s2")).isTrue();
            assertThat(snapshots.delete("s1")).isTrue();
            assertThat(snapshots.delete("s3")).isTrue();
            assertThat(snapshots.delete("s4")).isTrue();
            assertThat(quotas.usages("p1")).containsEntry("snapshots", new QuotaUsage(1, 0))
                    .containsEntry("gigabytes", new QuotaUsage(4, 0))
                    .containsEntry("gigabytes:t1", new QuotaUsage(4, 0));
        }
    }

    @Test
    void usageTotalsCarryOverWhenUsageRowsKeepOnlyWhatTheClaimsAddUpTo() {
        JdbcTarget target = database.emptyDatabase();
        Flyway.configure().dataSource(target.url(), target.user(), target.password())
                .locations("classpath:db/migration").target("6").load()
                .migrate();
        Jdbi jdbi = Jdbi.create(target.url(), target.user(), target.password());
        jdbi.useHandle(h -> {
            insertVolume(h, "v1", "p1", 2, "available", null);
            insertVolume(h, "v2", "p1", 3, "creating", null);
            h.execute("INSERT INTO quota_claims (holder_id, resource, project_id, in_use, reserved, created_at,"
                    + " updated_at) VALUES ('v1', 'gigabytes', 'p1', 2, 0, NULL, NULL)");
            h.execute("INSERT INTO quota_claims (holder_id, resource, project_id, in_use, reserved, created_at,"
                    + " updated_at) VALUES ('v2', 'gigabytes', 'p1', 0, 3, NULL, NULL)");
            h.execute("INSERT INTO quota_usages (project_id, resource, in_use, reserved, created_at, updated_at)"
                    + " VALUES ('p1', 'gigabytes', 2, 3, NULL, NULL)");
        });
        try (Database db = Database.open(target, 2)) {
            QuotaRepository quotas = new QuotaRepository(db);
            VolumeRepository volumes = new VolumeRepository(db);
            assertThat(quotas.usages("p1")).containsEntry("gigabytes", new QuotaUsage(2, 3));
            QuotaReservation sixMore = QuotaReservation.of("p1", Map.of("gigabytes", 6L),
                    Map.of("gigabytes", 10));
            assertThatThrownBy(() -> volumes.create(volume("v3", 6), sixMore))
                    .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.consumed()).isEqualTo(5));
            volumes.create(volume("v4", 5), QuotaReservation.of("p1", Map.of("gigabytes", 5L),
                    Map.of("gigabytes", 10)));
            assertThat(volumes.markAvailable("v2")).isTrue();
            assertThat(quotas.usages("p1")).containsEntry("gigabytes", new QuotaUsage(5, 5));
        }
    }

    private static Volume volume(String id, int size) {
        return new Volume(id, "p1", "u", "v", null, size, VolumeStatus.CREATING, AttachStatus.DETACHED, "nova", null,
                null, false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
    }

    private static void insertSnapshot(org.jdbi.v3.core.Handle h, String id, String volume, String project, int size,
                                       String status, String type) {
        h.createUpdate("INSERT INTO snapshots (id, volume_id, project_id, status, volume_size, volume_type_id,"
                        + " created_at, updated_at) VALUES (:id, :v, :p, :status, :size, :type, NULL, NULL)")
                .bind("id", id).bind("v", volume).bind("p", project).bind("status", status).bind("size", size)
                .bind("type", type).execute();
    }

    private static void insertVolume(org.jdbi.v3.core.Handle h, String id, String project, int size, String status,
                                     String type) {
        h.createUpdate("INSERT INTO volumes (id, project_id, size, status, attach_status, volume_type_id, bootable,"
                        + " multiattach, created_at, updated_at, launched_at)"
                        + " VALUES (:id, :p, :size, :status, 'detached', :type, FALSE, FALSE, NULL, NULL, NULL)")
                .bind("id", id).bind("p", project).bind("size", size).bind("status", status).bind("type", type)
                .execute();
    }
}
