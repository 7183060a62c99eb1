package dev.basalt.rpc;

/** Asks every volume service to report its capacity now (sent by a scheduler when it starts). */
public record PublishCapabilities(String requestedBy) {
}
