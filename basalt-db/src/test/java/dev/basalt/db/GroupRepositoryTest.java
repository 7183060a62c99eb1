package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.Ids;
import dev.basalt.model.Group;
import dev.basalt.model.GroupStatus;
import dev.basalt.model.GroupType;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Generic volume groups on each database: the groups quota claimed with the row (and nothing
 * written over quota), volume types kept, members added and removed all or nothing,
 * and a deleted group hidden with its quota given back.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class GroupRepositoryTest {
    private static final Set<VolumeStatus> ADDABLE = Set.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE);

    private final TestDatabase database;
    private Database db;
    private GroupRepository groups;
    private VolumeRepository volumes;
    private QuotaRepository quotas;
    private GroupType type;

    GroupRepositoryTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open();
        groups = new GroupRepository(db);
        volumes = new VolumeRepository(db);
        quotas = new QuotaRepository(db);
        type = new GroupTypeRepository(db).create("gt", null, true, Map.of());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Group newGroup(String project, List<String> volumeTypes) {
        return new Group(Ids.newId(), project, "u", "g1", "d", "nova", "h@file#pool", type.id(), volumeTypes,
                GroupStatus.AVAILABLE, Instant.now().truncatedTo(ChronoUnit.MILLIS), null);
    }

    private static QuotaReservation oneGroup(String project, int limit) {
        return QuotaReservation.of(project, Map.of("groups", 1L), Map.of("groups", limit));
    }

    @Test
    void aCreatedGroupHoldsItsTypesAndOneGroupOfQuota() {
        Group g = newGroup("p1", List.of("t2", "t1"));
        groups.create(g, oneGroup("p1", 10));

        Group found = groups.find(g.id()).orElseThrow();
        assertThat(found.volumeTypeIds()).containsExactly("t1", "t2");
        assertThat(found.status()).isEqualTo(GroupStatus.AVAILABLE);
        assertThat(found.host()).isEqualTo("h@file#pool");
        assertThat(found.backend()).isEqualTo("h@file");
        assertThat(found.name()).isEqualTo("g1");
        assertThat(found.groupTypeId()).isEqualTo(type.id());
        assertThat(quotas.usages("p1").get("groups")).isEqualTo(new QuotaUsage(1, 0));
        assertThat(groups.typeInUse(type.id())).isTrue();
        assertThat(groups.list("p1")).extracting(Group::id).containsExactly(g.id());
        assertThat(groups.list("p2")).isEmpty();
        assertThat(groups.list(null)).extracting(Group::id).containsExactly(g.id());
    }

    @Test
    void overQuotaNothingIsWritten() {
        groups.create(newGroup("p1", List.of("t1")), oneGroup("p1", 1));
        Group second = newGroup("p1", List.of("t1"));

        assertThatThrownBy(() -> groups.create(second, oneGroup("p1", 1))).isInstanceOf(QuotaExceededException.class);

        assertThat(groups.find(second.id())).isEmpty();
        assertThat(groups.list("p1")).hasSize(1);
        assertThat(quotas.usages("p1").get("groups")).isEqualTo(new QuotaUsage(1, 0));
    }

    @Test
    void membersChangeAllOrNothing() {
        Group g = newGroup("p1", List.of("t1"));
        groups.create(g, oneGroup("p1", -1));
        Group other = newGroup("p1", List.of("t1"));
        groups.create(other, oneGroup("p1", -1));
        Volume a = PlacedVolumes.available(volumes, "p1", "t1", 1);
        Volume b = PlacedVolumes.available(volumes, "p1", "t1", 1);
        Volume c = PlacedVolumes.available(volumes, "p1", "t1", 1);

        assertThat(groups.changeMembers(g.id(), List.of(a.id(), b.id()), List.of(), ADDABLE, ADDABLE))
                .isEqualTo(GroupRepository.MembersOutcome.DONE);
        assertThat(groups.volumeIds(g.id())).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(volumes.find(a.id()).orElseThrow().groupId()).isEqualTo(g.id());

        // c would fit, b is already in g: nothing of the change happens.
        assertThat(groups.changeMembers(other.id(), List.of(c.id(), b.id()), List.of(), ADDABLE, ADDABLE))
                .isEqualTo(GroupRepository.MembersOutcome.VOLUME_CHANGED);
        assertThat(groups.volumeIds(other.id())).isEmpty();
        assertThat(volumes.find(c.id()).orElseThrow().groupId()).isNull();

        assertThat(groups.changeMembers(g.id(), List.of(c.id()), List.of(a.id()), ADDABLE, ADDABLE))
                .isEqualTo(GroupRepository.MembersOutcome.DONE);
        assertThat(groups.volumeIds(g.id())).containsExactlyInAnyOrder(b.id(), c.id());
        assertThat(volumes.find(a.id()).orElseThrow().groupId()).isNull();

        assertThat(groups.transition(g.id(), List.of(GroupStatus.AVAILABLE), GroupStatus.UPDATING)).isTrue();
        assertThat(groups.changeMembers(g.id(), List.of(a.id()), List.of(), ADDABLE, ADDABLE))
                .isEqualTo(GroupRepository.MembersOutcome.GROUP_STATUS);
        assertThat(groups.changeMembers("no-such-group", List.of(a.id()), List.of(), ADDABLE, ADDABLE))
                .isEqualTo(GroupRepository.MembersOutcome.NOT_FOUND);
    }

    @Test
    void aDeletedGroupIsGoneAndGivesItsQuotaBack() {
        Group g = newGroup("p1", List.of("t1"));
        groups.create(g, oneGroup("p1", -1));
        assertThat(groups.rename(g.id(), "renamed", null)).isTrue();
        assertThat(groups.find(g.id()).orElseThrow().name()).isEqualTo("renamed");
        assertThat(groups.find(g.id()).orElseThrow().description()).isEqualTo("d");
        assertThat(groups.resetStatus(g.id(), GroupStatus.ERROR)).isTrue();

        assertThat(groups.markDeleted(g.id())).isTrue();
        assertThat(groups.markDeleted(g.id())).isFalse();

        assertThat(groups.find(g.id())).isEmpty();
        assertThat(groups.list(null)).isEmpty();
        assertThat(groups.typeInUse(type.id())).isFalse();
        assertThat(groups.resetStatus(g.id(), GroupStatus.AVAILABLE)).isFalse();
        assertThat(quotas.usages("p1").getOrDefault("groups", QuotaUsage.NONE).consumed()).isZero();
    }
}
