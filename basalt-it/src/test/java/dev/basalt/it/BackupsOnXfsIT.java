package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.testkit.ContentDigest;
import dev.basalt.testkit.LoopFilesystem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Incremental backups that read only what changed, end to end: a real {@code basalt all} whose
 * {@code state_path} (volumes and backup repository) is on a loop-mounted XFS with reflink, driven by
 * Debian's {@code cinder} client. The volume service keeps a backup base (a reflink) of the volume
 * for each backup; an incremental compares extent maps with its parent's base and reads only the
 * changed chunks, which {@code GET /metrics} shows ({@code basalt_backup_source_read_bytes_total}
 * next to {@code basalt_backup_source_data_bytes_total}). Every point restores byte for byte, and
 * no base outlives what it is for, not even one left by a backup killed mid-way (dropped when the
 * service starts again).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupsOnXfsIT {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @RegisterExtension
    static final LoopFilesystem XFS = LoopFilesystem.xfs();

    private BasaltProcess basalt;
    private Cli cli;
    private final Random random = new Random(20261208);
    private String source;
    private String full;
    private String incremental;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        // 1 MiB chunks: a 1 MiB change is one chunk of the 100 MiB of data, 1%
        basalt = new BasaltProcess(XFS.newDirectory().resolve("state"), "backup_file_size = 1048576\nbackup_workers = 1")
                .start();
        cli = new Cli(basalt.endpoint(), "u1", "p1");
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (basalt != null) {
            basalt.stop();
        }
    }

    private Map<String, String> cinder(String... args) throws Exception {
        return Tables.properties(cli.cinder(args).ok().stdout());
    }

    /** Waits through the API of the running process, as this test's user. */
    private Statuses statuses() {
        return new Statuses(cli.api(), PATIENCE);
    }

    private String backup(String... args) throws Exception {
        String id = cinder(Stream.concat(Stream.of("backup-create"), Stream.of(args)).toArray(String[]::new)).get("id");
        statuses().backup(id, "available");
        return id;
    }

    private String restoreToNewVolume(String backup) throws Exception {
        String volume = cinder("backup-restore", backup).get("volume_id");
        statuses().volume(volume, "available");
        statuses().backup(backup, "available");
        return volume;
    }

    private Path volumeFile(String id) {
        return VolumeFiles.of(basalt.volumesDir(), id);
    }

    /** The backup bases in the volume directory, by file name. */
    private List<String> bases() throws IOException {
        try (Stream<Path> files = Files.list(basalt.volumesDir())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("backup-base-")).sorted().toList();
        }
    }

    private static String base(String volume, String backup) {
        return "backup-base-" + volume + "." + backup;
    }

    private NavigableMap<Long, byte[]> randomPieces(long... offsetsAndLengths) {
        NavigableMap<Long, byte[]> pieces = new TreeMap<>();
        for (int i = 0; i < offsetsAndLengths.length; i += 2) {
            byte[] bytes = new byte[(int) offsetsAndLengths[i + 1]];
            random.nextBytes(bytes);
            pieces.put(offsetsAndLengths[i], bytes);
        }
        return pieces;
    }

    /** A counter of the backup meters for one mode, from {@code GET /metrics} as Prometheus reads it. */
    private double meter(String name, String mode) throws Exception {
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + basalt.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        Matcher line = Pattern.compile("(?m)^" + name + "\\{[^}]*mode=\"" + mode + "\"[^}]*} (\\S+)$")
                .matcher(scrape.body());
        assertThat(line.find()).as("%s{mode=%s} in the scrape", name, mode).isTrue();
        return Double.parseDouble(line.group(1));
    }

    @Test
    @Order(1)
    void anIncrementalAfterOnePercentChangedReadsAboutOnePercentAndEveryPointRestores() throws Exception {
        source = cinder("create", "--name", "xfs-src", "1").get("id");
        statuses().volume(source, "available");
        NavigableMap<Long, byte[]> first = randomPieces(0, 25 * MIB, 200 * MIB, 25 * MIB, 500 * MIB, 25 * MIB,
                GIB - 25 * MIB, 25 * MIB);
        VolumeFiles.write(volumeFile(source), first);
        String firstSha = ContentDigest.ofImage(GIB, first);

        full = backup("--name", "xfs-full", source);

        assertThat(bases()).containsExactly(base(source, full));
        assertThat(meter("basalt_backup_source_read_bytes_total", "full")).isEqualTo(100.0 * MIB);
        NavigableMap<Long, byte[]> change = randomPieces(210 * MIB, MIB);
        VolumeFiles.write(volumeFile(source), change);
        NavigableMap<Long, byte[]> second = new TreeMap<>(first);
        byte[] piece = second.get(200 * MIB).clone(); // the change is inside the piece at 200 MiB
        System.arraycopy(change.get(210 * MIB), 0, piece, (int) (10 * MIB), (int) MIB);
        second.put(200 * MIB, piece);
        String secondSha = ContentDigest.ofImage(GIB, second);
        assertThat(ContentDigest.ofFile(volumeFile(source))).isEqualTo(secondSha);

        incremental = backup("--incremental", "--name", "xfs-incr", source);

        double read = meter("basalt_backup_source_read_bytes_total", "extent_map");
        double data = meter("basalt_backup_source_data_bytes_total", "extent_map");
        System.out.printf("BackupsOnXfsIT: the incremental read %.0f of %.0f bytes of the volume's data (%.2f%%)%n",
                read, data, 100 * read / data);
        assertThat(data).isEqualTo(100.0 * MIB);
        assertThat(read / data).as("share of the volume's data the incremental read (%s bytes)", read)
                .isGreaterThanOrEqualTo(0.01).isLessThan(0.02);
        assertThat(basalt.log()).contains("backup " + incremental + " of volume " + source + " (extent_map:");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(bases()).containsExactly(base(source, incremental)));

        assertThat(ContentDigest.ofFile(volumeFile(restoreToNewVolume(full)))).as("the full backup's point").isEqualTo(firstSha);
        assertThat(ContentDigest.ofFile(volumeFile(restoreToNewVolume(incremental)))).as("the incremental's point")
                .isEqualTo(secondSha);
    }

    @Test
    @Order(2)
    void deletingTheBackupsOrTheVolumeLeavesNoBase() throws Exception {
        cli.cinder("backup-delete", incremental).ok();
        statuses().gone(Statuses.Kind.BACKUP, incremental);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(bases()).isEmpty());

        String another = backup("--name", "xfs-again", source);
        assertThat(bases()).containsExactly(base(source, another));
        cli.cinder("delete", source).ok();
        await().atMost(PATIENCE).until(() -> !Files.exists(volumeFile(source)));

        assertThat(bases()).as("the volume's delete removed its base").isEmpty();
        assertThat(cinder("backup-show", another).get("status")).isEqualTo("available");
        cli.cinder("backup-delete", another).ok();
        cli.cinder("backup-delete", full).ok();
        statuses().gone(Statuses.Kind.BACKUP, full);
        assertThat(bases()).isEmpty();
    }

    @Test
    @Order(3)
    void aBackupKilledMidwayLeavesNoBaseAndNoRepositoryFileOnceTheServiceRestarted() throws Exception {
        Path repository = basalt.stateDir().resolve("backup");
        long before = BackupRepositoryFiles.workFiles(repository);
        String volume = cinder("create", "--name", "xfs-cut", "1").get("id");
        statuses().volume(volume, "available");
        VolumeFiles.writeRandom(volumeFile(volume), 4, 128 * MIB, 20261209);

        String cut = cinder("backup-create", "--name", "xfs-cut", volume).get("id");
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> bases().contains(base(volume, cut)));
        basalt.kill();
        assertThat(bases()).as("left by the kill").contains(base(volume, cut));
        basalt.start();
        cli = new Cli(basalt.endpoint(), "u1", "p1");

        statuses().backup(cut, "error");
        statuses().volume(volume, "available");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(bases()).as("dropped at restart").isEmpty());
        assertThat(BackupRepositoryFiles.workFiles(repository)).as("no file of the cut backup is left")
                .isEqualTo(before);

        cli.cinder("backup-delete", cut).ok();
        statuses().gone(Statuses.Kind.BACKUP, cut);
        cli.cinder("delete", volume).ok();
        await().atMost(PATIENCE).until(() -> !Files.exists(volumeFile(volume)));
    }
}
