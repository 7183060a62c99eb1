package dev.basalt.rpc;

/**
 * The arguments of {@link ServiceRpc}'s log-level methods: the loggers whose names start with
 * {@code prefix}, and for a set the {@code level} (Cinder's names: DEBUG, INFO, WARNING, ERROR;
 * null for a get).
 */
public record LogLevelRequest(String prefix, String level) {
}
