package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Retype and migration steps on each supported database: conditions, per-type quota moved with the type. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class VolumeMovesTest {
    private final TestDatabase database;
    private Database db;
    private VolumeRepository volumes;
    private VolumeMoves moves;
    private QuotaRepository quotas;
    private String silver;
    private String gold;

    VolumeMovesTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open(8);
        volumes = new VolumeRepository(db);
        moves = new VolumeMoves(db);
        quotas = new QuotaRepository(db);
        VolumeTypeRepository types = new VolumeTypeRepository(db);
        silver = types.create("silver-" + Ids.newId(), null, true, Map.of()).id();
        gold = types.create("gold-" + Ids.newId(), null, true, Map.of("multiattach", "<is> True")).id();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static QuotaReservation typed(String project, String type, int size) {
        return QuotaReservation.of(project, Map.of("volumes:" + type, 1L, "gigabytes:" + type, (long) size),
                Map.of("volumes:" + type, -1, "gigabytes:" + type, -1));
    }

    private Volume volume(String project) {
        Volume v = new Volume(Ids.newId(), project, "u", "vol", null, 2, VolumeStatus.CREATING, AttachStatus.DETACHED,
                "nova", "h@a#a", silver, false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
        volumes.create(v, QuotaReservation.of(project, Map.of("volumes", 1L, "gigabytes", 2L, "volumes:" + silver, 1L,
                "gigabytes:" + silver, 2L), Map.of("volumes", -1, "gigabytes", -1, "volumes:" + silver, -1,
                "gigabytes:" + silver, -1)));
        assertThat(volumes.markAvailable(v.id())).isTrue();
        return v;
    }

    private QuotaUsage usage(String project, String resource) {
        return quotas.usages(project).getOrDefault(resource, QuotaUsage.NONE);
    }

    @Test
    void aRetypeMovesThePerTypeQuotaWithTheType() {
        String project = "p-" + Ids.newId();
        Volume v = volume(project);

        assertThat(moves.beginRetype(v.id(), gold, typed(project, gold, 2))).isEqualTo(VolumeMoves.Outcome.DONE);
        assertThat(volumes.find(v.id()).orElseThrow().status()).isEqualTo(VolumeStatus.RETYPING);
        assertThat(usage(project, "gigabytes:" + gold)).isEqualTo(new QuotaUsage(0, 2));
        assertThat(moves.beginRetype(v.id(), gold, null)).as("already retyping").isEqualTo(VolumeMoves.Outcome.REFUSED);

        assertThat(moves.finish(v.id(), VolumeMoves.Ending.moved("h@a#a", gold, null))).isTrue();
        Volume retyped = volumes.find(v.id()).orElseThrow();
        assertThat(retyped.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(retyped.volumeTypeId()).isEqualTo(gold);
        assertThat(retyped.multiattach()).as("the type says multiattach").isTrue();
        assertThat(usage(project, "gigabytes:" + gold)).isEqualTo(new QuotaUsage(2, 0));
        assertThat(usage(project, "volumes:" + gold)).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage(project, "gigabytes:" + silver)).isEqualTo(QuotaUsage.NONE);
        assertThat(usage(project, "volumes:" + silver)).isEqualTo(QuotaUsage.NONE);
        assertThat(usage(project, "gigabytes")).isEqualTo(new QuotaUsage(2, 0));
        assertThat(moves.finish(v.id(), VolumeMoves.Ending.failed(null))).as("ended once").isFalse();
    }

    @Test
    void aFailedRetypeGivesBackTheReservationAndRefusalsChangeNothing() {
        String project = "p-" + Ids.newId();
        Volume v = volume(project);
        assertThat(moves.beginRetype(v.id(), silver, null)).as("same type").isEqualTo(VolumeMoves.Outcome.REFUSED);
        QuotaReservation none = QuotaReservation.of(project, Map.of("volumes:" + gold, 1L), Map.of("volumes:" + gold, 0));
        assertThatThrownBy(() -> moves.beginRetype(v.id(), gold, none)).isInstanceOf(QuotaExceededException.class);
        assertThat(volumes.find(v.id()).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);

        assertThat(moves.beginRetype(v.id(), gold, typed(project, gold, 2))).isEqualTo(VolumeMoves.Outcome.DONE);
        assertThat(moves.finish(v.id(), VolumeMoves.Ending.failed(null))).isTrue();
        Volume back = volumes.find(v.id()).orElseThrow();
        assertThat(back.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(back.volumeTypeId()).isEqualTo(silver);
        assertThat(back.migrationStatus()).isNull();
        assertThat(usage(project, "gigabytes:" + gold).consumed()).isZero();
        assertThat(usage(project, "gigabytes:" + silver)).isEqualTo(new QuotaUsage(2, 0));
        assertThat(moves.beginRetype("no-such-volume", gold, null)).isEqualTo(VolumeMoves.Outcome.NOT_FOUND);
    }

    @Test
    void aMigrationStepsThroughItsStatusesAndEndsInError() {
        Volume v = volume("p-" + Ids.newId());
        assertThat(moves.beginMigration(v.id(), "h@a#a")).as("same host").isEqualTo(VolumeMoves.Outcome.REFUSED);
        assertThat(moves.beginMigration(v.id(), "h@b#b")).isEqualTo(VolumeMoves.Outcome.DONE);
        Volume started = volumes.find(v.id()).orElseThrow();
        assertThat(started.status()).isEqualTo(VolumeStatus.MAINTENANCE);
        assertThat(started.migrationStatus()).isEqualTo("starting");
        assertThat(moves.beginMigration(v.id(), "h@c#c")).as("migrating").isEqualTo(VolumeMoves.Outcome.REFUSED);
        assertThat(moves.advance(v.id(), "migrating", "completing", null)).isFalse();
        assertThat(moves.advance(v.id(), "starting", "migrating", "h@b#b")).isTrue();
        assertThat(volumes.find(v.id()).orElseThrow().adminMetadata()).containsEntry(VolumeMoves.DESTINATION, "h@b#b");

        assertThat(moves.finish(v.id(), VolumeMoves.Ending.failed(null))).isTrue();
        Volume failed = volumes.find(v.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(failed.migrationStatus()).isEqualTo("error");
        assertThat(failed.host()).isEqualTo("h@a#a");
        assertThat(failed.adminMetadata()).doesNotContainKey(VolumeMoves.DESTINATION);

        assertThat(moves.beginMigration(v.id(), "h@b#b")).as("after an error, again").isEqualTo(VolumeMoves.Outcome.DONE);
        assertThat(moves.finish(v.id(), VolumeMoves.Ending.moved("h@b#b", null, "success"))).isTrue();
        assertThat(volumes.find(v.id()).orElseThrow().host()).isEqualTo("h@b#b");
        assertThat(volumes.find(v.id()).orElseThrow().volumeTypeId()).isEqualTo(silver);
    }

    @Test
    void aVolumeWithSnapshotsIsNotMigrated() {
        Volume v = volume("p-" + Ids.newId());
        Snapshot s = new Snapshot(Ids.newId(), v.id(), v.projectId(), "u", "s", null, SnapshotStatus.CREATING, "0%",
                2, null, null, Map.of(), Instant.now(), null);
        new SnapshotRepository(db).create(s, Set.of(VolumeStatus.AVAILABLE));
        assertThat(moves.beginMigration(v.id(), "h@b#b")).isEqualTo(VolumeMoves.Outcome.REFUSED);
        assertThat(volumes.find(v.id()).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
    }
}
