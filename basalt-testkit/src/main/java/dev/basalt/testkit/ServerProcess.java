package dev.basalt.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One server program run as a child process for a test: its output appended to a log file, waited
 * for until it answers, stopped by PID with the signal that shuts it down cleanly, or killed with
 * its children. Started again with the same command (same port, same data).
 */
final class ServerProcess {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN = Duration.ofSeconds(30);

    private final String name;
    private final List<String> command;
    private final Path log;
    private final String stopSignal;
    private Process process;

    /** {@code stopSignal} is the signal ({@code TERM}, {@code INT}, …) on which the server shuts down cleanly. */
    ServerProcess(String name, List<String> command, Path log, String stopSignal) {
        this.name = requireNonNull(name, "name");
        this.command = List.copyOf(command);
        this.log = requireNonNull(log, "log");
        this.stopSignal = requireNonNull(stopSignal, "stopSignal");
    }

    /** Starts the program and waits until {@code ready} answers true; fails with the log's end if it exits first. */
    synchronized void start(BooleanSupplier ready) {
        if (alive()) {
            throw new IllegalStateException(name + " is running already (pid " + process.pid() + ")");
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue() + ":\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException(name + " did not answer within " + STARTUP + ":\n" + logTail());
            }
            sleep(50);
        }
    }

    /** The running program's process id, or -1 when it does not run. */
    synchronized long pid() {
        return alive() ? process.pid() : -1;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** Sends the clean-shutdown signal and waits for the program and its children to exit; kills them after a while. */
    synchronized void stop() {
        if (!alive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        // Fails only if it has exited meanwhile, which the wait below sees.
        Commands.succeeds(List.of("kill", "-s", stopSignal, Long.toString(process.pid())), Duration.ofSeconds(10));
        try {
            if (!process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)) {
                kill();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            return;
        }
        awaitExit(children);
    }

    /** SIGKILL to the program and every child it has (as a crash of its machine would end them), then waits. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        awaitExit(all);
    }

    /** The last lines the program wrote, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void awaitExit(List<ProcessHandle> processes) {
        for (ProcessHandle p : processes) {
            try {
                p.onExit().get(SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
