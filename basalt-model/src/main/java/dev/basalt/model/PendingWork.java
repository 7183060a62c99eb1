package dev.basalt.model;

import static java.util.Objects.requireNonNull;

/**
 * A workers row with what its resource is now: its status ({@code null} when the resource is gone)
 * and the {@code host@backend#pool} it lives on (a snapshot: its volume's; {@code null} when not
 * placed or gone). Work is still to be done only while the resource's status is the row's.
 */
public record PendingWork(Worker worker, String resourceStatus, String host) {
    public PendingWork {
        requireNonNull(worker, "worker");
    }

    /** The resource exists and is still in the status the row recorded. */
    public boolean current() {
        return worker.status().equals(resourceStatus);
    }

    /** The {@code host@backend} whose volume service does this work, or null when the resource is not placed. */
    public String backend() {
        return host == null ? null : BackendName.backendOf(host);
    }
}
