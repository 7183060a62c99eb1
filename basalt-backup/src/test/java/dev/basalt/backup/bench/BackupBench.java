package dev.basalt.backup.bench;

import dev.basalt.backup.BackupRepository;
import dev.basalt.backup.BackupRequest;
import dev.basalt.backup.ByteRange;
import dev.basalt.backup.Compression;
import dev.basalt.backup.Manifest;
import dev.basalt.backup.ProgressListener;
import dev.basalt.backup.file.FileBlockSink;
import dev.basalt.backup.file.FileBlockSource;
import dev.basalt.backup.file.SharedExtents;
import dev.basalt.backup.posix.PosixBackupRepository;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Throughput of the POSIX backup repository (not a test): full backup, incremental after changing
 * 1% (reading everything, and with the FIEMAP hint where the volume directory can reflink), restore,
 * for a volume with random data and zeros in 64 MiB extents, and for a large sparse volume. Run by
 * {@code bench/backup-bench.sh}. Sizes come from the environment (GiB): VOLUME_GIB (10), DATA_GIB (2),
 * ZERO_GIB (1), SPARSE_GIB (1024), SPARSE_DATA_GIB (20); COMPRESSION (zstd), WORKERS (processors).
 *
 * <p>Arguments: the directory for the volume files, the directory for the repository.
 */
public final class BackupBench {
    private static final long GIB = 1L << 30;
    private static final long EXTENT = 64L << 20;

    private final Path volumes;
    private final Path repositoryRoot;
    private final Compression compression = Compression.parse(env("COMPRESSION", "zstd"));
    private final int workers = Integer.parseInt(env("WORKERS", String.valueOf(Runtime.getRuntime().availableProcessors())));

