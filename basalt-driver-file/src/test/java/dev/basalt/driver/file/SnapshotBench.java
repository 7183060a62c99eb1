package dev.basalt.driver.file;

import dev.basalt.driver.Capabilities;
import dev.basalt.driver.SnapshotSpec;
import dev.basalt.driver.Sizes;
import dev.basalt.driver.VolumeSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.ToLongFunction;

/**
 * Benchmark (not a test; run by {@code bench/snapshot-bench.sh}): how long the file driver takes to
 * snapshot a volume, clone it and make a volume from the snapshot, for volumes of several sizes
 * holding the same amount of data, on each directory given. Prints a table.
 *
 * <pre>
 *   SnapshotBench [--sizes 1,10,100] [--data-gib 1] [--runs 3] label=directory ...
 * </pre>
 *
 * <p>The data is written as 64 extents spread evenly over the volume (random bytes, so no
 * filesystem could compress or skip them), fsynced, and dropped from the page cache before every
 * run, so a copy reads it from the disk. Each time covers the whole driver call: the reflink or
 * copy, the fsyncs, the rename.
 */
public final class SnapshotBench {
    private static final int EXTENTS = 64;
    private static final int WRITE_CHUNK = 4 << 20;

    private record Run(long snapshotNanos, long cloneNanos, long fromSnapshotNanos, long deleteNanos) {
    }

