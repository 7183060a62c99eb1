package dev.basalt.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code basalt all} process, started from the built jar with its own config file, state
 * directory and a free port, as an operator would run it. Stops with SIGTERM.
 */
public final class BasaltProcess implements AutoCloseable {
    private final Path stateDir;
    private final Path configFile;
    private final Path log;
    private final int port;
    private final int targetPort;
    private Process process;

    public BasaltProcess(Path stateDir, String extraConfig) throws IOException {
        this(stateDir, "noauth", extraConfig);
    }

    /** With {@code auth_strategy} (noauth or keystone); {@code extraConfig} follows [DEFAULT] and may add sections. */
    public BasaltProcess(Path stateDir, String authStrategy, String extraConfig) throws IOException {
        this.stateDir = stateDir;
        this.port = freePort();
        this.targetPort = freePort();
        this.configFile = stateDir.resolveSibling(stateDir.getFileName() + ".conf");
        this.log = stateDir.resolveSibling(stateDir.getFileName() + ".log");
        Files.writeString(configFile, """
                [DEFAULT]
                state_path = %s
                osapi_volume_listen = 127.0.0.1
                osapi_volume_listen_port = %d
                auth_strategy = %s
                host = it-host
                periodic_interval = 2
                report_interval = 2
                %s
                %s""".formatted(stateDir, port, authStrategy, extraConfig == null ? "" : extraConfig,
                extraConfig != null && extraConfig.contains("target_port") ? ""
                        : "[backend_defaults]\ntarget_port = " + targetPort + "\n"));
    }

    public BasaltProcess start() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("basalt.jar", "../basalt-server/target/basalt.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build basalt-server first: " + jar + " is missing");
        }
        return start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString()), Map.of(), Duration.ofSeconds(60));
    }

    /**
     * Started by {@code launcher} (a command taking Basalt's own arguments, such as {@code bin/basalt})
     * with {@code environment} added to this one's; waits up to {@code timeout} until it serves.
     */
    public BasaltProcess start(List<String> launcher, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("all", "--config-file", configFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        waitUntilServing(timeout);
        return this;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port + "/v3";
    }

    public int port() {
        return port;
    }

    /**
     * The port the builtin iSCSI target listens on (a free one, so that several processes can run),
     * unless the extra configuration sets {@code target_port} itself.
     */
    public int targetPort() {
        return targetPort;
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path volumesDir() {
        return stateDir.resolve("volumes").resolve("file");
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, then wait; returns the exit code. */
    public int stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return process == null ? 0 : process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    /** SIGKILL (kill -9): the process dies at once, without a chance to clean up; then wait. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void waitUntilServing(Duration timeout) throws InterruptedException, IOException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("basalt exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("basalt did not start serving within " + timeout + ":\n" + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
