package dev.basalt.db;

import static java.util.Objects.requireNonNull;

/**
 * A reservation would take {@code resource} past its limit: {@code consumed} (in use plus
 * reserved) and {@code requested} together exceed {@code limit}. Nothing of the reservation
 * was kept.
 */
public final class QuotaExceededException extends RuntimeException {
    private final String resource;
    private final long limit;
    private final long requested;
    private final long consumed;

    public QuotaExceededException(String resource, long limit, long requested, long consumed) {
        super("quota exceeded for " + requireNonNull(resource, "resource") + ": requested " + requested
                + ", consumed " + consumed + ", limit " + limit);
        this.resource = resource;
        this.limit = limit;
        this.requested = requested;
        this.consumed = consumed;
    }

    public String resource() {
        return resource;
    }

    public long limit() {
        return limit;
    }

    public long requested() {
        return requested;
    }

    public long consumed() {
        return consumed;
    }
}
