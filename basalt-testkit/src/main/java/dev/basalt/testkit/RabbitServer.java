package dev.basalt.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway RabbitMQ node for tests: Debian's {@code rabbitmq-server} on 127.0.0.1 with a free
 * AMQP port, its own node name, data and log directory and no plugins, stopped by PID. It has one
 * user with a password and one virtual host, so {@link #transportUrl()} is what a Basalt
 * configuration would name. {@link #stop()} and {@link #start()} restart it on the same port and
 * data (durable queues and persistent messages survive), {@link #kill()} crashes it.
 *
 * <p>Tests share one node per JVM ({@link #shared()}); a shutdown hook kills it when the JVM ends.
 */
public final class RabbitServer implements AutoCloseable {
    /** The scripts Debian's package installs; run directly so the node runs as the caller with our environment. */
    static final Path SERVER_SCRIPT = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");
    static final Path CTL_SCRIPT = Path.of("/usr/lib/rabbitmq/bin/rabbitmqctl");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final StartedOnce<RabbitServer> SHARED = new StartedOnce<>(RabbitServer::startShared);

    private final Path dir;
    private final String nodeName;
    private final int port;
    private final int distPort;
    private final String user = "basalt";
    private final String password;
    private final String virtualHost = "basalt";
    private Process wrapper;

    /** One queue as the broker lists it. */
    public record QueueInfo(String name, String type, boolean durable, boolean exclusive, long messages, int consumers) {
    }

    private RabbitServer(Path dir) {
        this.dir = dir;
        this.nodeName = "basalt-test-" + HexFormat.of().formatHex(randomBytes(4)) + "@localhost";
        this.port = FreePorts.next();
        this.distPort = FreePorts.next();
        this.password = "pw-" + HexFormat.of().formatHex(randomBytes(8));
    }

    /**
     * The node every test of this JVM shares, started on first use. Skips the test (fails it under
     * CI) when rabbitmq-server is not installed.
     */
    public static RabbitServer shared() {
        RequiredTools.require("rabbitmq-server", SERVER_SCRIPT.toString(), CTL_SCRIPT.toString());
        return SHARED.get();
    }

    private static RabbitServer startShared() {
        RabbitServer node = startNew();
        Runtime.getRuntime().addShutdownHook(new Thread(node::destroy, "rabbit-server-kill"));
        return node;
    }

    /** A node of its own, which the caller closes. */
    public static RabbitServer startNew() {
        RequiredTools.require("rabbitmq-server", SERVER_SCRIPT.toString(), CTL_SCRIPT.toString());
        RabbitServer node;
        try {
            node = new RabbitServer(Files.createTempDirectory("basalt-rabbit-"));
            node.writeConfig();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            node.start();
        } catch (RuntimeException e) {
            node.destroy();
            throw e;
        }
        return node;
    }

    /** {@code rabbit://user:password@127.0.0.1:port/vhost}. */
    public String transportUrl() {
        return "rabbit://" + user + ":" + password + "@127.0.0.1:" + port + "/" + virtualHost;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String virtualHost() {
        return virtualHost;
    }

    public String nodeName() {
        return nodeName;
    }

    /** Starts the node (again) on its port and data, and returns once it accepts AMQP connections. */
    public synchronized void start() {
        if (wrapper != null && wrapper.isAlive()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(SERVER_SCRIPT.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile()));
        builder.environment().putAll(environment());
        try {
            wrapper = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + SERVER_SCRIPT, e);
        }
        awaitAmqp();
    }

    /** Stops the node cleanly (as an operator's stop would); its data stays for {@link #start()}. */
    public synchronized void stop() {
        if (wrapper == null) {
            return;
        }
        Optional<ProcessHandle> beam = beam();
        wrapper.destroy(); // SIGTERM: the script's trap stops the node
        boolean scriptEnded = waitFor(wrapper.toHandle(), STOP_TIMEOUT);
        boolean nodeEnded = beam.map(b -> waitFor(b, STOP_TIMEOUT)).orElse(true);
        if (scriptEnded && nodeEnded) {
            wrapper = null;
        } else {
            kill();
        }
    }

    /** Crashes the node: SIGKILL of its Erlang VM, as a power cut would. */
    public synchronized void kill() {
        if (wrapper == null) {
            return;
        }
        beam().ifPresent(b -> {
            b.destroyForcibly();
            waitFor(b, STOP_TIMEOUT);
        });
        wrapper.destroyForcibly();
        waitFor(wrapper.toHandle(), STOP_TIMEOUT);
        wrapper = null;
    }

    /** The queues of the virtual host, as {@code rabbitmqctl list_queues} reports them. */
    public List<QueueInfo> queues() {
        String out = ctl("list_queues", "-p", virtualHost, "-q", "--no-table-headers",
                "name", "type", "durable", "exclusive", "messages", "consumers");
        List<QueueInfo> queues = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 6) {
                queues.add(new QueueInfo(f[0], f[1], Boolean.parseBoolean(f[2]), Boolean.parseBoolean(f[3]),
                        parseLong(f[4]), (int) parseLong(f[5])));
            }
        }
        return queues;
    }

    /** The queue called {@code name}, if the broker has it. */
    public Optional<QueueInfo> queue(String name) {
        return queues().stream().filter(q -> q.name().equals(name)).findFirst();
    }

    /** Runs {@code rabbitmqctl -n <node> args…} and returns its output; fails when it does. */
    public String ctl(String... args) {
        List<String> command = new ArrayList<>(List.of(CTL_SCRIPT.toString(), "-n", nodeName));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment());
        try {
            Process p = builder.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the node and deletes its directory. */
    @Override
    public void close() {
        stop();
        deleteDir();
    }

    /** Kills whatever still runs and deletes the directory (shutdown hook, failed start). */
    private void destroy() {
        kill();
        deleteDir();
    }

    private Map<String, String> environment() {
        return Map.ofEntries(
                Map.entry("HOME", dir.toString()), // the Erlang cookie lives here, for the node and rabbitmqctl
                Map.entry("RABBITMQ_NODENAME", nodeName),
                Map.entry("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
                Map.entry("RABBITMQ_NODE_PORT", Integer.toString(port)),
                Map.entry("RABBITMQ_DIST_PORT", Integer.toString(distPort)),
                Map.entry("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString()),
                Map.entry("RABBITMQ_LOG_BASE", dir.resolve("log").toString()),
                Map.entry("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString()),
                Map.entry("RABBITMQ_PLUGINS_EXPAND_DIR", dir.resolve("plugins-expand").toString()),
                Map.entry("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString()),
                Map.entry("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString()),
                Map.entry("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString()),
                Map.entry("RABBITMQ_PID_FILE", dir.resolve("rabbit.pid").toString()),
                // No scheduler busy-waiting: on a host whose few cores the broker shares with the
                // services it serves, spinning Erlang schedulers take CPU those services need
                // (RabbitMQ's runtime guide recommends this for CPU-constrained hosts).
                Map.entry("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "+sbwt none +sbwtdcpu none +sbwtdio none"));
    }

    /** The user and virtual host are made at first boot from the configuration: no rabbitmqctl round trips. */
    private void writeConfig() throws IOException {
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        Files.writeString(dir.resolve("rabbitmq.conf"), String.join("\n",
                "default_vhost = " + virtualHost,
                "default_user = " + user,
                "default_pass = " + password,
                "default_permissions.configure = .*",
                "default_permissions.read = .*",
                "default_permissions.write = .*",
                "disk_free_limit.absolute = 1MB",
                "log.console = false",
                "log.file.level = info",
                ""));
    }

    private void awaitAmqp() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!wrapper.isAlive()) {
                throw new IllegalStateException("rabbitmq-server exited with " + wrapper.exitValue() + ": " + logTail());
            }
            if (answersAmqp()) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("rabbitmq-server did not accept AMQP on 127.0.0.1:" + port + " within "
                + START_TIMEOUT.toSeconds() + " s: " + logTail());
    }

    /** True when the port answers the AMQP 0-9-1 protocol header with a method frame (connection.start). */
    private boolean answersAmqp() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1});
            out.flush();
            InputStream in = socket.getInputStream();
            return in.read() == 1; // a method frame: connection.start
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<ProcessHandle> beam() {
        if (wrapper == null) {
            return Optional.empty();
        }
        Optional<ProcessHandle> child = wrapper.toHandle().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("beam")).orElse(false))
                .findFirst();
        if (child.isPresent()) {
            return child;
        }
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("rabbit.pid")).trim());
            return ProcessHandle.of(pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String logTail() {
        Path log = dir.resolve("log").resolve(nodeName + ".log");
        Path source = Files.exists(log) ? log : dir.resolve("server.out");
        try {
            List<String> lines = Files.readAllLines(source);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log at " + source + ")";
        }
    }

    private void deleteDir() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }

    private static boolean waitFor(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !process.isAlive();
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for rabbitmq-server", e);
        }
    }
}
