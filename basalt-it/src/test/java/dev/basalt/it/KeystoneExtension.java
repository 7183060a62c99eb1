package dev.basalt.it;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one {@link KeystoneServer} for the whole run (a {@code KeystoneServer} parameter):
 * started before the first test class that uses this extension, kept in the root store, stopped
 * (by PID) when the run ends. Where Keystone is not installed the class is skipped with the reason;
 * in CI it fails.
 */
public final class KeystoneExtension implements BeforeAllCallback, ParameterResolver {
    @Override
    public void beforeAll(ExtensionContext context) {
        KeystoneServer.requireInstalled();
        keystone(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KeystoneServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return keystone(context);
    }

    private static KeystoneServer keystone(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KeystoneServer.class, key -> {
                    try {
                        return KeystoneServer.start();
                    } catch (Exception e) {
                        throw new IllegalStateException("could not start Keystone: " + e.getMessage(), e);
                    }
                }, KeystoneServer.class);
    }
}
