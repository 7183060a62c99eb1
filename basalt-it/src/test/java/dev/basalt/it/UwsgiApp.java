package dev.basalt.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One of Debian's OpenStack WSGI applications (Keystone, Glance) run by uwsgi for the tests, from
 * a directory of its own: {@code uwsgi.ini} written there, its output in {@code uwsgi.log}, stopped
 * by its PID (also when the JVM exits), the directory removed on {@link #close}.
 */
final class UwsgiApp implements AutoCloseable {
    private final Path dir;
    private final Process process;

    private UwsgiApp(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Writes {@code ini} as the directory's {@code uwsgi.ini} and starts uwsgi with it. */
    static UwsgiApp start(Path dir, String ini, String name) throws IOException {
        Path file = Files.writeString(dir.resolve("uwsgi.ini"), ini);
        Process process = new ProcessBuilder("/usr/bin/uwsgi", "--ini", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("uwsgi.log").toFile())
                .start();
        UwsgiApp app = new UwsgiApp(dir, process);
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, name + "-stop"));
        return app;
    }

    /** Starts uwsgi again with the directory's {@code uwsgi.ini}, after {@link #stop}. */
    UwsgiApp restart(String name) throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("uwsgi is still running");
        }
        return start(dir, Files.readString(dir.resolve("uwsgi.ini")), name);
    }

    /** A port free on 127.0.0.1 now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    /** Waits until {@code url} answers 200; fails with the log's end if uwsgi exits or time runs out. */
    void awaitServing(HttpClient http, String url, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("uwsgi exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(url + " did not answer within " + timeout + ":\n" + log());
    }

    /** The last 40 lines of uwsgi's log (the application logs to it). */
    String log() throws IOException {
        Path log = dir.resolve("uwsgi.log");
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** SIGTERM to uwsgi (it stops its workers), SIGKILL if it has not stopped within 20 s. */
    void stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops uwsgi and removes the directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory does no harm
        }
    }
}
