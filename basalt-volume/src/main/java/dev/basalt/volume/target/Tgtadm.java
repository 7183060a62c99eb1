package dev.basalt.volume.target;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code tgtadm}, the tgt daemon's administration command, against one daemon (its control
 * port, {@code -C}). A command that fails, or does not answer in time, becomes a
 * {@link TargetException} carrying what tgtadm wrote to stderr.
 */
public final class Tgtadm {
    /** tgtd's own default control port: {@code -C} is left out for it. */
    public static final int DEFAULT_CONTROL_PORT = 0;
    /** The largest control port tgtadm accepts. */
    public static final int MAX_CONTROL_PORT = 32767;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final int controlPort;
    private final Duration timeout;

    public Tgtadm(int controlPort, Duration timeout) {
        if (controlPort < 0 || controlPort > MAX_CONTROL_PORT) {
            throw new IllegalArgumentException("control port must be 0.." + MAX_CONTROL_PORT + ": " + controlPort);
        }
        this.controlPort = controlPort;
        this.timeout = requireNonNull(timeout, "timeout");
    }

    public int controlPort() {
        return controlPort;
    }

    /** Runs {@code tgtadm [-C port] args…} and returns its standard output. */
    public String run(String... args) {
        List<String> command = new ArrayList<>(List.of("tgtadm"));
        if (controlPort != DEFAULT_CONTROL_PORT) {
            command.addAll(List.of("-C", Integer.toString(controlPort)));
        }
        command.addAll(List.of(args));
        String shown = shown(command);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new TargetException("cannot run tgtadm (apt-get install tgt): " + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new TargetException(shown + ": no answer from the tgt daemon within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TargetException(shown + ": interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new TargetException(shown + " failed (exit " + process.exitValue() + "): " + err.join().strip());
        }
        return out.join();
    }

    /** The command as messages show it: never with a CHAP password. */
    private static String shown(List<String> command) {
        List<String> shown = new ArrayList<>(command);
        for (int i = 1; i < shown.size(); i++) {
            if (shown.get(i - 1).equals("--password")) {
                shown.set(i, "***");
            }
        }
        return String.join(" ", shown);
    }

    // Both streams are read while the command runs: a long `show` must not block on a full pipe.
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return text;
    }
}
