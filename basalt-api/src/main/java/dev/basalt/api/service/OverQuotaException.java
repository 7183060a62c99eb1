package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.QuotaExceededException;

/**
 * A request a service refused because it does not fit a quota: {@link #exceeded()} says which
 * limit and by how much, {@link #resource()} names the resource as the API shows it
 * ({@code gigabytes_gold}, not the stored key). The refusal is already logged; the caller answers
 * Cinder's {@code overLimit} fault.
 */
public final class OverQuotaException extends RuntimeException {
    private final transient QuotaExceededException exceeded;
    private final String resource;

    OverQuotaException(QuotaExceededException exceeded, String resource) {
        super(exceeded.getMessage(), exceeded);
        this.exceeded = requireNonNull(exceeded, "exceeded");
        this.resource = requireNonNull(resource, "resource");
    }

    public QuotaExceededException exceeded() {
        return exceeded;
    }

    public String resource() {
        return resource;
    }
}
