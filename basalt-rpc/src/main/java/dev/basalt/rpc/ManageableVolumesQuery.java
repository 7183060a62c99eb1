package dev.basalt.rpc;

/** Asks a volume service what its backend's storage holds that could be managed. */
public record ManageableVolumesQuery(String requestId) {
}
