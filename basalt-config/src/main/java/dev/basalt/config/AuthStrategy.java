package dev.basalt.config;

/** How the API authenticates requests ({@code auth_strategy}). */
public enum AuthStrategy {
    /** Trust the {@code X-Auth-Token: user:project} header; for tests and closed networks. */
    NOAUTH,
    /** Validate Keystone tokens. */
    KEYSTONE
}
