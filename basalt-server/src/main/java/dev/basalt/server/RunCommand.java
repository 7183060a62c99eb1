package dev.basalt.server;

import dev.basalt.config.BasaltConfig;
import dev.basalt.config.BackendOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs roles in this process until SIGTERM/Ctrl-C, then stops them in reverse order of start:
 * the API first (no new work), the volume services last (work in flight finishes).
 */
abstract class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOptions options;

    /** Starts this command's roles; each started role is added to {@code running} as it starts. */
    abstract void startRoles(Infrastructure infra, List<AutoCloseable> running);

    @Override
    public Integer call() throws Exception {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        BasaltConfig config = options.load();
        Infrastructure infra = Infrastructure.open(config);
        List<AutoCloseable> running = new ArrayList<>();
        try {
            startRoles(infra, running);
        } catch (RuntimeException e) {
            stopAll(running, infra);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            stopAll(running, infra);
            System.err.println("basalt: stopped");
            stopped.countDown();
        }, "basalt-shutdown"));
        stopped.await();
        return 0;
    }

    static void printDataLocations(BasaltConfig config) {
        System.out.println("  state:    " + config.defaults().statePath());
        System.out.println("  database: " + Infrastructure.jdbcTarget(config));
        BackendDrivers drivers = BackendDrivers.onClassPath();
        for (BackendOptions backend : config.backends()) {
            System.out.println("  backend " + config.defaults().host() + "@" + backend.name() + ": "
                    + drivers.describe(config, backend));
        }
    }

    private static void stopAll(List<AutoCloseable> running, Infrastructure infra) {
        List<AutoCloseable> reversed = new ArrayList<>(running);
        Collections.reverse(reversed);
        for (AutoCloseable role : reversed) {
            try {
                role.close();
            } catch (Exception e) {
                LOG.warn("while stopping {}", role, e);
            }
        }
        infra.close();
    }

    @Command(name = "all", mixinStandardHelpOptions = true,
            description = "Run the API, the scheduler, a volume service per backend and the backup service in this"
                    + " process.")
    static final class All extends RunCommand {
        @Override
        void startRoles(Infrastructure infra, List<AutoCloseable> running) {
            running.addAll(VolumeRole.start(infra));
            running.add(SchedulerRole.start(infra));
            running.add(BackupRole.start(infra));
            ApiRole.Started api = ApiRole.start(infra);
            running.add(api);
            System.out.println("basalt: Block Storage API v3 at " + api.endpoint()
                    + " (auth_strategy = " + infra.config().defaults().authStrategy().name().toLowerCase(java.util.Locale.ROOT) + ")");
            printDataLocations(infra.config());
            System.out.println(BackupRole.describe(infra.config()));
            System.out.println("basalt: running; Ctrl-C or SIGTERM stops it");
            System.out.flush();
        }
    }

    /**
     * One role alone in this process. The roles of a split deployment reach each other through the
     * message broker of {@code transport_url} and share one database server, so both must be set.
     */
    abstract static class SingleRole extends RunCommand {
        @Override
        void startRoles(Infrastructure infra, List<AutoCloseable> running) {
            infra.requireShared(roleName());
            startRole(infra, running);
            System.out.println("basalt: " + roleName() + " role running as " + infra.config().defaults().host()
                    + " (transport " + infra.transportName() + ", database " + Infrastructure.jdbcTarget(infra.config()) + ")");
            System.out.println("basalt: running; Ctrl-C or SIGTERM stops it");
            System.out.flush();
        }

        abstract String roleName();

        abstract void startRole(Infrastructure infra, List<AutoCloseable> running);

        /** A role without the API serves GET /metrics on a listener of its own, when metrics_listen_port is set. */
        static void serveMetrics(Infrastructure infra, List<AutoCloseable> running) {
            MetricsListener.startIfConfigured(infra).ifPresent(listener -> {
                running.add(listener);
                System.out.println("basalt: metrics at " + listener.url());
            });
        }
    }

    @Command(name = "api", mixinStandardHelpOptions = true, description = "Run the API role alone.")
    static final class Api extends SingleRole {
        @Override
        String roleName() {
            return "api";
        }

        @Override
        void startRole(Infrastructure infra, List<AutoCloseable> running) {
            ApiRole.Started api = ApiRole.start(infra);
            running.add(api);
            System.out.println("basalt: Block Storage API v3 at " + api.endpoint());
        }
    }

    @Command(name = "scheduler", mixinStandardHelpOptions = true, description = "Run the scheduler role alone.")
    static final class Scheduler extends SingleRole {
        @Override
        String roleName() {
            return "scheduler";
        }

        @Override
        void startRole(Infrastructure infra, List<AutoCloseable> running) {
            running.add(SchedulerRole.start(infra));
            serveMetrics(infra, running);
        }
    }

    @Command(name = "volume", mixinStandardHelpOptions = true,
            description = "Run a volume service for each enabled backend of this node.")
    static final class Volume extends SingleRole {
        @Override
        String roleName() {
            return "volume";
        }

        @Override
        void startRole(Infrastructure infra, List<AutoCloseable> running) {
            running.addAll(VolumeRole.start(infra));
            serveMetrics(infra, running);
            printDataLocations(infra.config());
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Run the backup service of this node: it backs up and restores the volumes of this node.")
    static final class Backup extends SingleRole {
        @Override
        String roleName() {
            return "backup";
        }

        @Override
        void startRole(Infrastructure infra, List<AutoCloseable> running) {
            running.add(BackupRole.start(infra));
            serveMetrics(infra, running);
            System.out.println(BackupRole.describe(infra.config()));
        }
    }
}
