package dev.basalt.backup.posix;

import dev.basalt.backup.ByteRange;
import java.util.ArrayList;
import java.util.List;

/** Ascending, non-overlapping ranges with a quick "which of them meet [start, end)" (binary search). */
final class RangeIndex {
    private final List<ByteRange> ranges;

    RangeIndex(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.removeIf(range -> range.length() == 0);
        sorted.sort((x, y) -> Long.compare(x.offset(), y.offset()));
        List<ByteRange> merged = new ArrayList<>();
        for (ByteRange range : sorted) {
            if (!merged.isEmpty() && merged.getLast().end() >= range.offset()) {
                ByteRange last = merged.removeLast();
                merged.add(ByteRange.between(last.offset(), Math.max(last.end(), range.end())));
            } else {
                merged.add(range);
            }
        }
        this.ranges = List.copyOf(merged);
    }

    /** The parts of the ranges within {@code [start, end)}, clipped to it. */
    List<ByteRange> within(long start, long end) {
        List<ByteRange> parts = new ArrayList<>();
        for (int i = firstEndingAfter(start); i < ranges.size() && ranges.get(i).offset() < end; i++) {
            ByteRange range = ranges.get(i);
            parts.add(ByteRange.between(Math.max(start, range.offset()), Math.min(end, range.end())));
        }
        return parts;
    }

    boolean meets(long start, long end) {
        int i = firstEndingAfter(start);
        return i < ranges.size() && ranges.get(i).offset() < end;
    }

    private int firstEndingAfter(long position) {
        int low = 0;
        int high = ranges.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (ranges.get(mid).end() <= position) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
