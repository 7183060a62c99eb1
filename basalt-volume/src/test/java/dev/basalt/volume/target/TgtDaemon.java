package dev.basalt.volume.target;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A tgt daemon of a test's own: {@code tgtd -f -C <control> --iscsi portal=127.0.0.1:<port>} as a
 * child process, with a control port and an iSCSI port nobody else uses, so that it never meets
 * the operator's tgtd or another test's. Its log goes to {@code tgtd.log} in the given directory.
 */
public final class TgtDaemon implements AutoCloseable {
    private static final int TRIES = 5;
    private static final Duration READY = Duration.ofSeconds(10);
    private static final Path IPC_DIR = Path.of("/var/run/tgtd");

    private final Process process;
    private final Tgtadm tgtadm;
    private final int port;
    private boolean ready;

    private TgtDaemon(Process process, Tgtadm tgtadm, int port) {
        this.process = process;
        this.tgtadm = tgtadm;
        this.port = port;
    }

    /** Starts tgtd and waits until it answers and listens; tries other ports when one is taken. */
    public static TgtDaemon start(Path dir) throws IOException, InterruptedException {
        IllegalStateException failure = new IllegalStateException("tgtd did not start; see " + dir.resolve("tgtd.log"));
        for (int attempt = 0; attempt < TRIES; attempt++) {
            // the control port only names tgtd's local socket: any number nobody else uses will do
            // (below the largest, so that one more is free for a test that wants a silent port)
            int control = ThreadLocalRandom.current().nextInt(1_000, Tgtadm.MAX_CONTROL_PORT);
            int port = freePort();
            Process process = new ProcessBuilder("tgtd", "-f", "-C", Integer.toString(control),
                    "--iscsi", "portal=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("tgtd.log").toFile()))
                    .start();
            TgtDaemon daemon = new TgtDaemon(process, new Tgtadm(control, Duration.ofSeconds(10)), port);
            if (daemon.awaitReady()) {
                daemon.ready = true;
                return daemon;
            }
            failure.addSuppressed(new IllegalStateException("attempt with control port " + control + ", port " + port
                    + ": " + Files.readString(dir.resolve("tgtd.log")).lines().reduce((a, b) -> b).orElse("")));
            daemon.close();
        }
        throw failure;
    }

    Tgtadm tgtadm() {
        return tgtadm;
    }

    public int controlPort() {
        return tgtadm.controlPort();
    }

    public int port() {
        return port;
    }

    /**
     * Stops tgtd. It ignores SIGTERM and stops only when told, once it has no targets; a daemon
     * that does not stop is killed. One that never served is killed at once: its control port may
     * be another daemon's, which must not be told anything.
     */
    @Override
    public void close() {
        if (ready) {
            stopThroughTgtadm();
        }
        try {
            if (!process.waitFor(ready ? 5 : 0, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (ready && !process.isAlive()) {
            // tgtd leaves its control socket and lock file behind; they would pile up, one per run
            deleteQuietly(IPC_DIR.resolve("socket." + controlPort()));
            deleteQuietly(IPC_DIR.resolve("socket." + controlPort() + ".lock"));
        }
    }

    private void stopThroughTgtadm() {
        try {
            for (TgtadmOutput.Target target : TgtadmOutput.targets(tgtadm.run("--lld", "iscsi", "--op", "show", "--mode", "target"))) {
                tgtadm.run("--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", Integer.toString(target.tid()), "--force");
            }
            tgtadm.run("--op", "delete", "--mode", "system");
        } catch (TargetException e) {
            // not answering: it is killed
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // only tidiness
        }
    }

    /**
     * Whether tgtd answers and listens on its portal. tgtd that cannot bind the portal keeps
     * running on the default one (every address, port 3260) instead: that counts as not ready.
     */
    private boolean awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                tgtadm.run("--op", "show", "--mode", "system");
                return TgtadmOutput.portals(tgtadm.run("--lld", "iscsi", "--op", "show", "--mode", "portal"))
                        .contains(new TgtadmOutput.Portal("127.0.0.1", port));
            } catch (TargetException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
