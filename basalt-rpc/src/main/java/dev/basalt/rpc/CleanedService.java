package dev.basalt.rpc;

/** A service named in a {@link CleanupResult}, with the fields Cinder's workers view shows. */
public record CleanedService(int id, String host, String binary, String clusterName) {
}
