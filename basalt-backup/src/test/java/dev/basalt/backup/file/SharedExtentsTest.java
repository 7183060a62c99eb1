package dev.basalt.backup.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.backup.BackupRequest;
import dev.basalt.backup.ByteRange;
import dev.basalt.backup.Compression;
import dev.basalt.backup.CountingSource;
import dev.basalt.backup.Manifest;
import dev.basalt.backup.ProgressListener;
import dev.basalt.backup.Volumes;
import dev.basalt.backup.posix.PosixBackupRepository;
import dev.basalt.nativeio.Fiemap.Extent;
import dev.basalt.testkit.LoopFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Change detection from extent maps: on a loop-mounted XFS with reflink, and on ext4 (the temp directory) where it cannot help. */
class SharedExtentsTest {
    private static final long MIB = 1 << 20;
    private static final int CHUNK = 256 << 10;

    @RegisterExtension
    static final LoopFilesystem XFS = LoopFilesystem.xfs();

    @TempDir
    Path temp;

    @Test
    void onXfsAnIncrementalReadsOnlyTheChangedChunks() throws Exception {
        Path dir = XFS.newDirectory();
        Path volume = Volumes.sparse(dir.resolve("volume"), 64 * MIB);
        Volumes.writeRandom(volume, 0, (int) (40 * MIB), 1);
        Path first = Volumes.reflink(volume, dir.resolve("snap-1"));
        // change ~1%: a small write inside the data, and one in the hole after it
        Volumes.writeRandom(volume, 5 * MIB + 10, 100_000, 2);
        Volumes.writeRandom(volume, 50 * MIB, 300_000, 3);
        Path second = Volumes.reflink(volume, dir.resolve("snap-2"));

        Optional<List<ByteRange>> changed = SharedExtents.changedRanges(first, second);
        assertThat(changed).isPresent();
        long changedBytes = changed.get().stream().mapToLong(ByteRange::length).sum();
        assertThat(changedBytes).isGreaterThanOrEqualTo(400_000).isLessThan(2 * MIB);
        assertThat(changed.get()).anySatisfy(r -> assertThat(r.overlaps(5 * MIB + 10, 5 * MIB + 100_010)).isTrue());
        assertThat(changed.get()).anySatisfy(r -> assertThat(r.overlaps(50 * MIB, 50 * MIB + 300_000)).isTrue());

        PosixBackupRepository repository = PosixBackupRepository.open(temp.resolve("repository"), 2);
        Manifest parent;
        try (FileBlockSource source = FileBlockSource.open(first)) {
            parent = repository.backup(request("full").withChunkSize(CHUNK), source, ProgressListener.NONE);
        }
        Manifest incremental;
        try (CountingSource source = new CountingSource(FileBlockSource.open(second))) {
            incremental = repository.backup(request("incr").withChunkSize(CHUNK).incrementalTo(parent, changed.get()),
                    source, ProgressListener.NONE);
            // the changed chunks only: at most one extra chunk at each end of each changed range
            assertThat(source.bytesRead()).isLessThanOrEqualTo(changedBytes + changed.get().size() * 2L * CHUNK)
                    .isLessThan(3 * MIB);
        }
        Path restored = Volumes.sparse(temp.resolve("restored"), incremental.volumeSize());
        try (FileBlockSink sink = FileBlockSink.fresh(restored)) {
            repository.restore(incremental, sink, ProgressListener.NONE);
        }
        Volumes.assertSameContent(second, restored);
    }

    @Test
    void onXfsAnUnchangedSnapshotHasNoChangedRanges() throws Exception {
        Path dir = XFS.newDirectory();
        Path volume = Volumes.sparse(dir.resolve("volume"), 16 * MIB);
        Volumes.writeRandom(volume, MIB, (int) (4 * MIB), 4);
        Path first = Volumes.reflink(volume, dir.resolve("snap-1"));
        Path second = Volumes.reflink(volume, dir.resolve("snap-2"));
        assertThat(SharedExtents.changedRanges(first, second)).contains(List.of());
    }

    @Test
    void onExt4APlainCopySharesNothingSoTheAnswerIsEmpty() throws Exception {
        Path volume = Volumes.sparse(temp.resolve("volume"), 16 * MIB);
        Volumes.writeRandom(volume, MIB, (int) (4 * MIB), 5);
        Path copy = Volumes.reflink(volume, temp.resolve("copy")); // ext4 has no reflink: transferTo copies
        assertThat(SharedExtents.changedRanges(volume, copy)).isEmpty();
    }

    @Test
    void comparisonMarksDifferentAddressesAndDataOnOneSideOnly() {
        List<Extent> parent = List.of(new Extent(0, 1000, 100, 0), new Extent(200, 5000, 100, 0));
        List<Extent> current = List.of(new Extent(0, 1000, 50, 0), new Extent(50, 9000, 50, 0), new Extent(300, 7000, 50, 0));
        assertThat(SharedExtents.compare(parent, current, 400)).contains(List.of(
                ByteRange.between(50, 100), ByteRange.between(200, 350)));
    }

    private static BackupRequest request(String id) {
        return BackupRequest.full(id, "volume-1", Compression.ZSTD);
    }
}
