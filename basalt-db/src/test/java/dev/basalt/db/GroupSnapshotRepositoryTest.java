package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Group;
import dev.basalt.model.GroupSnapshot;
import dev.basalt.model.GroupSnapshotStatus;
import dev.basalt.model.GroupStatus;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Group snapshots on each database: written with their members and every member's quota, or not at
 * all; settled with their last member (available, error, gone); a group with group snapshots is not
 * deleted; a group made from a group snapshot is written with its volumes and their quota, or not
 * at all.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class GroupSnapshotRepositoryTest {
    private static final Set<VolumeStatus> SNAPSHOTTABLE = Set.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE);

    private final TestDatabase database;
    private Database db;
    private GroupRepository groups;
    private GroupSnapshotRepository groupSnapshots;
    private SnapshotRepository snapshots;
    private VolumeRepository volumes;
    private QuotaRepository quotas;
    private Group group;
    private List<Volume> members;

    GroupSnapshotRepositoryTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open();
        groups = new GroupRepository(db);
        groupSnapshots = new GroupSnapshotRepository(db);
        snapshots = new SnapshotRepository(db);
        volumes = new VolumeRepository(db);
        quotas = new QuotaRepository(db);
        String type = new GroupTypeRepository(db).create("gt", null, true, Map.of()).id();
        group = new Group(Ids.newId(), "p1", "u", "g", null, "nova", "h@file#pool", type, List.of("t1"),
                GroupStatus.AVAILABLE, now(), null);
        groups.create(group, QuotaReservation.of("p1", Map.of("groups", 1L), Map.of("groups", -1)));
        members = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Volume v = PlacedVolumes.available(volumes, "p1", "t1", 2);
            assertThat(groups.changeMembers(group.id(), List.of(v.id()), List.of(), SNAPSHOTTABLE, Set.of()))
                    .isEqualTo(GroupRepository.MembersOutcome.DONE);
            members.add(v);
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private GroupSnapshot take(int snapshotLimit) {
        GroupSnapshot g = new GroupSnapshot(Ids.newId(), group.id(), "p1", "u", "gs", null,
                GroupSnapshotStatus.CREATING, group.groupTypeId(), now(), null);
        List<Snapshot> rows = new ArrayList<>();
        List<QuotaReservation> reservations = new ArrayList<>();
        for (Volume v : members) {
            rows.add(new Snapshot(Ids.newId(), v.id(), "p1", "u", "gs", null, SnapshotStatus.CREATING, "0%", v.size(),
                    "t1", null, Map.of(), now(), null, null, g.id()));
            reservations.add(QuotaReservation.of("p1", Map.of("snapshots", 1L, "gigabytes", 2L),
                    Map.of("snapshots", snapshotLimit, "gigabytes", -1)));
        }
        assertThat(groupSnapshots.create(g, rows, reservations, SNAPSHOTTABLE))
                .isEqualTo(GroupSnapshotRepository.CreateOutcome.CREATED);
        return g;
    }

    private GroupSnapshotStatus status(String id) {
        return groupSnapshots.find(id).orElseThrow().status();
    }

    @Test
    void aGroupSnapshotIsWrittenWithEveryMemberAndItsQuotaOrNotAtAll() {
        GroupSnapshot g = take(-1);
        assertThat(snapshots.forGroupSnapshot(g.id())).hasSize(2).allMatch(s -> s.groupSnapshotId().equals(g.id()));
        assertThat(quotas.usages("p1").get("snapshots")).isEqualTo(new QuotaUsage(0, 2));
        assertThat(quotas.usages("p1").get("gigabytes")).isEqualTo(new QuotaUsage(4, 4));

        assertThatThrownBy(() -> take(3)).as("2 + 2 snapshots > 3").isInstanceOf(QuotaExceededException.class);
        assertThat(groupSnapshots.list("p1")).containsExactly(g);
        assertThat(quotas.usages("p1").get("snapshots")).isEqualTo(new QuotaUsage(0, 2));
    }

    @Test
    void itSettlesWithItsLastMember() {
        GroupSnapshot ok = take(-1);
        List<Snapshot> m = snapshots.forGroupSnapshot(ok.id());
        assertThat(snapshots.markAvailable(m.get(0).id())).isTrue();
        assertThat(status(ok.id())).isEqualTo(GroupSnapshotStatus.CREATING);
        assertThat(snapshots.markAvailable(m.get(1).id())).isTrue();
        assertThat(status(ok.id())).isEqualTo(GroupSnapshotStatus.AVAILABLE);

        GroupSnapshot failing = take(-1);
        List<Snapshot> f = snapshots.forGroupSnapshot(failing.id());
        snapshots.markAvailable(f.get(0).id());
        snapshots.markFailed(f.get(1).id(), Set.of(SnapshotStatus.CREATING), SnapshotStatus.ERROR, "driver");
        assertThat(status(failing.id())).isEqualTo(GroupSnapshotStatus.ERROR);

        assertThat(groups.beginDelete(group.id(), Set.of(GroupStatus.AVAILABLE), GroupStatus.DELETING))
                .as("a group with group snapshots").isFalse();
        assertThat(groupSnapshots.beginDelete(ok.id(), Set.of(GroupSnapshotStatus.AVAILABLE)))
                .isEqualTo(GroupSnapshotRepository.DeleteOutcome.STARTED);
        assertThat(snapshots.forGroupSnapshot(ok.id())).allMatch(s -> s.status() == SnapshotStatus.DELETING);
        snapshots.delete(m.get(0).id());
        assertThat(status(ok.id())).isEqualTo(GroupSnapshotStatus.DELETING);
        snapshots.delete(m.get(1).id());
        assertThat(groupSnapshots.find(ok.id())).as("gone with its last member").isEmpty();

        groupSnapshots.beginDelete(failing.id(), Set.of(GroupSnapshotStatus.ERROR));
        snapshots.markFailed(f.get(0).id(), Set.of(SnapshotStatus.DELETING), SnapshotStatus.ERROR, "driver");
        snapshots.delete(f.get(1).id());
        assertThat(status(failing.id())).isEqualTo(GroupSnapshotStatus.ERROR);
        assertThat(quotas.usages("p1").get("snapshots")).as("the member left holds its snapshot")
                .isEqualTo(new QuotaUsage(1, 0));
    }

    @Test
    void aGroupMadeFromAGroupSnapshotIsWrittenWithItsVolumesOrNotAtAll() {
        GroupSnapshot g = take(-1);
        snapshots.forGroupSnapshot(g.id()).forEach(s -> snapshots.markAvailable(s.id()));
        Group copy = new Group(Ids.newId(), "p1", "u", "copy", null, "nova", group.host(), group.groupTypeId(),
                List.of("t1"), GroupStatus.AVAILABLE, now(), null, g.id(), null);
        List<Volume> rows = new ArrayList<>();
        List<QuotaReservation> reservations = new ArrayList<>();
        for (Snapshot s : snapshots.forGroupSnapshot(g.id())) {
            rows.add(new Volume(Ids.newId(), "p1", "u", null, null, 2, VolumeStatus.CREATING, AttachStatus.DETACHED,
                    "nova", null, "t1", false, false, s.id(), null, null, null, Map.of(), now(), null, null, Map.of(),
                    copy.id(), null));
            reservations.add(QuotaReservation.of("p1", Map.of("volumes", 1L), Map.of("volumes", 3)));
        }
        QuotaReservation oneGroup = QuotaReservation.of("p1", Map.of("groups", 1L), Map.of("groups", -1));
        assertThatThrownBy(() -> groups.createFromSource(copy, oneGroup, rows, reservations, SNAPSHOTTABLE))
                .as("2 volumes + 2 more > 3").isInstanceOf(QuotaExceededException.class);
        assertThat(groups.find(copy.id())).isEmpty();

        List<QuotaReservation> roomy = reservations.stream().map(r -> QuotaReservation.of("p1",
                Map.of("volumes", 1L), Map.of("volumes", -1))).toList();
        assertThat(groups.createFromSource(copy, oneGroup, rows, roomy, SNAPSHOTTABLE))
                .isEqualTo(GroupRepository.SourceOutcome.CREATED);
        assertThat(groups.find(copy.id()).orElseThrow().groupSnapshotId()).isEqualTo(g.id());
        assertThat(groups.volumeIds(copy.id())).containsExactlyInAnyOrderElementsOf(rows.stream().map(Volume::id)
                .toList());
        assertThat(groupSnapshots.beginDelete(g.id(), Set.of(GroupSnapshotStatus.AVAILABLE)))
                .as("volumes are being made from it").isEqualTo(GroupSnapshotRepository.DeleteOutcome.IN_USE);
    }
}
