package dev.basalt.db;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many volumes, their total size in GiB, and every distinct metadata value per key (the
 * volumes summary API).
 */
public record VolumeSummary(long count, long totalSize, Map<String, List<String>> metadata) {
    public VolumeSummary {
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
    }
}
