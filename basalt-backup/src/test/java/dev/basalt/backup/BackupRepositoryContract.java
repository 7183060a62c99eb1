package dev.basalt.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.backup.file.FileBlockSink;
import dev.basalt.backup.file.FileBlockSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link BackupRepository} must do, on real files. A repository's test extends this and
 * says how to make a repository and how to damage or list what it stores.
 */
public abstract class BackupRepositoryContract {
    protected static final int CHUNK = 64 << 10;
    private static final long MIB = 1 << 20;

    @TempDir
    protected Path work;

    protected BackupRepository repository;

    /** A new, empty repository (each test gets its own). */
    protected abstract BackupRepository newRepository() throws IOException;

    /** Every file (or object) the repository stores now, by name. */
    protected abstract Set<String> storedFiles() throws IOException;

    /** Flips a byte of the stored chunk. */
    protected abstract void corruptChunk(ChunkHash hash) throws IOException;

    /** Removes the stored chunk. */
    protected abstract void removeChunk(ChunkHash hash) throws IOException;

    @BeforeEach
    void openRepository() throws IOException {
        repository = newRepository();
    }

    protected Manifest backup(BackupRequest request, Path file) throws IOException {
        try (FileBlockSource source = FileBlockSource.open(file)) {
            return repository.backup(request, source, ProgressListener.NONE);
        }
    }

    protected static BackupRequest full(String id, Compression compression) {
        return BackupRequest.full(id, "volume-1", compression).withChunkSize(CHUNK);
    }

    /** Restores into a new sparse file and checks it equals {@code expected}. */
    protected Path restoreAndCompare(Manifest manifest, Path expected) throws IOException {
        Path target = Volumes.sparse(work.resolve("restored-" + manifest.backupId()), manifest.volumeSize());
        try (FileBlockSink sink = FileBlockSink.fresh(target)) {
            repository.restore(manifest, sink, ProgressListener.NONE);
        }
        Volumes.assertSameContent(expected, target);
        return target;
    }

