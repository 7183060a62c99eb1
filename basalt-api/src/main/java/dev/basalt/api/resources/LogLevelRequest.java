package dev.basalt.api.resources;

/**
 * The bus arguments of {@link ServicesResource#GET_LOG_LEVELS} (a call answering a map of logger
 * name to level) and {@link ServicesResource#SET_LOG_LEVELS} (a cast), sent to a service at
 * {@code topic.host}. {@code level} is null for a get.
 */
public record LogLevelRequest(String prefix, String level) {
}
