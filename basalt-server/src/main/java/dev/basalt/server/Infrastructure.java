package dev.basalt.server;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.Bus;
import dev.basalt.bus.InJvmBus;
import dev.basalt.config.BasaltConfig;
import dev.basalt.db.Database;
import dev.basalt.db.JdbcTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every role of one process shares: the configuration, the database, the bus and the clock.
 * Opened once by the command, closed last.
 */
record Infrastructure(BasaltConfig config, Database database, Bus bus, Clock clock) implements AutoCloseable {
    Infrastructure {
        requireNonNull(config, "config");
        requireNonNull(database, "database");
        requireNonNull(bus, "bus");
        requireNonNull(clock, "clock");
    }

    static Infrastructure open(BasaltConfig config) {
        Path statePath = config.defaults().statePath();
        try {
            Files.createDirectories(statePath);
        } catch (IOException e) {
            throw new StartupException("[DEFAULT] state_path = " + statePath + ": cannot create it (" + e + ")", e);
        }
        if (!Files.isWritable(statePath)) {
            throw new StartupException("[DEFAULT] state_path = " + statePath + ": not writable by this user");
        }
        Database database = Database.open(jdbcTarget(config), 16);
        return new Infrastructure(config, database, new InJvmBus(), Clock.systemUTC());
    }

    static JdbcTarget jdbcTarget(BasaltConfig config) {
        return JdbcTarget.parse(config.database().connection());
    }

    @Override
    public void close() {
        bus.close();
        database.close();
    }
}
