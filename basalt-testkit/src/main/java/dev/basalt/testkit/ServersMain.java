package dev.basalt.testkit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts throwaway servers for the benchmarks under bench/ and keeps them until stdin closes or the
 * process is stopped: {@code BENCH_SERVERS=rabbit,postgres,mariadb,ceph java … dev.basalt.testkit.ServersMain}
 * (named in the environment, not the command line, so that a benchmark counting the memory of
 * processes by their command line does not count this one). Prints
 * one line per server with the URL cinder.conf takes ({@code rabbit=rabbit://…},
 * {@code postgres=postgresql://…}, {@code mariadb=mysql+pymysql://…}; for Ceph the ceph.conf, user,
 * keyring and pool), then {@code ready}.
 */
public final class ServersMain {
    private ServersMain() {
    }

    public static void main(String[] args) throws IOException {
        List<AutoCloseable> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(started), "servers-stop"));
        for (String name : System.getenv().getOrDefault("BENCH_SERVERS", "").split(",")) {
            switch (name) {
                case "rabbit" -> {
                    RabbitServer rabbit = RabbitServer.startNew();
                    started.add(rabbit);
                    System.out.println("rabbit=" + rabbit.transportUrl());
                }
                case "postgres" -> {
                    PostgresServer postgres = PostgresServer.launch();
                    started.add(postgres);
                    System.out.println("postgres=" + postgres.sqlalchemyUrl());
                }
                case "mariadb" -> {
                    MariaDbServer mariadb = MariaDbServer.launch();
                    started.add(mariadb);
                    System.out.println("mariadb=" + mariadb.sqlalchemyUrl());
                }
                case "ceph" -> {
                    CephServer ceph = CephServer.launch();
                    started.add(ceph);
                    System.out.println("ceph=" + ceph.confFile() + " user=" + ceph.clientId() + " keyring="
                            + ceph.clientKeyring() + " pool=" + ceph.pool());
                }
                default -> throw new IllegalArgumentException("unknown server " + name + ": rabbit, postgres, mariadb or ceph");
            }
        }
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // keep serving until stdin closes
        }
        System.exit(0);
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
    }
}
