package dev.basalt.volume.file;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sizes of the volumes the driver holds, by id, kept current as volumes come and go, for the
 * provisioned capacity it reports. Safe for many threads.
 */
final class ProvisionedVolumes {
    private final Map<String, Long> bytesById = new ConcurrentHashMap<>();

    void put(String volumeId, long bytes) {
        bytesById.put(volumeId, bytes);
    }

    void remove(String volumeId) {
        bytesById.remove(volumeId);
    }

    /** Replaces everything with what a scan of the directory found. */
    void reset(Map<String, Long> found) {
        bytesById.clear();
        bytesById.putAll(found);
    }

    long totalBytes() {
        return bytesById.values().stream().mapToLong(Long::longValue).sum();
    }

    int count() {
        return bytesById.size();
    }
}
