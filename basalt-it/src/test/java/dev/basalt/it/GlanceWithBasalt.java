package dev.basalt.it;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A Glance without authentication and a Basalt that finds it at {@code glance_api_servers}, started
 * together (Glance stopped again if Basalt does not start) and stopped in reverse, with the clients
 * of user {@code u1} in project {@code p1}.
 */
final class GlanceWithBasalt implements AutoCloseable {
    final GlanceServer glance;
    final BasaltProcess basalt;
    final Cli cli;
    final Api api;

    private GlanceWithBasalt(GlanceServer glance, BasaltProcess basalt) {
        this.glance = glance;
        this.basalt = basalt;
        this.cli = new Cli(basalt.endpoint(), "u1", "p1");
        this.api = new Api(basalt.endpoint(), "u1", "p1");
    }

    /** Starts both; {@code extraConfig} follows {@code glance_api_servers} in [DEFAULT] and may add sections. */
    static GlanceWithBasalt start(Path stateDir, String extraConfig) throws IOException, InterruptedException {
        GlanceServer glance = GlanceServer.start();
        try {
            return new GlanceWithBasalt(glance, new BasaltProcess(stateDir, "glance_api_servers = " + glance.url()
                    + "\n" + extraConfig).start());
        } catch (IOException | InterruptedException | RuntimeException e) {
            glance.close();
            throw e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            basalt.stop();
        } finally {
            glance.close();
        }
    }
}
