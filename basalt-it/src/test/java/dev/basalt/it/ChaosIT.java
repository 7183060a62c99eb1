package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.testkit.PostgresServer;
import dev.basalt.testkit.RabbitServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seeded chaos over the split deployment (RabbitMQ + PostgreSQL, both of its own so they can be
 * restarted): 200 mixed operations (create, clone, delete, extend, snapshot, snapshot delete,
 * attach, detach) while, at seeded moments, a volume process, the scheduler and an API process are
 * killed with SIGKILL and restarted, and RabbitMQ and the database are restarted. Afterwards every
 * resource is in a final status, the database agrees with the files on the nodes, quota usage is
 * what exists, and every request that was answered 2xx had its effect. {@code -Dbasalt.chaos.seed=N}
 * replays a run.
 */
class ChaosIT {
    private static final long SEED = Long.getLong("basalt.chaos.seed", 20261206L);
    private static final int OPERATIONS = Integer.getInteger("basalt.chaos.operations", 200);
    private static final Duration SETTLE = Duration.ofMinutes(4);
    private static final Set<String> FINAL_VOLUME = Set.of("available", "in-use", "error", "error_deleting",
            "error_extending");
    private static final Set<String> FINAL_SNAPSHOT = Set.of("available", "error", "error_deleting");

    private final Random random = new Random(SEED);
    private final List<String> log = new CopyOnWriteArrayList<>();
    private SplitDeployment deployment;
    private Api api1;
    private Api api2;

    /** What the answers promised about one volume. */
    private static final class Promised {
        boolean created;
        boolean deleted;
        int size = 1;
        final Set<String> snapshots = new HashSet<>();
        String attachment;
    }

    private final Map<String, Promised> volumes = new TreeMap<>();
    private final Map<String, String> snapshotOf = new HashMap<>();
    private final Set<String> deletedSnapshots = new HashSet<>();

    @Test
    void afterKillsAndRestartsEverythingSettlesAndAgrees() throws Exception {
        Cli.requireClients();
        Path dir = Files.createDirectories(Path.of("target", "ChaosIT-" + SEED + "-" + UUID.randomUUID()
                .toString().substring(0, 8))).toAbsolutePath();
        try (RabbitServer rabbit = RabbitServer.startNew(); PostgresServer database = PostgresServer.launch()) {
            deployment = new SplitDeployment(dir, rabbit, database.sqlalchemyUrl(),
                    // restarts here are meant to be survived, not taken for a dead node (service_down_time 60)
                    "quota_volumes = -1\nquota_snapshots = -1\nquota_gigabytes = -1\n").start();
            try {
                api1 = new Api(deployment.endpoint(deployment.apiPort1), "u1", "p1");
                api2 = new Api(deployment.endpoint(deployment.apiPort2), "u1", "p1");
                Map<Integer, Runnable> disruptions = disruptions(rabbit, database);
                List<Thread> running = new ArrayList<>();
                for (int i = 0; i < OPERATIONS; i++) {
                    Runnable disruption = disruptions.get(i);
                    if (disruption != null) {
                        running.add(Thread.ofVirtual().start(() -> {
                            try {
                                disruption.run();
                            } catch (RuntimeException e) {
                                log.add("disruption failed: " + e);
                                throw e;
                            }
                        }));
                    }
                    operate(i);
                }
                for (Thread t : running) {
                    t.join();
                }
                settleAndCheck(dir);
            } finally {
                deployment.close();
                Files.write(dir.resolve("chaos.log"), log);
            }
        }
    }

    /** At seeded operation numbers: kill -9 and restart each kind of process, restart the broker and the database. */
    private Map<Integer, Runnable> disruptions(RabbitServer rabbit, PostgresServer database) {
        List<Runnable> kinds = List.of(
                () -> killAndRestart("volume-node1"),
                () -> killAndRestart("scheduler"),
                () -> killAndRestart("api1"),
                () -> pauseThen("rabbitmq kill -9 and restart", rabbit::kill, rabbit::start),
                () -> pauseThen("database restart", database::stop, database::start));
        Map<Integer, Runnable> at = new HashMap<>();
        int slot = OPERATIONS / (kinds.size() + 1);
        for (int k = 0; k < kinds.size(); k++) {
            at.put(slot * (k + 1) - slot / 4 + random.nextInt(slot / 2), kinds.get(k));
        }
        return at;
    }

