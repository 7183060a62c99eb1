package dev.basalt.api.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as the database keeps them (microseconds). */
public final class StoredTime {
    private StoredTime() {
    }

    /** Now, as the database keeps it. */
    public static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
