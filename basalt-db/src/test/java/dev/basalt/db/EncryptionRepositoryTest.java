package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.model.VolumeTypeEncryption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Volume type encryption on each database: one per type (a second is a 400 with Cinder's text),
 * updates of the given columns only (null clears), delete, and the row going with its type.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class EncryptionRepositoryTest {
    private final TestDatabase database;
    private Database db;
    private VolumeTypeRepository types;
    private EncryptionRepository encryption;

    EncryptionRepositoryTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open();
        types = new VolumeTypeRepository(db);
        encryption = new EncryptionRepository(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aTypeHasAtMostOneEncryption() {
        String type = types.create("luks-" + System.nanoTime(), null, true, Map.of()).id();
        VolumeTypeEncryption created = encryption.create(type, "luks", "aes-xts-plain64", 256, "front-end");

        VolumeTypeEncryption found = encryption.forType(type).orElseThrow();
        assertThat(found).isEqualTo(created);
        assertThat(found.keySize()).isEqualTo(256);
        assertThatThrownBy(() -> encryption.create(type, "plain", null, null, "back-end"))
                .isInstanceOfSatisfying(BasaltException.class, e -> {
                    assertThat(e.fault()).isEqualTo(Fault.BAD_REQUEST);
                    assertThat(e.getMessage()).isEqualTo("Volume type encryption for type " + type
                            + " already exists.");
                });
        assertThat(encryption.forType(type).orElseThrow().provider()).isEqualTo("luks");
    }

    @Test
    void updateSetsOnlyTheGivenColumnsAndNullClears() {
        String type = types.create("upd-" + System.nanoTime(), null, true, Map.of()).id();
        encryption.create(type, "luks", "aes-xts-plain64", 256, "front-end");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("key_size", null);
        values.put("control_location", "back-end");

        assertThat(encryption.update(type, values)).isTrue();

        VolumeTypeEncryption updated = encryption.forType(type).orElseThrow();
        assertThat(updated.keySize()).isNull();
        assertThat(updated.controlLocation()).isEqualTo("back-end");
        assertThat(updated.provider()).isEqualTo("luks");
        assertThat(updated.cipher()).isEqualTo("aes-xts-plain64");
        assertThat(updated.updatedAt()).isNotNull();
        assertThat(encryption.update("no-such-type", Map.of("provider", "plain"))).isFalse();
        assertThatThrownBy(() -> encryption.update(type, Map.of("volume_type_id", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteRemovesItAndSoDoesDeletingTheType() {
        String type = types.create("del-" + System.nanoTime(), null, true, Map.of()).id();
        encryption.create(type, "luks", null, null, "front-end");
        assertThat(encryption.forType(type).orElseThrow().cipher()).isNull();

        assertThat(encryption.delete(type)).isTrue();
        assertThat(encryption.delete(type)).isFalse();
        assertThat(encryption.forType(type)).isEmpty();

        encryption.create(type, "plain", null, 128, "back-end");
        assertThat(types.delete(type)).isTrue();
        assertThat(encryption.forType(type)).isEmpty();
    }
}
