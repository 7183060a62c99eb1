package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** What every database Basalt runs on must give it: the server it names, READ COMMITTED, Unicode text. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class DatabaseTest {
    private final TestDatabase database;
    private Database db;

    DatabaseTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open(2);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void runsOnTheNamedDatabaseAtReadCommitted() throws Exception {
        db.jdbi().useHandle(h -> {
            assertThat(database.version(h)).contains(database.product());
            assertThat(h.getConnection().getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
        });
        db.jdbi().useTransaction(h -> assertThat(h.getConnection().getTransactionIsolation())
                .as("inside a transaction too").isEqualTo(Connection.TRANSACTION_READ_COMMITTED));
    }

    @Test
    void keepsAnyUnicodeTextAndMicroseconds() {
        String name = "卷 Ünïcødé ✓ 🙂";
        Instant created = Instant.parse("2031-03-04T05:06:07.123456Z");
        Volume v = new Volume(Ids.newId(), "p1", "u", name, "🙂 description", 1, VolumeStatus.CREATING,
                AttachStatus.DETACHED, "nova", null, null, false, false, null, null, null, null,
                Map.of("clé 🔑", "valeur ✓"), created, null, null);
        VolumeRepository volumes = new VolumeRepository(db);
        volumes.create(v);
        Volume found = volumes.find(v.id()).orElseThrow();
        assertThat(found.name()).isEqualTo(name);
        assertThat(found.description()).isEqualTo("🙂 description");
        assertThat(found.metadata()).containsExactlyEntriesOf(Map.of("clé 🔑", "valeur ✓"));
        assertThat(found.createdAt()).isEqualTo(created.truncatedTo(ChronoUnit.MICROS));
    }
}