    private void killAndRestart(String name) {
        try {
            log.add("kill -9 " + name);
            deployment.kill(name);
            Thread.sleep(1000 + random.nextInt(2000));
            deployment.restart(name);
            log.add("restarted " + name);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void pauseThen(String what, Runnable stop, Runnable start) {
        try {
            log.add(what + ": stop");
            stop.run();
            Thread.sleep(1000 + random.nextInt(2000));
            start.run();
            log.add(what + ": started");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> live() {
        return volumes.entrySet().stream().filter(e -> e.getValue().created && !e.getValue().deleted)
                .map(Map.Entry::getKey).toList();
    }

    private String pick(List<String> from) {
        return from.isEmpty() ? null : from.get(random.nextInt(from.size()));
    }

    /** One seeded operation through one of the API processes. */
    private void operate(int i) throws InterruptedException {
        int dice = random.nextInt(100);
        Api api = random.nextBoolean() ? api1 : api2;
        String target = pick(live());
        try {
            if (dice < 30 || target == null) {
                created(i, api.post("/volumes", "{\"volume\": {\"size\": 1, \"name\": \"chaos-" + i + "\"}}"), 1);
            } else if (dice < 36) {
                created(i, api.post("/volumes", "{\"volume\": {\"size\": " + volumes.get(target).size
                        + ", \"source_volid\": \"" + target + "\"}}"), volumes.get(target).size);
            } else if (dice < 50) {
                Api.Response r = api.delete("/volumes/" + target + "?cascade=true");
                note(i, "delete " + target, r);
                if (r.status() == 202) {
                    volumes.get(target).deleted = true;
                }
            } else if (dice < 64) {
                int size = volumes.get(target).size + 1;
                Api.Response r = api.post("/volumes/" + target + "/action", "{\"os-extend\": {\"new_size\": " + size + "}}");
                note(i, "extend " + target + " to " + size, r);
                if (r.status() == 202) {
                    volumes.get(target).size = size;
                }
            } else if (dice < 78) {
                Api.Response r = api.post("/snapshots", "{\"snapshot\": {\"volume_id\": \"" + target + "\"}}");
                note(i, "snapshot " + target, r);
                if (r.status() == 202) {
                    String id = r.body().get("snapshot").get("id").asText();
                    volumes.get(target).snapshots.add(id);
                    snapshotOf.put(id, target);
                }
            } else if (dice < 86) {
                String snapshot = pick(new ArrayList<>(volumes.get(target).snapshots));
                if (snapshot != null) {
                    Api.Response r = api.delete("/snapshots/" + snapshot);
                    note(i, "delete snapshot " + snapshot, r);
                    if (r.status() == 202) {
                        volumes.get(target).snapshots.remove(snapshot);
                        deletedSnapshots.add(snapshot);
                    }
                }
            } else if (volumes.get(target).attachment == null) {
                Api.Response r = api.send("POST", "/attachments", "{\"attachment\": {\"volume_uuid\": \"" + target
                        + "\", \"connector\": {\"initiator\": \"iqn.1993-08.org.debian:01:chaos\", \"ip\": \"127.0.0.1\","
                        + " \"host\": \"chaos\"}, \"mode\": \"rw\"}}", "3.54");
                note(i, "attach " + target, r);
                if (r.status() == 200) {
                    String attachment = r.body().get("attachment").get("id").asText();
                    volumes.get(target).attachment = attachment;
                    note(i, "complete " + attachment, api.send("POST", "/attachments/" + attachment + "/action",
                            "{\"os-complete\": {}}", "3.54"));
                }
            } else {
                String attachment = volumes.get(target).attachment;
                Api.Response r = api.send("DELETE", "/attachments/" + attachment, null, "3.54");
                note(i, "detach " + target, r);
                if (r.status() == 200) {
                    volumes.get(target).attachment = null;
                }
            }
        } catch (IOException e) {
            log.add(i + " no answer: " + e);
        }
    }

    private void created(int i, Api.Response r, int size) {
        note(i, "create", r);
        if (r.status() == 202) {
            Promised p = new Promised();
            p.created = true;
            p.size = size;
            volumes.put(r.body().get("volume").get("id").asText(), p);
        }
    }

    private void note(int i, String what, Api.Response r) {
        log.add(i + " " + what + " -> " + r.status() + (r.status() >= 300 ? " " + r.raw() : ""));
    }

    private Map<String, JsonNode> all(String path, String key) throws Exception {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (JsonNode item : live(path).body().get(key)) {
            byId.put(item.get("id").asText(), item);
        }
        return byId;
    }

    /** Asks whichever API process answers. */
    private Api.Response live(String path) throws Exception {
        try {
            return api1.get(path);
        } catch (IOException e) {
            return api2.get(path);
        }
    }

    private void settleAndCheck(Path dir) throws Exception {
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(all("/volumes/detail?limit=1000", "volumes").values())
                    .allSatisfy(v -> assertThat(v.get("status").asText()).as(v.get("id").asText()).isIn(FINAL_VOLUME));
            assertThat(all("/snapshots/detail?limit=1000", "snapshots").values())
                    .allSatisfy(s -> assertThat(s.get("status").asText()).as(s.get("id").asText()).isIn(FINAL_SNAPSHOT));
        });
        Map<String, JsonNode> rows = all("/volumes/detail?limit=1000", "volumes");
        Map<String, JsonNode> snapshotRows = all("/snapshots/detail?limit=1000", "snapshots");

        // Every answer kept its promise.
        for (Map.Entry<String, Promised> e : volumes.entrySet()) {
            JsonNode row = rows.get(e.getKey());
            if (e.getValue().deleted) {
                assertThat(row).as("volume %s whose delete was accepted", e.getKey()).isNull();
            } else {
                assertThat(row).as("volume %s whose create was accepted", e.getKey()).isNotNull();
                assertThat(row.get("size").asInt()).as("size of %s", e.getKey()).isEqualTo(e.getValue().size);
            }
        }
        for (String s : deletedSnapshots) {
            assertThat(snapshotRows).as("snapshot %s whose delete was accepted", s).doesNotContainKey(s);
        }
        for (Map.Entry<String, String> e : snapshotOf.entrySet()) {
            if (!deletedSnapshots.contains(e.getKey()) && !volumes.get(e.getValue()).deleted) {
                assertThat(snapshotRows).as("snapshot %s whose create was accepted", e.getKey()).containsKey(e.getKey());
            }
        }

        // The database agrees with the files on the nodes: no orphan file, no row without its file.
        Set<String> files = new HashSet<>();
        for (Path volumesDir : List.of(deployment.volumesDir("node1", "file"), deployment.volumesDir("node2", "fast"))) {
            if (Files.isDirectory(volumesDir)) {
                try (Stream<Path> list = Files.list(volumesDir)) {
                    list.map(p -> p.getFileName().toString())
                            .filter(n -> n.startsWith("volume-") || n.startsWith("snapshot-")).forEach(files::add);
                }
            }
        }
        Set<String> expected = new HashSet<>();
        rows.values().stream().filter(v -> !v.get("status").asText().equals("error"))
                .forEach(v -> expected.add("volume-" + v.get("id").asText()));
        snapshotRows.values().stream().filter(s -> !s.get("status").asText().equals("error"))
                .forEach(s -> expected.add("snapshot-" + s.get("id").asText()));
        assertThat(files).as("files on the nodes").containsExactlyInAnyOrderElementsOf(expected);

        // Quota usage is what exists.
        JsonNode usage = live("/os-quota-sets/p1?usage=true").body().get("quota_set");
        long volumesInUse = rows.values().stream().filter(v -> !v.get("status").asText().equals("error")).count();
        long gigabytes = rows.values().stream().filter(v -> !v.get("status").asText().equals("error"))
                .mapToLong(v -> v.get("size").asLong()).sum()
                + snapshotRows.values().stream().filter(s -> !s.get("status").asText().equals("error"))
                .mapToLong(s -> s.get("size").asLong()).sum();
        assertThat(usage.get("volumes").get("in_use").asLong()).isEqualTo(volumesInUse);
        assertThat(usage.get("volumes").get("reserved").asLong()).isZero();
        assertThat(usage.get("gigabytes").get("in_use").asLong()).isEqualTo(gigabytes);
        assertThat(usage.get("gigabytes").get("reserved").asLong()).isZero();
        log.add("settled: " + rows.size() + " volumes, " + snapshotRows.size() + " snapshots");
    }
}
