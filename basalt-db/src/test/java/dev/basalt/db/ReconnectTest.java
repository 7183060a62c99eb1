package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.testkit.DatabaseServer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Database outlives its server's restarts: while the server is away a statement fails soon with an
 * exception that says why, and once the server is back (stopped cleanly, or killed) the next
 * statement works, with no reopening.
 */
@ParameterizedClass
@EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
class ReconnectTest {
    /** Far more than a failing statement may take (Database.POOL_WAIT), far less than a hang. */
    private static final Duration NO_HANG = Duration.ofSeconds(30);
    private static final int POOL = 4;

    private final TestDatabase database;

    ReconnectTest(TestDatabase database) {
        this.database = database;
    }

    private static Volume volume() {
        return new Volume(Ids.newId(), "p1", "u", "v", null, 1, VolumeStatus.CREATING, AttachStatus.DETACHED, "nova",
                null, null, false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
    }

    /** Runs {@code statement}, which must fail, and not hang, while the server is away. */
    private static RuntimeException failsSoon(ThrowingCallable statement) {
        RuntimeException failure = assertTimeoutPreemptively(NO_HANG, () -> catchRuntimeException(statement));
        assertThat(failure).as("a statement while the server is away").isNotNull();
        return failure;
    }

    @Test
    void theNextStatementAfterARestartWorks() {
        try (DatabaseServer server = database.launchServer();
             Database db = Database.open(JdbcTarget.parse(server.sqlalchemyUrl()), POOL)) {
            VolumeRepository volumes = new VolumeRepository(db);
            Volume v = volume();
            volumes.create(v);

            server.stop();
            // A statement may get a connection the server has just closed (the pool checks only those
            // idle for a while) and fail on it, which drops it from the pool; once the pool has none
            // left, a statement says that there is no connection, and why.
            RuntimeException failure = failsSoon(() -> volumes.find(v.id()));
            for (int statements = 1; statements <= POOL && !failure.getMessage().contains("no database"); statements++) {
                failure = failsSoon(() -> volumes.find(v.id()));
            }
            assertThat(failure).as("a statement while the server is stopped")
                    .hasMessageContaining("no database connection: cannot connect (Connection refused)");
            server.start();
            assertThat(volumes.find(v.id())).as("after a clean restart").isPresent();

            server.kill();
            server.start();
            // After a crash the pool may still hold connections the server dropped without a word: a
            // statement that borrows one fails as "unreachable" (the bus delivers its work again, the
            // API answers 503) and takes it out of the pool; at most one per pooled connection.
            boolean marked = false;
            for (int attempt = 0; attempt <= POOL && !marked; attempt++) {
                try {
                    marked = volumes.markAvailable(v.id());
                } catch (RuntimeException stale) {
                    assertThat(DatabaseFailures.unreachable(stale)).as(stale.toString()).isTrue();
                }
            }
            assertThat(marked).as("after a crash and restart").isTrue();
            Volume another = volume();
            volumes.create(another);
            assertThat(volumes.find(another.id())).isPresent();
        }
    }
}
