package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.model.GroupType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Group types and their specs on each database: unique names (409 with Cinder's text), null spec
 * values kept, updates of single fields, project access, and delete taking specs and access along.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class GroupTypeRepositoryTest {
    private final TestDatabase database;
    private Database db;
    private GroupTypeRepository types;

    GroupTypeRepositoryTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open();
        types = new GroupTypeRepository(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void createdTypeIsFoundByIdAndNameWithItsSpecs() {
        GroupType created = types.create("gold", "fast ones", false, Map.of("b", "2", "a", "1"));

        GroupType found = types.find(created.id()).orElseThrow();
        assertThat(found.name()).isEqualTo("gold");
        assertThat(found.description()).isEqualTo("fast ones");
        assertThat(found.isPublic()).isFalse();
        assertThat(found.groupSpecs()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(found.createdAt()).isNotNull();
        assertThat(types.findByName("gold")).contains(found);
        assertThat(types.find("no-such-id")).isEmpty();
    }

    @Test
    void aNameIsTakenOnce() {
        types.create("gold", null, true, Map.of());
        GroupType silver = types.create("silver", null, true, Map.of());

        assertThatThrownBy(() -> types.create("gold", null, true, Map.of("k", "v")))
                .isInstanceOfSatisfying(BasaltException.class, e -> {
                    assertThat(e.fault()).isEqualTo(Fault.CONFLICT);
                    assertThat(e.getMessage()).isEqualTo("Group Type gold already exists.");
                });
        assertThatThrownBy(() -> types.update(silver.id(), "gold", null, null))
                .isInstanceOfSatisfying(BasaltException.class, e -> assertThat(e.fault()).isEqualTo(Fault.CONFLICT));
        assertThat(types.update(silver.id(), "silver", null, null)).as("its own name").isTrue();
        assertThat(types.list(null)).extracting(GroupType::name).contains("gold", "silver")
                .filteredOn("gold"::equals).hasSize(1);
    }

    @Test
    void updateChangesOnlyTheGivenFields() {
        GroupType t = types.create("gold", "d", true, Map.of("k", "v"));

        assertThat(types.update(t.id(), null, "new description", null)).isTrue();
        assertThat(types.update(t.id(), null, null, false)).isTrue();
        GroupType updated = types.find(t.id()).orElseThrow();
        assertThat(updated.name()).isEqualTo("gold");
        assertThat(updated.description()).isEqualTo("new description");
        assertThat(updated.isPublic()).isFalse();
        assertThat(updated.groupSpecs()).containsExactly(Map.entry("k", "v"));
        assertThat(updated.updatedAt()).isNotNull();
        assertThat(types.update("no-such-id", null, "x", null)).isFalse();
    }

    @Test
    void specsAreSetOverwrittenAndRemovedOneByOneAndMayBeNull() {
        GroupType t = types.create("gold", null, true, Map.of("a", "1"));
        Map<String, String> set = new HashMap<>();
        set.put("a", "2");
        set.put("empty", null);

        assertThat(types.setGroupSpecs(t.id(), set)).isTrue();
        Map<String, String> expected = new HashMap<>(set);
        assertThat(types.find(t.id()).orElseThrow().groupSpecs()).isEqualTo(expected);
        assertThat(types.deleteGroupSpec(t.id(), "a")).isTrue();
        assertThat(types.deleteGroupSpec(t.id(), "a")).isFalse();
        assertThat(types.find(t.id()).orElseThrow().groupSpecs()).containsOnlyKeys("empty");
        assertThat(types.setGroupSpecs("no-such-id", Map.of("a", "1"))).isFalse();
    }

    @Test
    void listFiltersOnVisibilityAndCarriesSpecs() {
        GroupType pub = types.create("pub", null, true, Map.of("x", "1"));
        GroupType priv = types.create("priv", null, false, Map.of());

        assertThat(types.list(true)).extracting(GroupType::id).contains(pub.id()).doesNotContain(priv.id());
        assertThat(types.list(false)).extracting(GroupType::id).containsExactly(priv.id());
        assertThat(types.list(null)).filteredOn(g -> g.id().equals(pub.id())).singleElement()
                .satisfies(g -> assertThat(g.groupSpecs()).containsExactly(Map.entry("x", "1")));
    }

    @Test
    void deleteTakesSpecsAndProjectAccessAlong() {
        GroupType priv = types.create("priv", null, false, Map.of("a", "1"));
        types.addProject(priv.id(), "p1");
        assertThat(types.typeIdsOf("p1")).containsExactly(priv.id());
        assertThat(types.typeIdsOf("p2")).isEmpty();

        assertThat(types.delete(priv.id())).isTrue();
        assertThat(types.delete(priv.id())).isFalse();
        assertThat(types.find(priv.id())).isEmpty();
        assertThat(types.typeIdsOf("p1")).isEmpty();
        GroupType again = types.create("priv", null, true, Map.of());
        assertThat(types.find(again.id()).orElseThrow().groupSpecs()).isEmpty();
    }

    @Test
    void migrationCreatesCindersDefaultCgsnapshotType() {
        try (Database fresh = Database.open(database.emptyDatabase(), 2)) {
            GroupType seeded = new GroupTypeRepository(fresh).findByName("default_cgsnapshot_type").orElseThrow();
            assertThat(seeded.isPublic()).isTrue();
            assertThat(seeded.description()).isEqualTo("Default group type for migrating cgsnapshot");
            assertThat(seeded.groupSpecs()).containsExactly(Map.entry("consistent_group_snapshot_enabled", "<is> True"));
        }
    }
}
