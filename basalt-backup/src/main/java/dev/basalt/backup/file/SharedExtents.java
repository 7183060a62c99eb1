package dev.basalt.backup.file;

import dev.basalt.backup.ByteRange;
import dev.basalt.nativeio.Fiemap;
import dev.basalt.nativeio.Fiemap.Extent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Change detection for incremental backups from extent maps (FIEMAP): on XFS and btrfs a snapshot
 * made by reflink shares its extents with the volume, and every write afterwards moves the written
 * blocks to new extents. Comparing the physical extent maps of the parent backup's source (an older
 * snapshot) and the current one tells which byte ranges may differ without reading either file.
 *
 * <p>A range of {@code current} is unchanged when both files map it to the same physical blocks
 * (same state, written or not) or both have a hole there; everything else (a different or unknown
 * address, data on one side only, beyond the parent's end) is reported as changed. The answer is
 * empty when it cannot help: no FIEMAP, files on different filesystems, or no extent shared at all
 * (an ext4 copy): the caller then reads everything and lets deduplication find what is unchanged.
 */
public final class SharedExtents {

    private SharedExtents() {
    }

    /**
     * The ranges of {@code current} that may differ from {@code parent}, ascending and merged; empty
     * when extent maps cannot tell (see the class comment). Both files should be stable (snapshots)
     * while this runs.
     */
    public static Optional<List<ByteRange>> changedRanges(Path parent, Path current) throws IOException {
        if (!Objects.equals(device(parent), device(current))) {
            return Optional.empty();
        }
        Optional<List<Extent>> parentMap = Fiemap.extents(parent);
        Optional<List<Extent>> currentMap = Fiemap.extents(current);
        if (parentMap.isEmpty() || currentMap.isEmpty()) {
            return Optional.empty();
        }
        return compare(parentMap.get(), currentMap.get(), Files.size(current));
    }

    /** The comparison itself, on extent lists sorted by logical offset. */
    static Optional<List<ByteRange>> compare(List<Extent> parent, List<Extent> current, long size) {
        List<ByteRange> changed = new ArrayList<>();
        long sharedBytes = 0;
        long currentDataBytes = 0;
        int i = 0;
        int j = 0;
        long position = 0;
        while (position < size) {
            while (i < current.size() && current.get(i).logicalEnd() <= position) {
                i++;
            }
            while (j < parent.size() && parent.get(j).logicalEnd() <= position) {
                j++;
            }
            Extent c = i < current.size() && current.get(i).logical() <= position ? current.get(i) : null;
            Extent p = j < parent.size() && parent.get(j).logical() <= position ? parent.get(j) : null;
            long next = Math.min(size, Math.min(boundary(current, i, c), boundary(parent, j, p)));
            boolean same;
            if (c == null || p == null) {
                same = c == null && p == null;
            } else {
                same = c.physicalKnown() && p.physicalKnown() && c.unwritten() == p.unwritten()
                        && c.physical() - c.logical() == p.physical() - p.logical();
            }
            if (c != null) {
                currentDataBytes += next - position;
                if (same) {
                    sharedBytes += next - position;
                }
            }
            if (!same) {
                if (!changed.isEmpty() && changed.getLast().end() == position) {
                    ByteRange last = changed.removeLast();
                    changed.add(ByteRange.between(last.offset(), next));
                } else {
                    changed.add(ByteRange.between(position, next));
                }
            }
            position = next;
        }
        if (currentDataBytes > 0 && sharedBytes == 0) {
            return Optional.empty(); // nothing shared: a plain copy, extents cannot tell what changed
        }
        return Optional.of(List.copyOf(changed));
    }

    /** Where the state at the position ends: the end of the extent in, or the start of the next one. */
    private static long boundary(List<Extent> extents, int index, Extent in) {
        if (in != null) {
            return in.logicalEnd();
        }
        return index < extents.size() ? extents.get(index).logical() : Long.MAX_VALUE;
    }

    private static Object device(Path file) throws IOException {
        try {
            return Files.getAttribute(file, "unix:dev");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Files.getFileStore(file).name();
        }
    }
}
