package dev.basalt.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A running (or once running) Basalt service: {@code binary} is Cinder's name for the role
 * ({@code cinder-scheduler}, {@code cinder-volume}), {@code host} is where it runs
 * ({@code host@backend} for a volume service). It heartbeats by bumping {@code updatedAt}.
 */
public record ServiceRecord(
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
