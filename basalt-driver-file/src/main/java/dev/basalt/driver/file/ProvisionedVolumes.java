package dev.basalt.driver.file;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sizes of the volumes and snapshots the driver holds, by file name, kept current as they come
 * and go, for the provisioned capacity it reports. Safe for many threads.
 */
final class ProvisionedVolumes {
    private final Map<String, Long> bytesByName = new ConcurrentHashMap<>();

    void put(String fileName, long bytes) {
        bytesByName.put(fileName, bytes);
    }

    void remove(String fileName) {
        bytesByName.remove(fileName);
    }

    /** Replaces everything with what a scan of the directory found. */
    void reset(Map<String, Long> found) {
        bytesByName.clear();
        bytesByName.putAll(found);
    }

    long totalBytes() {
        return bytesByName.values().stream().mapToLong(Long::longValue).sum();
    }

    int count() {
        return bytesByName.size();
    }
}