    private BackupBench(Path volumes, Path repositoryRoot) {
        this.volumes = volumes;
        this.repositoryRoot = repositoryRoot;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BackupBench <volume directory> <repository directory>");
            System.exit(2);
        }
        new BackupBench(Path.of(args[0]), Path.of(args[1])).run();
    }

    private void run() throws Exception {
        String fs = Files.getFileStore(volumes).type();
        System.out.printf(Locale.ROOT, "volumes on %s (%s), repository on %s (%s), compression %s, %d workers, %d processors%n",
                volumes, fs, repositoryRoot, Files.getFileStore(Files.createDirectories(repositoryRoot)).type(),
                compression.configName(), workers, Runtime.getRuntime().availableProcessors());
        extentVolume(gib("VOLUME_GIB", 10), gib("DATA_GIB", 2), gib("ZERO_GIB", 1), fs.equals("xfs") || fs.equals("btrfs"));
        sparseVolume(gib("SPARSE_GIB", 1024), gib("SPARSE_DATA_GIB", 20));
    }

    private void extentVolume(long size, long data, long zeros, boolean reflink) throws Exception {
        System.out.printf(Locale.ROOT, "%n== volume of %s: %s random data, %s zeros, in 64 MiB extents ==%n",
                human(size), human(data), human(zeros));
        Path volume = Volumes.create(volumes.resolve("volume"), size);
        long slots = size / EXTENT;
        long extents = (data + zeros) / EXTENT;
        long randomExtents = data / EXTENT;
        SplittableRandom random = new SplittableRandom(1);
        for (long k = 0, r = 0; k < extents; k++) {
            long offset = (k * slots / extents) * EXTENT;
            boolean isRandom = r < randomExtents && (k % 3 != 2 || extents - k <= randomExtents - r);
            Volumes.fill(volume, offset, EXTENT, isRandom ? random : null);
            if (isRandom) {
                r++;
            }
        }
        Volumes.sync(volume);
        long dataBytes = data + zeros;
        BackupRepository repository = PosixBackupRepository.open(repositoryRoot, workers);
        Path first = reflink ? Volumes.reflink(volume, volumes.resolve("snap-1")) : volume;
        Manifest full = timed("full backup", dataBytes, () -> backup(repository, "full", first, Optional.empty(), Optional.empty()));
        System.out.printf(Locale.ROOT, "  stored %s for %s of data chunks%n", human(full.storedBytes()), human(full.dataBytes()));

        // change 1% of the data: 1 MiB writes spread over the random extents
        long changed = Math.max(1 << 20, data / 100);
        for (long written = 0, i = 0; written < changed; written += 1 << 20, i++) {
            long extent = (i * 7919) % randomExtents;
            long k = extent * 3 / 2; // roughly where the random extents are
            long offset = (k * slots / extents) * EXTENT + ((i * 3) % 64) * (1 << 20);
            Volumes.fill(volume, offset, 1 << 20, random);
        }
        Volumes.sync(volume);
        Path second = reflink ? Volumes.reflink(volume, volumes.resolve("snap-2")) : volume;
        Manifest incremental = timed("incremental, 1% changed, reading all data", dataBytes,
                () -> backup(repository, "incr-read", second, Optional.of(full), Optional.empty()));
        System.out.printf(Locale.ROOT, "  stored %s new%n", human(incremental.storedBytes()));
        if (reflink) {
            long start = System.nanoTime();
            Optional<List<ByteRange>> hint = SharedExtents.changedRanges(first, second);
            System.out.printf(Locale.ROOT, "  FIEMAP comparison: %.3f s, %s changed%n", (System.nanoTime() - start) / 1e9,
                    hint.map(r -> human(r.stream().mapToLong(ByteRange::length).sum())).orElse("unknown"));
            timed("incremental, 1% changed, FIEMAP hint", dataBytes,
                    () -> backup(repository, "incr-hint", second, Optional.of(full), hint));
        } else {
            System.out.println("  (no reflink on this filesystem: no FIEMAP-hinted incremental)");
        }
        Path target = volumes.resolve("restored");
        timed("restore of the incremental into a new sparse file", dataBytes, () -> {
            Volumes.create(target, size);
            try (FileBlockSink sink = FileBlockSink.fresh(target)) {
                repository.restore(incremental, sink, ProgressListener.NONE);
            }
            return null;
        });
        Files.delete(target);
        for (Path file : List.of(volume, volumes.resolve("snap-1"), volumes.resolve("snap-2"))) {
            Files.deleteIfExists(file);
        }
        deleteRecursively(repositoryRoot);
    }

    private void sparseVolume(long size, long data) throws Exception {
        System.out.printf(Locale.ROOT, "%n== sparse volume of %s holding %s of random data in 64 MiB extents ==%n",
                human(size), human(data));
        Path volume = Volumes.create(volumes.resolve("sparse"), size);
        long extents = data / EXTENT;
        long slots = size / EXTENT;
        SplittableRandom random = new SplittableRandom(2);
        for (long k = 0; k < extents; k++) {
            Volumes.fill(volume, (k * slots / extents) * EXTENT, EXTENT, random);
        }
        Volumes.sync(volume);
        BackupRepository repository = PosixBackupRepository.open(repositoryRoot, workers);
        Manifest full = timed("full backup", data, () -> backup(repository, "sparse", volume, Optional.empty(), Optional.empty()));
        Files.delete(volume);
        Path target = volumes.resolve("sparse-restored");
        timed("restore into a new sparse file", data, () -> {
            Volumes.create(target, size);
            try (FileBlockSink sink = FileBlockSink.fresh(target)) {
                repository.restore(full, sink, ProgressListener.NONE);
            }
            return null;
        });
        Files.delete(target);
        deleteRecursively(repositoryRoot);
    }

    private Manifest backup(BackupRepository repository, String id, Path file, Optional<Manifest> parent,
            Optional<List<ByteRange>> hint) throws IOException {
        try (FileBlockSource source = FileBlockSource.open(file)) {
            return repository.backup(new BackupRequest(id, "bench", BackupRequest.DEFAULT_CHUNK_SIZE, compression, parent,
                    hint), source, ProgressListener.NONE);
        }
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T timed(String what, long dataBytes, Step<T> step) throws Exception {
        Volumes.dropCaches();
        long start = System.nanoTime();
        T result = step.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%-52s %8.2f s  %8.1f MB/s of data   load %s%n", what, seconds,
                dataBytes / seconds / 1e6, loadAverage());
        return result;
    }

    private static String loadAverage() throws IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }

    private static long gib(String name, double fallback) {
        return (long) (Double.parseDouble(env(name, String.valueOf(fallback))) * GIB);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String human(long bytes) {
        return bytes >= GIB ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) GIB)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** Making and filling the bench's files. */
    private static final class Volumes {
        static Path create(Path file, long size) throws IOException {
            Files.deleteIfExists(file);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(size);
            }
            return file;
        }

        /** Random bytes, or zeros (written, so allocated) when random is null. */
        static void fill(Path file, long offset, long length, SplittableRandom random) throws IOException {
            byte[] block = new byte[8 << 20];
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                for (long at = 0; at < length; at += block.length) {
                    int n = (int) Math.min(block.length, length - at);
                    if (random != null) {
                        random.nextBytes(block);
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(block, 0, n);
                    long position = offset + at;
                    while (buffer.hasRemaining()) {
                        position += channel.write(buffer, position);
                    }
                }
            }
        }

        static void sync(Path file) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }

        static Path reflink(Path from, Path to) throws IOException {
            Files.deleteIfExists(to);
            try (FileChannel source = FileChannel.open(from, StandardOpenOption.READ);
                    FileChannel target = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long size = source.size();
                for (long done = 0; done < size; ) {
                    done += source.transferTo(done, size - done, target);
                }
            }
            return to;
        }

        /** Best effort (needs root): so reads come from the disk, not the page cache. */
        static void dropCaches() {
            try {
                Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
            } catch (IOException e) {
                // not root: the figures include cached reads
            }
        }
    }
}
