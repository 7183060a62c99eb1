package dev.basalt.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A running (or once running) Basalt service: {@code binary} is Cinder's name for the role
 * ({@code cinder-scheduler}, {@code cinder-volume}), {@code host} is where it runs
 * ({@code host@backend} for a volume service). It heartbeats by bumping {@code updatedAt}.
 * {@code id} is the service's number (Cinder's {@code services.id}: what workers rows and
 * {@code POST /workers/cleanup} name it by), {@code uuid} its other name (what volumes name it by).
 */
public record ServiceRecord(
        int id,
        String uuid,
        String host,
        String binary,
        String topic,
        String availabilityZone,
        boolean disabled,
        String disabledReason,
        long reportCount,
        Instant createdAt,
        Instant updatedAt) {

    /** Up when the last heartbeat is more recent than {@code downTime}. */
    public boolean isUp(Instant now, Duration downTime) {
        Instant last = updatedAt != null ? updatedAt : createdAt;
        return last != null && Duration.between(last, now).compareTo(downTime) <= 0;
    }
}
