package dev.basalt.backup.service;

import dev.basalt.backup.BackupRequest;
import dev.basalt.backup.ByteRange;
import dev.basalt.backup.Manifest;
import dev.basalt.backup.file.SharedExtents;
import dev.basalt.backup.service.VolumeDevices.BackupSource;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides what a backup reads. A full backup reads every data range. An incremental whose own base
 * and whose parent's base are both kept (on a filesystem that shares extents, see
 * {@code BackupBaseCapable}) compares their extent maps ({@link SharedExtents}) and reads only the
 * ranges that changed since the parent: the rest is taken from the parent's manifest unread. When
 * anything for that is missing (no base kept, the parent's base gone, no FIEMAP, nothing shared, a
 * parent of another chunk or volume size) the incremental reads every data range and stores only
 * the chunks the repository does not hold yet (deduplication by hash); the plan says why.
 */
final class ChangeDetection {

    /** How a backup found what to read: the {@code mode} tag of the read meters. */
    enum Mode {
        /** No parent: every data range is read. */
        FULL,
        /** An incremental that reads only what the extent maps say changed since its parent. */
        EXTENT_MAP,
        /** An incremental that reads every data range, deduplicated by hash. */
        READ_ALL;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    /** The request to give the repository, how it was decided, and why (for the log). */
    record Plan(BackupRequest request, Mode mode, String reason) {
    }

    private ChangeDetection() {
    }

    /**
     * The plan for {@code request} (a full backup, or an incremental to its parent without changed
     * ranges) reading {@code source}.
     */
    static Plan plan(BackupRequest request, BackupSource source) {
        if (request.parent().isEmpty()) {
            return new Plan(request, Mode.FULL, source.keptBase() ? "a full backup, its base kept for the next"
                    : "a full backup; the volume's storage keeps no backup base");
        }
        Manifest parent = request.parent().get();
        if (!source.keptBase()) {
            return readAll(request, "the volume's storage keeps no backup base (it cannot share extents)");
        }
        if (source.parentBase().isEmpty()) {
            return readAll(request, "the base of the parent backup " + parent.backupId() + " is not kept");
        }
        try {
            if (parent.chunkSize() != request.chunkSize() || parent.volumeSize() != Files.size(source.path())) {
                return readAll(request, "the parent backup has another chunk size or volume size");
            }
            Optional<List<ByteRange>> changed = SharedExtents.changedRanges(source.parentBase().get(), source.path());
            if (changed.isEmpty()) {
                return readAll(request, "extent maps cannot tell what changed (no FIEMAP, or no extent shared)");
            }
            long bytes = changed.get().stream().mapToLong(ByteRange::length).sum();
            return new Plan(request.incrementalTo(parent, changed.get()), Mode.EXTENT_MAP,
                    bytes + " bytes in " + changed.get().size() + " range(s) changed since the parent's base");
        } catch (IOException e) {
            return readAll(request, "the extent maps could not be read: " + BackupCreator.reason(e));
        }
    }

    private static Plan readAll(BackupRequest request, String reason) {
        return new Plan(request, Mode.READ_ALL, reason);
    }
}
