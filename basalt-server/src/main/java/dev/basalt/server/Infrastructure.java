package dev.basalt.server;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.Bus;
import dev.basalt.bus.BusOptions;
import dev.basalt.bus.InJvmBus;
import dev.basalt.bus.Transports;
import dev.basalt.config.BasaltConfig;
import dev.basalt.config.DefaultOptions;
import dev.basalt.config.RabbitOptions;
import dev.basalt.db.Database;
import dev.basalt.db.DatabaseFailures;
import dev.basalt.db.JdbcTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every role of one process shares: the configuration, the database, the bus, the clock and
 * the process's meters. Opened once by the command, closed last.
 */
record Infrastructure(BasaltConfig config, Database database, Bus bus, Clock clock, ProcessMetrics metrics)
        implements AutoCloseable {
    Infrastructure {
        requireNonNull(config, "config");
        requireNonNull(database, "database");
        requireNonNull(bus, "bus");
        requireNonNull(clock, "clock");
        requireNonNull(metrics, "metrics");
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
        ProcessMetrics metrics = new ProcessMetrics();
        Bus bus;
        try {
            bus = openBus(config, metrics);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        Database database;
        try {
            database = Database.open(jdbcTarget(config), 16);
        } catch (RuntimeException e) {
            bus.close();
            metrics.close();
            throw e;
        }
        return new Infrastructure(config, database, bus, Clock.systemUTC(), metrics);
    }

    /** The transport of {@code transport_url}: in this JVM when unset. */
    private static Bus openBus(BasaltConfig config, ProcessMetrics metrics) {
        BusOptions options = BusOptions.defaults()
                .withControlExchange(config.source().defaults().get(DefaultOptions.CONTROL_EXCHANGE))
                .withRabbitQuorumQueue(RabbitOptions.from(config.source()).quorumQueues())
                // work a handler could not record while the database was away is done again once it is back
                .withRedeliverWhen(DatabaseFailures::unreachable);
        return Transports.open(config.source().defaults().find(DefaultOptions.TRANSPORT_URL).orElse(null), options,
                metrics.registry());
    }

    /** Refuses to run {@code role} alone unless the roles can share this process's bus and database. */
    void requireShared(String role) {
        if (config.source().defaults().find(DefaultOptions.TRANSPORT_URL).isEmpty()) {
            throw new StartupException("[DEFAULT] transport_url is not set: the " + role + " role alone reaches the"
                    + " other roles through a message broker (transport_url = rabbit://user:password@host:5672/);"
                    + " or run everything in one process with `basalt all`");
        }
        if (jdbcTarget(config).isEmbedded()) {
            throw new StartupException("[database] connection: the " + role + " role alone shares the database with"
                    + " the other roles, which the embedded H2 database of one process cannot do; set it to a"
                    + " database server (postgresql://user:password@host/basalt or mysql+pymysql://…)");
        }
    }

    /** What carries this process's messages, for the start-up banner. */
    String transportName() {
        return bus instanceof InJvmBus ? "in this process" : "RabbitMQ";
    }

    static JdbcTarget jdbcTarget(BasaltConfig config) {
        return JdbcTarget.parse(config.database().connection());
    }

    @Override
    public void close() {
        bus.close();
        database.close();
        metrics.close();
    }
}