    /** A 4 MiB volume: random data, explicit zeros, holes, and a short last chunk. */
    protected Path sampleVolume(String name) throws IOException {
        Path file = Volumes.sparse(work.resolve(name), 4 * MIB + 12345);
        Volumes.writeRandom(file, 0, (int) MIB, 1);
        Volumes.writeZeros(file, MIB, (int) MIB);
        Volumes.writeRandom(file, 3 * MIB + 100, 200_000, 2);
        Volumes.write(file, 4 * MIB + 1000, "the end".getBytes(StandardCharsets.UTF_8));
        return file;
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void fullBackupRestoresTheSameBytes(Compression compression) throws IOException {
        Path volume = sampleVolume("volume");
        List<long[]> progress = new CopyOnWriteArrayList<>();
        Manifest manifest;
        try (FileBlockSource source = FileBlockSource.open(volume)) {
            manifest = repository.backup(full("b1", compression), source, (done, total) -> progress.add(new long[] {done, total}));
        }
        assertThat(manifest.volumeSize()).isEqualTo(Files.size(volume));
        assertThat(manifest.compression()).isEqualTo(compression);
        assertThat(progress.getLast()).containsExactly(manifest.volumeSize(), manifest.volumeSize());
        assertThat(repository.hasManifest("b1")).isTrue();
        assertThat(repository.manifest("b1")).isEqualTo(manifest);
        restoreAndCompare(repository.manifest("b1"), volume);
    }

    @Test
    void zeroAndHoleChunksAreRecordedNotStored() throws IOException {
        Path volume = sampleVolume("volume");
        Manifest manifest = backup(full("b1", Compression.NONE), volume);
        // 1 MiB random (16 chunks) + 200000 bytes over 4 chunks + the short last chunk; the explicit zeros and holes are not stored
        assertThat(manifest.chunks().dataChunks()).isEqualTo(16 + 4 + 1);
        assertThat(manifest.dataBytes()).isEqualTo(20L * CHUNK + 12345);
        assertThat(manifest.storedBytes()).isLessThan(21L * (CHUNK + 64));
    }

    @Test
    void fullBackupOfUnchangedDataStoresNothingNew() throws IOException {
        Path volume = sampleVolume("volume");
        Manifest first = backup(full("b1", Compression.ZSTD), volume);
        Set<String> before = storedFiles();
        Manifest second = backup(full("b2", Compression.ZSTD), volume);
        assertThat(first.storedBytes()).isGreaterThan(MIB);
        assertThat(second.storedBytes()).isZero();
        assertThat(second.chunks()).isEqualTo(first.chunks());
        Set<String> added = new java.util.HashSet<>(storedFiles());
        added.removeAll(before);
        assertThat(added).as("only the new manifest").hasSize(1);
    }

    @Test
    void incrementalChainRestoresEveryPointAndSurvivesDeletingItsParent() throws IOException {
        Path volume = sampleVolume("volume");
        List<Path> points = new ArrayList<>();
        List<Manifest> manifests = new ArrayList<>();
        Manifest parent = null;
        for (int i = 0; i < 3; i++) {
            Volumes.writeRandom(volume, i * 700_000L + 5000, 70_000, 100 + i);
            Path copy = work.resolve("point-" + i);
            Files.copy(volume, copy);
            points.add(copy);
            BackupRequest request = full("b" + i, Compression.ZLIB);
            Manifest manifest = backup(parent == null ? request : request.incrementalTo(parent), volume);
            if (parent != null) {
                assertThat(manifest.parentBackupId()).contains(parent.backupId());
                assertThat(manifest.storedBytes()).as("only the changed chunks").isLessThan(4L * CHUNK);
            }
            manifests.add(manifest);
            parent = manifest;
        }
        for (int i = 0; i < 3; i++) {
            restoreAndCompare(repository.manifest("b" + i), points.get(i));
        }
        repository.delete("b0");
        repository.delete("b1");
        assertThat(repository.hasManifest("b0")).isFalse();
        restoreAndCompare(repository.manifest("b2"), points.get(2));
    }

    @Test
    void restoreIntoAFreshSparseFileKeepsHolesAndOntoAnOldFileZeroesWhatMustBeZero() throws Exception {
        long size = 64 * MIB;
        Path volume = Volumes.sparse(work.resolve("volume"), size);
        Volumes.writeRandom(volume, 10 * MIB, (int) MIB, 3);
        Volumes.writeZeros(volume, 20 * MIB, (int) MIB);
        Manifest manifest = backup(full("b1", Compression.ZSTD), volume);

        Path fresh = restoreAndCompare(manifest, volume);
        assertThat(Volumes.allocatedBytes(fresh)).isLessThanOrEqualTo(MIB + 64 * 1024);

        Path old = Volumes.sparse(work.resolve("old"), size);
        for (long at = 0; at < size; at += 8 * MIB) {
            Volumes.writeRandom(old, at, (int) (3 * MIB), at);
        }
        try (FileBlockSink sink = FileBlockSink.existing(old)) {
            repository.restore(manifest, sink, ProgressListener.NONE);
        }
        Volumes.assertSameContent(volume, old);
    }

    @Test
    void aSparseTebibyteBacksUpReadingOnlyItsData() throws Exception {
        long size = 1L << 40;
        Path volume = Volumes.sparse(work.resolve("huge"), size);
        Volumes.writeRandom(volume, 0, (int) MIB, 4);
        Volumes.writeRandom(volume, 300L << 30, (int) (2 * MIB), 5);
        Volumes.writeRandom(volume, size - MIB, (int) MIB, 6);
        Manifest manifest;
        try (CountingSource source = new CountingSource(FileBlockSource.open(volume))) {
            manifest = repository.backup(BackupRequest.full("huge", "volume-1", Compression.ZSTD), source, ProgressListener.NONE);
            assertThat(source.bytesRead()).as("data ranges %s", source.dataRanges()).isEqualTo(4 * MIB);
        }
        assertThat(manifest.chunks().dataChunks()).isEqualTo(3);
        assertThat(manifest.dataBytes()).as("bytes of the chunks holding data").isEqualTo(3L * BackupRequest.DEFAULT_CHUNK_SIZE);
        assertThat(ManifestCodec.encode(manifest).length).as("a compact manifest").isLessThan(2000);
        Path restored = restoreAndCompare(manifest, volume);
        assertThat(Volumes.allocatedBytes(restored)).isLessThanOrEqualTo(5 * MIB);
    }

    @Test
    void aCorruptedChunkFailsTheRestoreNamingBackupAndChunk() throws IOException {
        Path volume = sampleVolume("volume");
        Manifest manifest = backup(full("b1", Compression.ZSTD), volume);
        ChunkHash victim = manifest.chunks().hash(3).orElseThrow();
        corruptChunk(victim);
        Path target = Volumes.sparse(work.resolve("target"), manifest.volumeSize());
        try (FileBlockSink sink = FileBlockSink.fresh(target)) {
            assertThatThrownBy(() -> repository.restore(manifest, sink, ProgressListener.NONE))
                    .isInstanceOf(CorruptBackupException.class)
                    .hasMessageContaining("b1").hasMessageContaining(victim.hex())
                    .hasMessageContaining("offset " + 3L * CHUNK)
                    .satisfies(e -> assertThat(((CorruptBackupException) e).chunkIndex()).isEqualTo(3));
        }
    }

    @Test
    void aMissingChunkFailsTheRestoreNamingBackupAndChunk() throws IOException {
        Path volume = sampleVolume("volume");
        Manifest manifest = backup(full("b1", Compression.NONE), volume);
        ChunkHash victim = manifest.chunks().hash(manifest.chunks().count() - 1).orElseThrow();
        removeChunk(victim);
        Path target = Volumes.sparse(work.resolve("target"), manifest.volumeSize());
        try (FileBlockSink sink = FileBlockSink.fresh(target)) {
            assertThatThrownBy(() -> repository.restore(manifest, sink, ProgressListener.NONE))
                    .isInstanceOf(CorruptBackupException.class)
                    .hasMessageContaining("b1").hasMessageContaining(victim.hex()).hasMessageContaining("missing");
        }
    }

    @Test
    void aBackupKilledMidwayPublishesNothingAndItsDeleteLeavesNoFileBehind() throws IOException {
        Path volume = sampleVolume("volume");
        Manifest kept = backup(full("kept", Compression.ZSTD), Files.copy(volume, work.resolve("other")));
        Volumes.writeRandom(volume, 0, (int) MIB, 77); // new data: the failed backup writes new chunks
        Set<String> before = storedFiles();
        try (CountingSource source = new CountingSource(FileBlockSource.open(volume), 8)) {
            assertThatThrownBy(() -> repository.backup(full("failed", Compression.ZSTD), source, ProgressListener.NONE))
                    .hasMessageContaining("simulated failure");
        }
        assertThat(repository.hasManifest("failed")).isFalse();
        assertThat(storedFiles()).as("it wrote chunks before failing").isNotEqualTo(before);
        repository.delete("failed");
        assertThat(storedFiles()).isEqualTo(before);
        repository.delete("never-existed");
        assertThat(storedFiles()).isEqualTo(before);
        restoreAndCompare(kept, work.resolve("other"));
    }

    @Test
    void aBackupIdIsUsedOnce() throws IOException {
        Path volume = sampleVolume("volume");
        backup(full("b1", Compression.NONE), volume);
        assertThatThrownBy(() -> backup(full("b1", Compression.NONE), volume))
                .isInstanceOf(BackupConflictException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> repository.manifest("nope")).isInstanceOf(NoSuchBackupException.class);
    }

    @Test
    void concurrentBackupsAndDeletesSharingChunksKeepEveryBackupIntact() throws Exception {
        Path volume = sampleVolume("volume");
        for (int round = 0; round < 6; round++) {
            String old = "old-" + round;
            String fresh = "new-" + round;
            backup(full(old, Compression.ZSTD), volume);
            CompletableFuture<Manifest> making = CompletableFuture.supplyAsync(() -> {
                try {
                    return backup(full(fresh, Compression.ZSTD), volume);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            repository.delete(old);
            Manifest made = making.get();
            restoreAndCompare(made, volume);
            repository.delete(fresh);
        }
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void exportedManifestsImportAndMalformedOnesAreRefused() throws IOException {
        Path volume = sampleVolume("volume");
        Manifest manifest = backup(full("b1", Compression.ZSTD), volume);
        byte[] exported = repository.exportManifest("b1");
        assertThat(ManifestCodec.decode(exported)).isEqualTo(manifest);
        assertThat(repository.importManifest(exported)).isEqualTo(manifest);

        String json = new String(exported, StandardCharsets.UTF_8);
        for (String bad : List.of("not json", "[]", "{}",
                json.replace("\"version\":1", "\"version\":99"),
                json.replace("\"volume_size\":", "\"volume_size\":1"),
                json.replace("\"chunks\":[", "\"chunks\":[\"xyz\","),
                json.replace("\"compression\":\"zstd\"", "\"compression\":\"lz4\""))) {
            assertThatThrownBy(() -> repository.importManifest(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOf(MalformedManifestException.class);
        }
        String other = json.replace("\"backup_id\":\"b1\"", "\"backup_id\":\"b2\"");
        assertThat(repository.importManifest(other.getBytes(StandardCharsets.UTF_8)).backupId()).isEqualTo("b2");
        restoreAndCompare(repository.manifest("b2"), volume);
        repository.delete("b1");
        repository.delete("b2");
        assertThatThrownBy(() -> repository.importManifest(exported))
                .isInstanceOf(CorruptBackupException.class).hasMessageContaining("missing");
    }
}
