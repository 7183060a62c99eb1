package dev.basalt.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Short-lived programs a test set-up runs (initdb, psql, mariadb, kill): run to the end, output collected. */
final class Commands {
    private Commands() {
    }

    /** Runs {@code command} and returns its output (stdout and stderr); fails, with that output, unless it exits 0. */
    static String run(List<String> command, Duration timeout) {
        Result result = execute(command, timeout);
        if (result.status() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with status " + result.status()
                    + ":\n" + result.output());
        }
        return result.output();
    }

    /** True when {@code command} exits 0 within {@code timeout}. */
    static boolean succeeds(List<String> command, Duration timeout) {
        return execute(command, timeout).status() == 0;
    }

    private record Result(int status, String output) {
    }

    private static Result execute(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            // Read while it runs, so a program with much to say cannot block on a full pipe.
            CompletableFuture<String> output = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    output.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.complete("(output unreadable: " + e.getMessage() + ")");
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                return new Result(-1, "(timed out after " + timeout + ") " + output.getNow(""));
            }
            return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the output of " + command, e);
        }
    }
}
