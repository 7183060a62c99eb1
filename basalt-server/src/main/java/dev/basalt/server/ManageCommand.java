package dev.basalt.server;

import dev.basalt.config.BasaltConfig;
import dev.basalt.db.Database;
import dev.basalt.db.ServiceRepository;
import dev.basalt.model.ServiceRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code basalt manage …}: administration, as {@code cinder-manage}. {@code --config-file} may come
 * before the subcommand ({@code basalt manage --config-file F db sync}, as cinder-manage takes it)
 * or after it; files given before come first.
 */
@Command(name = "manage", mixinStandardHelpOptions = true, description = "Administer a Basalt installation.",
        subcommands = {ManageCommand.Db.class, ManageCommand.Service.class})
final class ManageCommand {
    @Mixin
    ConfigOptions options;

    @Command(name = "db", mixinStandardHelpOptions = true, description = "Database schema.",
            subcommands = DbSync.class)
    static final class Db {
        @ParentCommand
        ManageCommand manage;
    }

    @Command(name = "service", mixinStandardHelpOptions = true, description = "Registered services.",
            subcommands = {ServiceList.class, ServiceRemove.class})
    static final class Service {
        @ParentCommand
        ManageCommand manage;
    }

    /** The configuration of a manage subcommand: the files given to {@code manage}, then its own. */
    static BasaltConfig load(ManageCommand manage, ConfigOptions own) {
        List<Path> files = new ArrayList<>(manage.options.configFiles);
        files.addAll(own.configFiles);
        return BackendDrivers.onClassPath().load(files);
    }

    @Command(name = "sync", description = "Create or upgrade the database schema.")
    static final class DbSync implements Callable<Integer> {
        @ParentCommand
        Db db;

        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            BasaltConfig config = load(db.manage, options);
            Database.migrate(Infrastructure.jdbcTarget(config));
            System.out.println("database schema is up to date: " + Infrastructure.jdbcTarget(config));
            return 0;
        }
    }

    @Command(name = "list", description = "List the services that have registered, with their state.")
    static final class ServiceList implements Callable<Integer> {
        @ParentCommand
        Service service;

        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            BasaltConfig config = load(service.manage, options);
            try (Database db = Database.open(Infrastructure.jdbcTarget(config), 2)) {
                System.out.printf("%-18s %-40s %-12s %-8s %-5s %s%n", "Binary", "Host", "Zone", "Status", "State", "Updated At");
                Instant now = Instant.now();
                for (ServiceRecord s : new ServiceRepository(db).list(null, null)) {
                    System.out.printf("%-18s %-40s %-12s %-8s %-5s %s%n", s.binary(), s.host(), s.availabilityZone(),
                            s.disabled() ? "disabled" : "enabled",
                            s.isUp(now, config.defaults().serviceDownTime()) ? ":-)" : "XXX", s.updatedAt());
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Forget a service whose node is gone for good (as cinder-manage service remove).")
    static final class ServiceRemove implements Callable<Integer> {
        @ParentCommand
        Service service;

        @Mixin
        ConfigOptions options;

        @Parameters(index = "0", paramLabel = "BINARY", description = "cinder-volume, cinder-scheduler, …")
        String binary;

        @Parameters(index = "1", paramLabel = "HOST", description = "host, or host@backend for a volume service")
        String host;

        @Override
        public Integer call() {
            BasaltConfig config = load(service.manage, options);
            try (Database db = Database.open(Infrastructure.jdbcTarget(config), 2)) {
                if (!new ServiceRepository(db).remove(host, binary)) {
                    System.err.println("basalt: no service " + binary + " on " + host + "; nothing removed");
                    return 1;
                }
            }
            System.out.println("Service " + binary + " on host " + host + " removed.");
            return 0;
        }
    }
}
