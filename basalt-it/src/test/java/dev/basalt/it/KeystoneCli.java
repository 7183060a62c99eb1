package dev.basalt.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code cinder} and {@code openstack} clients logging in to Keystone as a user would:
 * {@code OS_AUTH_URL}, {@code OS_USERNAME}, {@code OS_PASSWORD}, {@code OS_PROJECT_NAME} and the
 * domain variables; they find Basalt in Keystone's catalog.
 */
public final class KeystoneCli {
    private final Map<String, String> env;

    public KeystoneCli(KeystoneServer keystone, KeystoneServer.User user) {
        this.env = new LinkedHashMap<>(keystone.clientEnvironment(user));
        env.put("OS_VOLUME_API_VERSION", "3");
    }

    public Cli.Result cinder(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/cinder"));
        command.addAll(List.of(args));
        return Cli.run(command, env);
    }

    public Cli.Result openstack(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/openstack"));
        command.addAll(List.of(args));
        return Cli.run(command, env);
    }
}
