package dev.basalt.rpc;

/** Asks a volume service what snapshots its backend's storage holds that could be managed. */
public record ManageableSnapshotsQuery(String requestId) {
}
