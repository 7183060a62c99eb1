package dev.basalt.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Basalt command run from the built jar, as an operator runs a
 * role of a split deployment ({@code basalt api|scheduler|volume}) or {@code basalt manage …}.
 * Its output goes to a log file; {@link #awaitRunning} waits for the role's "running" line.
 */
final class RoleProcess implements AutoCloseable {
    private final Path log;
    /** Where this run's output starts in a log that earlier runs of the same role wrote to. */
    private final long logStart;
    private final Process process;

    private RoleProcess(Path log, long logStart, Process process) {
        this.log = log;
        this.logStart = logStart;
        this.process = process;
    }

    /** Starts {@code basalt <args…>} with its output in {@code log}. */
    static RoleProcess start(Path log, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("basalt.jar", "../basalt-server/target/basalt.jar")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new RoleProcess(log, logStart, process);
    }

    /** Runs a command to its end and answers its output; fails when it exits non-zero. */
    static String run(Path log, String... args) throws IOException, InterruptedException {
        try (RoleProcess p = start(log, args)) {
            if (!p.process.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("basalt " + String.join(" ", args) + " did not finish:\n" + p.log());
            }
            if (p.process.exitValue() != 0) {
                throw new IllegalStateException("basalt " + String.join(" ", args) + " exited with "
                        + p.process.exitValue() + ":\n" + p.log());
            }
            return p.log();
        }
    }

    RoleProcess awaitRunning(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains("basalt: running")) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("exited with " + process.exitValue() + ":\n" + log());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("not running within " + timeout + ":\n" + log());
    }

    /** What this run wrote to its log. */
    String log() throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(logStart, all.length), (int) Math.max(0, all.length - logStart),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The exit code, once it has exited. */
    int exitCode() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process dies without a chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then wait. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
