package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.testkit.ContentDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backups end to end: a real {@code basalt all} (api, scheduler, volume and backup services in one
 * process) driven by Debian's {@code cinder} client; volumes written on disk, backed up into the
 * POSIX repository under {@code $state_path/backup}, restored, and compared byte for byte
 * (SHA-256 of the whole device) with what they held when they were backed up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupsCliIT {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth(null);
    private Cli cli;
    private Api api;
    private Statuses statuses;
    private final Random random = new Random(20261207);

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        cli = basalt.cli("u1", "p1");
        api = new Api(basalt.endpoint(), "u1", "p1");
        statuses = new Statuses(api, PATIENCE);
    }

    private Map<String, String> cinder(String... args) throws Exception {
        return Tables.properties(cli.cinder(args).ok().stdout());
    }

    /** Waits for the volume's status; what {@code cinder show} displays then. */
    private Map<String, String> awaitVolume(String nameOrId, String status) throws Exception {
        statuses.volume(nameOrId, status);
        return cinder("show", nameOrId);
    }

    private void awaitBackup(String nameOrId, String status) {
        statuses.backup(nameOrId, status);
    }

    private Path volumeFile(String id) {
        return VolumeFiles.of(basalt.volumesDir(), id);
    }

    private Path repository() {
        return basalt.stateDir().resolve("backup");
    }

    private byte[] randomBytes(long length) {
        byte[] bytes = new byte[(int) length];
        random.nextBytes(bytes);
        return bytes;
    }

    private String newVolume(String name, int gib) throws Exception {
        String id = cinder("create", "--name", name, String.valueOf(gib)).get("id");
        awaitVolume(id, "available");
        return id;
    }

    private String backup(String... args) throws Exception {
        String id = cinder(Stream.concat(Stream.of("backup-create"), Stream.of(args)).toArray(String[]::new)).get("id");
        awaitBackup(id, "available");
        return id;
    }

    /** Restores into a new volume; its id once it is available again. */
    private String restoreToNewVolume(String backup) throws Exception {
        String volume = cinder("backup-restore", backup).get("volume_id");
        awaitVolume(volume, "available");
        awaitBackup(backup, "available");
        return volume;
    }

    private static List<Path> chunkFiles(Path repository) throws IOException {
        try (Stream<Path> files = Files.walk(repository.resolve("chunks"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    @Order(1)
    void fullAndIncrementalBackupsRestoreEveryPointByteForByte() throws Exception {
        String source = newVolume("src", 1);
        NavigableMap<Long, byte[]> first = new TreeMap<>(Map.of(0L, randomBytes(MIB), 100 * MIB, randomBytes(MIB),
                700 * MIB, randomBytes(4 * MIB)));
        VolumeFiles.write(volumeFile(source), first);
        String firstSha = ContentDigest.ofImage(GIB, first);
        assertThat(ContentDigest.ofFile(volumeFile(source))).isEqualTo(firstSha);

        String full = backup("--name", "full", "--description", "first point", source);
        Map<String, String> shown = cinder("backup-show", full);
        assertThat(shown.get("volume_id")).isEqualTo(source);
        assertThat(shown.get("size")).isEqualTo("1");
        assertThat(shown.get("is_incremental")).isEqualTo("False");
        assertThat(shown.get("has_dependent_backups")).isEqualTo("False");
        assertThat(shown.get("name")).isEqualTo("full");
        assertThat(shown.get("description")).isEqualTo("first point");
        assertThat(awaitVolume(source, "available").get("status")).isEqualTo("available");
        assertThat(Tables.records(cli.cinder("backup-list").ok().stdout())).anySatisfy(row -> {
            assertThat(row.get("ID")).isEqualTo(full);
            assertThat(row.get("Volume ID")).isEqualTo(source);
            assertThat(row.get("Status")).isEqualTo("available");
        });

        NavigableMap<Long, byte[]> second = new TreeMap<>(first);
        second.put(100 * MIB, randomBytes(MIB));
        second.put(300 * MIB, randomBytes(MIB));
        VolumeFiles.write(volumeFile(source), second);
        String secondSha = ContentDigest.ofImage(GIB, second);
        String incremental = backup("--incremental", "--name", "incr", source);
        assertThat(cinder("backup-show", incremental).get("is_incremental")).isEqualTo("True");
        assertThat(cinder("backup-show", full).get("has_dependent_backups")).isEqualTo("True");

        String fromFull = restoreToNewVolume(full);
        assertThat(ContentDigest.ofFile(volumeFile(fromFull))).as("the full backup's point").isEqualTo(firstSha);
        assertThat(VolumeFiles.allocatedBytes(volumeFile(fromFull))).as("holes stay holes").isLessThan(64 * MIB);
        String fromIncremental = restoreToNewVolume(incremental);
        assertThat(ContentDigest.ofFile(volumeFile(fromIncremental))).as("the incremental's point").isEqualTo(secondSha);

        String larger = newVolume("larger", 2);
        VolumeFiles.write(volumeFile(larger), new TreeMap<>(Map.of(500 * MIB, randomBytes(MIB))));
        assertThat(cinder("backup-restore", "--volume", larger, full).get("volume_id")).isEqualTo(larger);
        awaitVolume(larger, "available");
        awaitBackup(full, "available");
        assertThat(ContentDigest.ofFile(volumeFile(larger))).as("onto an existing larger volume, what was there is gone")
                .isEqualTo(ContentDigest.ofImage(2 * GIB, first));

        Cli.Result dependents = cli.cinder("backup-delete", full);
        assertThat(dependents.exitCode()).isNotZero();
        assertThat(dependents.stdout() + dependents.stderr()).contains("Incremental backups exist for this backup");

        cli.cinder("delete", source).ok();
        await().atMost(PATIENCE).until(() -> !Files.exists(volumeFile(source)));
        String afterSourceGone = restoreToNewVolume(incremental);
        assertThat(ContentDigest.ofFile(volumeFile(afterSourceGone))).as("a backup outlives its volume").isEqualTo(secondSha);

        cli.cinder("backup-delete", incremental).ok();
        statuses.gone(Statuses.Kind.BACKUP, incremental);
        cli.cinder("backup-delete", full).ok();
        statuses.gone(Statuses.Kind.BACKUP, full);
        assertThat(chunkFiles(repository())).as("no chunk outlives the backups that need it").isEmpty();
        for (String volume : List.of(fromFull, fromIncremental, larger, afterSourceGone)) {
            cli.cinder("delete", volume).ok();
        }
        await().atMost(PATIENCE).until(() -> VolumeFiles.ids(basalt.volumesDir()).isEmpty());
    }

    @Test
    @Order(2)
    void badRequestsAreRefusedAndLeaveNothingBehind() throws Exception {
        String volume = newVolume("bad-input", 1);
        Cli.Result missing = cli.cinder("backup-create", "00000000-0000-0000-0000-000000000000");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).containsAnyOf("could not be found", "No volume with a name or ID");

        Cli.Result noParent = cli.cinder("backup-create", "--incremental", volume);
        assertThat(noParent.exitCode()).isNotZero();
        assertThat(noParent.stderr()).contains("No backups available to do an incremental backup");

        cli.cinder("reset-state", "--state", "error", volume).ok();
        Cli.Result inError = cli.cinder("backup-create", volume);
        assertThat(inError.exitCode()).isNotZero();
        assertThat(inError.stderr()).contains("must be available or in-use");
        cli.cinder("reset-state", "--state", "available", volume).ok();
        String attachment = cinder("--os-volume-api-version", "3.54", "attachment-create", "--connect", "True",
                "--initiator", "iqn.1993-08.org.debian:01:backups", "--ip", "127.0.0.1", "--host", "backups-compute",
                volume).get("id");
        cli.cinder("--os-volume-api-version", "3.54", "attachment-complete", attachment).ok();
        awaitVolume(volume, "in-use");
        Cli.Result inUse = cli.cinder("backup-create", volume);
        assertThat(inUse.exitCode()).isNotZero();
        assertThat(inUse.stderr()).contains("Backing up an in-use volume must use the force flag");
        assertThat(cinder("show", volume).get("status")).isEqualTo("in-use");
        cli.cinder("--os-volume-api-version", "3.54", "attachment-delete", attachment).ok();
        awaitVolume(volume, "available");

        String backupOfTwo = backup("--name", "two", newVolume("two-gib", 2));
        Cli.Result smaller = cli.cinder("backup-restore", "--volume", volume, backupOfTwo);
        assertThat(smaller.exitCode()).isNotZero();
        assertThat(cinder("show", volume).get("status")).isEqualTo("available");
        assertThat(cinder("backup-show", backupOfTwo).get("status")).isEqualTo("available");

        Cli.Result malformed = cli.cinder("backup-import", "cinder.backup.drivers.posix.PosixBackupDriver",
                "bm90IGEgcmVjb3Jk");
        assertThat(malformed.exitCode()).isNotZero();
        assertThat(malformed.stderr()).contains("Can't parse backup record");

        assertThat(Tables.records(cli.cinder("backup-list").ok().stdout())).hasSize(1);
        cli.cinder("backup-delete", backupOfTwo).ok();
        statuses.gone(Statuses.Kind.BACKUP, backupOfTwo);
    }

    @Test
    @Order(3)
    void aForcedBackupOfAnAttachedVolumeReadsATemporarySnapshotAndLeavesItInUseAndMakesNewVolumes()
            throws Exception {
        String volume = newVolume("attached", 1);
        String attachment = cinder("--os-volume-api-version", "3.54", "attachment-create", "--connect", "True",
                "--initiator", "iqn.1993-08.org.debian:01:backups", "--ip", "127.0.0.1", "--host", "backups-compute",
                volume).get("id");
        cli.cinder("--os-volume-api-version", "3.54", "attachment-complete", attachment).ok();
        awaitVolume(volume, "in-use");
        NavigableMap<Long, byte[]> data = new TreeMap<>(Map.of(0L, randomBytes(MIB), 300 * MIB, randomBytes(2 * MIB)));
        VolumeFiles.write(volumeFile(volume), data);
        String sha = ContentDigest.ofImage(GIB, data);

        String backup = backup("--force", "--name", "while-attached", volume);
        Map<String, String> inUse = awaitVolume(volume, "in-use");
        assertThat(inUse.get("attachment_ids")).contains(attachment);
        assertThat(Tables.records(cli.cinder("--os-volume-api-version", "3.27", "attachment-list").ok().stdout()))
                .anySatisfy(row -> assertThat(row.get("ID")).isEqualTo(attachment));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/snapshots").body().path("snapshots").isEmpty());
        assertThat(Tables.records(cli.cinder("snapshot-list").ok().stdout())).isEmpty();
        try (Stream<Path> files = Files.list(basalt.volumesDir())) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary snapshot file is left")
                    .noneMatch(n -> n.startsWith("snapshot-"));
        }

        String restored = restoreToNewVolume(backup);
        assertThat(ContentDigest.ofFile(volumeFile(restored))).as("the attached volume's point").isEqualTo(sha);
        Map<String, String> answered = cinder("--os-volume-api-version", "3.47", "create", "--name", "from-backup",
                "--backup-id", backup, "1");
        assertThat(answered.get("status")).as("answered at once, as Cinder").isEqualTo("creating");
        String created = answered.get("id");
        awaitVolume(created, "available");
        awaitBackup(backup, "available");
        assertThat(ContentDigest.ofFile(volumeFile(created))).as("a volume created from the backup").isEqualTo(sha);
        for (String fromBackup : List.of(restored, created)) {
            assertThat(cinder("show", fromBackup).get("metadata")).as("Cinder's src_backup_id")
                    .contains("src_backup_id").contains(backup);
        }

        cli.cinder("--os-volume-api-version", "3.54", "attachment-delete", attachment).ok();
        awaitVolume(volume, "available");
        cli.cinder("backup-delete", backup).ok();
        statuses.gone(Statuses.Kind.BACKUP, backup);
        cli.cinder("delete", volume).ok();
        cli.cinder("delete", restored).ok();
        cli.cinder("delete", created).ok();
        await().atMost(PATIENCE).until(() -> !Files.exists(volumeFile(volume)) && !Files.exists(volumeFile(restored))
                && !Files.exists(volumeFile(created)));
    }

    @Test
    @Order(4)
    void overQuotaIsA413AndWritesNothing() throws Exception {
        Cli quotaCli = basalt.cli("u2", "p2");
        quotaCli.cinder("quota-update", "--backups", "1", "p2").ok();
        String volume = Tables.properties(quotaCli.cinder("create", "--name", "q", "1").ok().stdout()).get("id");
        Statuses quotaStatuses = new Statuses(new Api(basalt.endpoint(), "u2", "p2"), PATIENCE);
        quotaStatuses.volume(volume, "available");
        String first = Tables.properties(quotaCli.cinder("backup-create", volume).ok().stdout()).get("id");
        quotaStatuses.backup(first, "available");
        Cli.Result over = quotaCli.cinder("backup-create", volume);
        assertThat(over.exitCode()).isNotZero();
        assertThat(over.stderr()).contains("413");
        assertThat(Tables.records(quotaCli.cinder("backup-list").ok().stdout())).hasSize(1);
        assertThat(Tables.properties(quotaCli.cinder("show", volume).ok().stdout()).get("status")).isEqualTo("available");
    }

    @Test
    @Order(5)
    void aCorruptOrMissingChunkFailsTheRestoreLoudly() throws Exception {
        String source = newVolume("to-corrupt", 1);
        VolumeFiles.write(volumeFile(source), new TreeMap<>(Map.of(0L, randomBytes(8 * MIB))));
        String backup = backup("--name", "corruptible", source);
        List<Path> chunks = chunkFiles(repository());
        assertThat(chunks).isNotEmpty();

        Path victim = chunks.getFirst();
        byte[] original = Files.readAllBytes(victim);
        byte[] corrupted = original.clone();
        corrupted[corrupted.length - 1] ^= 0x5a;
        Files.write(victim, corrupted);
        String target = cinder("backup-restore", backup).get("volume_id");
        Map<String, String> failed = awaitVolume(target, "error_restoring");
        assertThat(failed.get("status")).isEqualTo("error_restoring");
        awaitBackup(backup, "available");
        assertThat(cinder("backup-show", backup).get("status")).isEqualTo("available");

        Files.delete(victim);
        String second = cinder("backup-restore", backup).get("volume_id");
        awaitVolume(second, "error_restoring");
        awaitBackup(backup, "available");

        Files.write(victim, original);
        String healed = restoreToNewVolume(backup);
        assertThat(ContentDigest.ofFile(volumeFile(healed))).isEqualTo(ContentDigest.ofFile(volumeFile(source)));
    }

    @Test
    @Order(6)
    void anExportedRecordImportsAndRestores() throws Exception {
        String source = newVolume("exported", 1);
        VolumeFiles.write(volumeFile(source), new TreeMap<>(Map.of(64 * MIB, randomBytes(2 * MIB))));
        String sha = ContentDigest.ofFile(volumeFile(source));
        String backup = backup("--name", "to-export", source);

        Map<String, String> record = cinder("backup-export", backup);
        assertThat(record.get("backup_service")).isEqualTo("cinder.backup.drivers.posix.PosixBackupDriver");
        Cli.Result again = cli.cinder("backup-import", record.get("backup_service"), record.get("backup_url"));
        assertThat(again.exitCode()).as("the record is still in this database").isNotZero();
        assertThat(again.stderr()).contains("already exists");

        try (BasaltProcess other = new BasaltProcess(Files.createTempDirectory("basalt-it-import-").resolve("state"),
                "backup_posix_path = " + repository()).start()) {
            Cli otherCli = new Cli(other.endpoint(), "u1", "p1");
            String imported = Tables.properties(otherCli.cinder("backup-import", record.get("backup_service"),
                    record.get("backup_url")).ok().stdout()).get("id");
            assertThat(imported).isEqualTo(backup);
            Statuses otherStatuses = new Statuses(new Api(other.endpoint(), "u1", "p1"), PATIENCE);
            otherStatuses.backup(imported, "available");
            String restored = Tables.properties(otherCli.cinder("backup-restore", imported).ok().stdout())
                    .get("volume_id");
            otherStatuses.volume(restored, "available");
            assertThat(ContentDigest.ofFile(VolumeFiles.of(other.volumesDir(), restored))).isEqualTo(sha);
        }
    }

    @Test
    @Order(7)
    void theOpenStackClientCreatesListsShowsRestoresAndDeletesBackups() throws Exception {
        String source = newVolume("osc-src", 1);
        VolumeFiles.write(volumeFile(source), new TreeMap<>(Map.of(32 * MIB, randomBytes(MIB))));
        String sha = ContentDigest.ofFile(volumeFile(source));

        String id = cli.openstackJson("volume", "backup", "create", "--name", "osc-backup", source).get("id").asText();
        awaitBackup(id, "available");
        assertThat(cli.openstackJson("volume", "backup", "list")).anySatisfy(row -> {
            assertThat(row.get("ID").asText()).isEqualTo(id);
            assertThat(row.get("Name").asText()).isEqualTo("osc-backup");
            assertThat(row.get("Status").asText()).isEqualTo("available");
        });
        com.fasterxml.jackson.databind.JsonNode shown = cli.openstackJson("volume", "backup", "show", "osc-backup");
        assertThat(shown.get("volume_id").asText()).isEqualTo(source);
        assertThat(shown.get("size").asInt()).isEqualTo(1);

        // Debian's openstackclient 6.0.0 sends the restore and then fails to print its answer: its
        // RestoreVolumeBackup returns the client's restore object where cliff expects (columns, data).
        Cli.Result restore = cli.openstack("volume", "backup", "restore", "osc-backup", "osc-restored");
        assertThat(restore.exitCode() == 0 || restore.stderr().contains("cannot unpack non-iterable VolumeBackupsRestore"))
                .as(restore.stderr()).isTrue();
        Map<String, String> volume = awaitVolume("osc-restored", "available");
        String restored = volume.get("id");
        assertThat(volume.get("name")).isEqualTo("osc-restored");
        awaitBackup(id, "available");
        assertThat(ContentDigest.ofFile(volumeFile(restored))).isEqualTo(sha);

        cli.openstack("volume", "backup", "delete", "osc-backup").ok();
        statuses.gone(Statuses.Kind.BACKUP, id);
    }
}