    private record Row(String label, String type, boolean copyOnWrite, int sizeGib, long dataBytes,
                       List<Run> runs, long snapshotAllocated) {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = {1, 10, 100};
        int dataGib = 1;
        int runs = 3;
        List<String[]> targets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--data-gib" -> dataGib = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> {
                    String[] target = args[i].split("=", 2);
                    if (target.length != 2) {
                        throw new IllegalArgumentException("expected label=directory, got " + args[i]);
                    }
                    targets.add(target);
                }
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("usage: SnapshotBench [--sizes 1,10,100] [--data-gib 1] [--runs 3] "
                    + "label=directory ...");
        }
        List<Row> rows = new ArrayList<>();
        for (String[] target : targets) {
            for (int size : sizes) {
                try {
                    rows.add(measure(target[0], Path.of(target[1]), size, Sizes.gibToBytes(dataGib), runs));
                    System.err.printf(Locale.ROOT, "  done: %s %d GiB%n", target[0], size);
                } catch (Exception e) {
                    System.err.printf(Locale.ROOT, "  FAILED: %s %d GiB: %s%n", target[0], size, e);
                }
            }
        }
        print(rows, dataGib, runs);
    }

    private static Row measure(String label, Path directory, int sizeGib, long dataBytes, int runs) throws Exception {
        FileVolumeDriver driver = new FileVolumeDriver(FileDriverSettings.defaults(directory.resolve("volumes")));
        driver.start();
        boolean copyOnWrite = (Boolean) driver.report().capabilities().get(Capabilities.COPY_ON_WRITE);
        String type = Files.getFileStore(directory).type();
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), sizeGib);
        driver.createVolume(volume);
        Path volumeFile = directory.resolve("volumes").resolve("volume-" + volume.id());
        writeData(volumeFile, volume.sizeBytes(), dataBytes);
        List<Run> results = new ArrayList<>();
        long snapshotAllocated = 0;
        try {
            for (int run = 0; run < runs; run++) {
                dropFromPageCache(volumeFile);
                SnapshotSpec snapshot = new SnapshotSpec(UUID.randomUUID().toString(), volume.id(), sizeGib);
                VolumeSpec clone = new VolumeSpec(UUID.randomUUID().toString(), sizeGib);
                VolumeSpec fromSnapshot = new VolumeSpec(UUID.randomUUID().toString(), sizeGib);
                long snapshotNanos = time(() -> driver.createSnapshot(snapshot));
                dropFromPageCache(volumeFile);
                long cloneNanos = time(() -> driver.cloneVolume(clone, volume.id()));
                Path snapshotFile = directory.resolve("volumes").resolve("snapshot-" + snapshot.id());
                dropFromPageCache(snapshotFile);
                long fromSnapshotNanos = time(() -> driver.createVolumeFromSnapshot(fromSnapshot, snapshot.id()));
                snapshotAllocated = FileContents.allocatedBytes(snapshotFile);
                long deleteNanos = time(() -> driver.deleteSnapshot(snapshot.id()));
                driver.deleteVolume(clone.id());
                driver.deleteVolume(fromSnapshot.id());
                results.add(new Run(snapshotNanos, cloneNanos, fromSnapshotNanos, deleteNanos));
            }
        } finally {
            driver.deleteVolume(volume.id());
        }
        return new Row(label, type, copyOnWrite, sizeGib, dataBytes, results, snapshotAllocated);
    }

    /** Random bytes in {@link #EXTENTS} extents spread evenly over the volume, fsynced. */
    private static void writeData(Path file, long volumeBytes, long dataBytes) throws IOException {
        long extent = dataBytes / EXTENTS;
        long stride = volumeBytes / EXTENTS;
        if (extent > stride) {
            throw new IllegalArgumentException("more data than the volume holds");
        }
        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer chunk = ByteBuffer.allocateDirect(WRITE_CHUNK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int i = 0; i < EXTENTS; i++) {
                long start = i * stride;
                for (long written = 0; written < extent; ) {
                    int length = (int) Math.min(WRITE_CHUNK, extent - written);
                    chunk.clear().limit(length);
                    while (chunk.remaining() >= Long.BYTES) {
                        chunk.putLong(random.nextLong());
                    }
                    while (chunk.hasRemaining()) {
                        chunk.put((byte) random.nextInt());
                    }
                    chunk.flip();
                    while (chunk.hasRemaining()) {
                        written += channel.write(chunk, start + written);
                    }
                }
            }
            channel.force(true);
        }
    }

    /** Drops the file's clean pages from the page cache (fadvise DONTNEED through GNU dd). */
    private static void dropFromPageCache(Path file) throws IOException, InterruptedException {
        Process dd = new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none")
                .redirectErrorStream(true).start();
        String out = new String(dd.getInputStream().readAllBytes()).strip();
        if (dd.waitFor() != 0) {
            throw new IOException("dd iflag=nocache " + file + ": " + out);
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private static long time(Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    private static void print(List<Row> rows, int dataGib, int runs) {
        System.out.printf(Locale.ROOT, "Basalt file driver: snapshot, clone and volume-from-snapshot times in ms%n");
        System.out.printf(Locale.ROOT, "(median of %d runs, min-max in brackets; each volume holds %d GiB of data in %d "
                + "extents spread over it, not in the page cache; %d cores, JDK %s)%n%n", runs, dataGib, EXTENTS,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        String format = "%-8s %-6s %-5s %9s  %-24s %-24s %-24s %-20s %s%n";
        System.out.printf(Locale.ROOT, format, "label", "fs", "cow", "volume", "snapshot", "clone", "from snapshot",
                "delete snapshot", "snapshot allocated");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, format, row.label(), row.type(), row.copyOnWrite() ? "yes" : "no",
                    row.sizeGib() + " GiB", stats(row.runs(), Run::snapshotNanos), stats(row.runs(), Run::cloneNanos),
                    stats(row.runs(), Run::fromSnapshotNanos), stats(row.runs(), Run::deleteNanos),
                    String.format(Locale.ROOT, "%.0f MiB", row.snapshotAllocated() / (double) Sizes.MIB));
        }
    }

    private static String stats(List<Run> runs, ToLongFunction<Run> field) {
        double[] ms = runs.stream().mapToLong(field).mapToDouble(nanos -> nanos / 1e6).sorted().toArray();
        return String.format(Locale.ROOT, "%.1f [%.1f-%.1f]", ms[ms.length / 2], ms[0], ms[ms.length - 1]);
    }

    private SnapshotBench() {
    }
}
