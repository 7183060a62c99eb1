package dev.basalt.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's real {@code cinder} and {@code openstack} clients against a Basalt endpoint with
 * noauth, as a user would type them.
 */
public final class Cli {
    /** What a command printed and how it exited. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("command failed (" + exitCode + "):\n" + stdout + "\n" + stderr);
            }
            return this;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String endpoint;
    private final String user;
    private final String project;

    public Cli(String endpoint, String user, String project) {
        this.endpoint = endpoint;
        this.user = user;
        this.project = project;
    }

    /** The raw API as this client's user and project, for what a test reads without a client process. */
    public Api api() {
        return new Api(endpoint, user, project);
    }

    /** Skips (or, in CI, fails) when the Debian clients are not installed. */
    public static void requireClients() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/cinder")) && Files.isExecutable(Path.of("/usr/bin/openstack"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must have python3-cinderclient and python3-openstackclient installed");
        }
        Assumptions.assumeTrue(present, "python3-cinderclient / python3-openstackclient are not installed");
    }

    public Result cinder(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/cinder", "--os-auth-type", "noauth",
                "--os-user-id", user, "--os-project-id", project, "--os-endpoint", endpoint));
        command.addAll(List.of(args));
        return run(command);
    }

    /** {@code cinder …}, which must succeed, its table read as properties ({@link Tables#properties}). */
    public java.util.Map<String, String> cinderProperties(String... args) throws IOException, InterruptedException {
        return Tables.properties(cinder(args).ok().stdout());
    }

    /** {@code cinder …}, which must succeed, its table read as records ({@link Tables#records}). */
    public List<java.util.Map<String, String>> cinderRecords(String... args) throws IOException, InterruptedException {
        return Tables.records(cinder(args).ok().stdout());
    }

    /**
     * Runs {@code openstack} against noauth: the token is {@code user:project}, sent by the
     * {@code admin_token} plugin. (The client's {@code noauth} plugin, from python3-cinderclient,
     * cannot build the image client that {@code openstack volume create} always makes.)
     */
    public Result openstack(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/openstack", "--os-auth-type", "admin_token",
                "--os-token", user + ":" + project, "--os-endpoint", endpoint + "/" + project,
                "--os-volume-api-version", "3"));
        command.addAll(List.of(args));
        return run(command);
    }

    /** {@code openstack … -f json}, which must succeed, parsed. */
    public JsonNode openstackJson(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("-f", "json"));
        return JSON.readTree(openstack(command.toArray(String[]::new)).ok().stdout());
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, java.util.Map.of());
    }

    /** Runs {@code command} with none of the caller's OS_* and CINDER* variables, and {@code env} added. */
    static Result run(List<String> command, java.util.Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("OS_") || k.startsWith("CINDER"));
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        byte[][] captured = new byte[2][];
        Thread errReader = Thread.ofVirtual().start(() -> {
            try {
                captured[1] = err.readAllBytes();
            } catch (IOException e) {
                captured[1] = new byte[0];
            }
        });
        captured[0] = out.readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        errReader.join();
        return new Result(p.exitValue(), new String(captured[0], StandardCharsets.UTF_8),
                new String(captured[1], StandardCharsets.UTF_8));
    }
}
