package dev.basalt.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@code basalt all} process for one test class: started in a state directory of its own before
 * the class's first test, stopped after its last, the directory then removed. Registered as
 * {@code @RegisterExtension static final RunningBasalt basalt = RunningBasalt.noauth(null);}.
 * {@link #stop()} and {@link #start()} restart it on the same state, as an operator would (on a
 * new port: take a new {@link #cli} after).
 */
final class RunningBasalt implements BeforeAllCallback, AfterAllCallback {
    private final String extraConfig;
    private Path dir;
    private BasaltProcess process;

    private RunningBasalt(String extraConfig) {
        this.extraConfig = extraConfig;
    }

    /** With {@code auth_strategy = noauth} and these lines added to [DEFAULT] (null for none). */
    static RunningBasalt noauth(String extraConfig) {
        return new RunningBasalt(extraConfig);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("basalt-it-");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Starts a process on the class's state directory. */
    void start() throws IOException, InterruptedException {
        process = new BasaltProcess(dir.resolve("state"), extraConfig).start();
    }

    /** SIGTERM, then waits until the process has ended. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.stop();
        }
    }

    /** kill -9, then waits until the process has ended; {@link #start()} starts it again on the same state. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.kill();
        }
    }

    /** The port of the running process's API (and {@code /metrics}). */
    int port() {
        return process.port();
    }

    String endpoint() {
        return process.endpoint();
    }

    Path volumesDir() {
        return process.volumesDir();
    }

    /** The process's {@code state_path}. */
    Path stateDir() {
        return process.stateDir();
    }

    String log() throws IOException {
        return process.log();
    }

    /** The cinder and openstack clients for this user and project, against the running process. */
    Cli cli(String userId, String projectId) {
        return new Cli(process.endpoint(), userId, projectId);
    }
}
