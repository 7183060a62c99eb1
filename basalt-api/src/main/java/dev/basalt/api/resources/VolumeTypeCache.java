package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.VolumeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Volume types by id, for views that show a volume's type name without a database round trip
 * per request. Reloaded when it is older than {@code maxAge} or asked for an id it lacks, and
 * dropped whenever this process changes a type; another API process's rename shows up here
 * within {@code maxAge}.
 */
public final class VolumeTypeCache {
    private record Snapshot(Map<String, VolumeType> byId, Instant loadedAt) {
    }

    private static final Duration MISS_RELOAD_AFTER = Duration.ofSeconds(1);

    private final VolumeTypeRepository types;
    private final Clock clock;
    private final Duration maxAge;
    private volatile Snapshot snapshot;

    public VolumeTypeCache(VolumeTypeRepository types, Clock clock, Duration maxAge) {
        this.types = requireNonNull(types, "types");
        this.clock = requireNonNull(clock, "clock");
        this.maxAge = requireNonNull(maxAge, "maxAge");
    }

    public Optional<VolumeType> byId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Snapshot current = snapshot;
        if (current == null || expired(current)) {
            current = reload();
        }
        VolumeType type = current.byId().get(id);
        if (type == null && Duration.between(current.loadedAt(), clock.instant()).compareTo(MISS_RELOAD_AFTER) > 0) {
            type = reload().byId().get(id);
        }
        return Optional.ofNullable(type);
    }

    public void invalidate() {
        snapshot = null;
    }

    private boolean expired(Snapshot s) {
        return Duration.between(s.loadedAt(), clock.instant()).compareTo(maxAge) > 0;
    }

    private synchronized Snapshot reload() {
        Map<String, VolumeType> byId = new HashMap<>();
        for (VolumeType t : types.list(null)) {
            byId.put(t.id(), t);
        }
        Snapshot fresh = new Snapshot(Map.copyOf(byId), clock.instant());
        snapshot = fresh;
        return fresh;
    }
}
