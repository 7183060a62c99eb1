package dev.basalt.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that gives a test class a fresh filesystem of one type: a sparse image file
 * under the temp directory, formatted ({@code mkfs.xfs -m reflink=1}, {@code mkfs.btrfs}) and
 * loop-mounted before the class's first test, unmounted and removed after its last (and at JVM exit
 * should the run be cut short). Register it as a static field with {@code @RegisterExtension}.
 *
 * <p>Needs root, util-linux's {@code mount}/{@code umount} and the type's mkfs (Debian packages
 * {@code xfsprogs}, {@code btrfs-progs}). Where the filesystem cannot be made, the class is skipped
 * with the reason, except in CI ({@code CI=true}), where it fails.
 */
public final class LoopFilesystem implements BeforeAllCallback, AfterAllCallback {
    /** Sparse: takes only what the tests write. Large enough for the thick-volume tests. */
    private static final long IMAGE_BYTES = 16L << 30;
    private static final List<String> SYSTEM_PATHS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    /** The filesystems the tests make, with the command that formats them and where it comes from. */
    public enum Type {
        XFS("xfs", "xfsprogs", "mkfs.xfs", "-q", "-f", "-m", "reflink=1"),
        BTRFS("btrfs", "btrfs-progs", "mkfs.btrfs", "-q", "-f");

        private final String name;
        private final String debianPackage;
        private final List<String> mkfs;

        Type(String name, String debianPackage, String... mkfs) {
            this.name = name;
            this.debianPackage = debianPackage;
            this.mkfs = List.of(mkfs);
        }
    }

    private final Type type;
    private Path work;
    private Path mountPoint;
    private volatile boolean mounted;
    private Thread unmountAtExit;

    private LoopFilesystem(Type type) {
        this.type = type;
    }

    public static LoopFilesystem xfs() {
        return new LoopFilesystem(Type.XFS);
    }

    public static LoopFilesystem btrfs() {
        return new LoopFilesystem(Type.BTRFS);
    }

    public Type type() {
        return type;
    }

    /** The root of the mounted filesystem. */
    public Path mountPoint() {
        if (!mounted) {
            throw new IllegalStateException(type.name + " is not mounted: register the extension as a static field");
        }
        return mountPoint;
    }

    /** A new empty directory on the filesystem, for one test. */
    public Path newDirectory() {
        try {
            return Files.createTempDirectory(mountPoint(), "test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String mkfs = type.mkfs.getFirst();
        if (!isRoot()) {
            unavailable("mounting a loop device needs root; run the tests as root");
        }
        Path mkfsCommand = find(mkfs);
        if (mkfsCommand == null) {
            unavailable(mkfs + " is not installed (apt-get install " + type.debianPackage + ")");
        }
        work = Files.createTempDirectory("basalt-" + type.name + "-");
        Path image = work.resolve(type.name + ".img");
        mountPoint = Files.createDirectory(work.resolve("mnt"));
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(IMAGE_BYTES);
        }
        List<String> format = new ArrayList<>(type.mkfs);
        format.set(0, mkfsCommand.toString());
        format.add(image.toString());
        String failure = run(format);
        if (failure == null) {
            failure = run(List.of(command("mount"), "-t", type.name, "-o", "loop", image.toString(), mountPoint.toString()));
        }
        if (failure != null) {
            deleteRecursively(work);
            unavailable("cannot make a loop-mounted " + type.name + " filesystem: " + failure);
        }
        mounted = true;
        unmountAtExit = new Thread(this::unmountAndRemove, "unmount " + mountPoint);
        Runtime.getRuntime().addShutdownHook(unmountAtExit);
        String actual = Files.getFileStore(mountPoint).type();
        if (!type.name.equals(actual)) {
            throw new IllegalStateException(mountPoint + " is " + actual + ", not " + type.name);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (unmountAtExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(unmountAtExit);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook does it
            }
        }
        unmountAndRemove();
    }

    private synchronized void unmountAndRemove() {
        if (mounted) {
            String failure = run(List.of(command("umount"), mountPoint.toString()));
            if (failure != null) {
                // something still has a file open: detach now, the kernel finishes when it is closed
                failure = run(List.of(command("umount"), "-l", mountPoint.toString()));
            }
            if (failure != null) {
                throw new IllegalStateException("cannot unmount " + mountPoint + ": " + failure);
            }
            mounted = false;
        }
        if (work != null) {
            deleteRecursively(work);
            work = null;
        }
    }

    /** Skips the class with the reason; fails it in CI, where every filesystem must be tested. */
    private void unavailable(String reason) {
        String message = "no " + type.name + " to test on: " + reason;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + " (CI=true: never skipped)");
        }
        Assumptions.abort(message);
    }

    private static boolean isRoot() {
        return "0".equals(output(List.of("id", "-u")));
    }

    private static String command(String name) {
        Path found = find(name);
        return found != null ? found.toString() : name;
    }

    private static Path find(String name) {
        List<String> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            directories.addAll(List.of(path.split(":")));
        }
        directories.addAll(SYSTEM_PATHS);
        for (String directory : directories) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** Runs the command; null when it succeeded, else what it said. */
    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return String.join(" ", command) + ": did not finish";
            }
            return process.exitValue() == 0 ? null
                    : String.join(" ", command) + ": exit " + process.exitValue() + (out.isEmpty() ? "" : ": " + out);
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return String.join(" ", command) + ": interrupted";
        }
    }

    private static String output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }

    @Override
    public String toString() {
        return type.name.toUpperCase(Locale.ROOT) + (mounted ? " at " + mountPoint : " (not mounted)");
    }
}
