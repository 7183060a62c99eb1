package dev.basalt.volume.file;

import static java.util.Objects.requireNonNull;

import dev.basalt.volume.driver.Capabilities;
import dev.basalt.volume.driver.PoolReport;
import dev.basalt.volume.driver.Sizes;
import dev.basalt.volume.driver.VolumeClear;
import dev.basalt.volume.driver.VolumeDriver;
import dev.basalt.volume.driver.VolumeDriverException;
import dev.basalt.volume.driver.VolumeSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code file} driver: a volume is a raw file {@code volume-<id>} of exactly its size in one
 * directory, sparse (thin) or fully allocated (thick).
 *
 * <p>A volume file is made under a temporary name, sized, fsynced, and renamed into place, then the
 * directory is fsynced: after a crash a volume either exists whole or not at all, and the leftovers
 * are removed by {@link #start()}. Delete wipes first (by punching a hole over the data, see
 * {@link VolumeWiper}), fsyncs, then unlinks and fsyncs the directory. Files are readable and
 * writable by the service's user only.
 */
public final class FileVolumeDriver implements VolumeDriver {
    public static final String NAME = "file";
    public static final String VENDOR_NAME = "Basalt";
    public static final String DRIVER_VERSION = "1.0.0";
    public static final String STORAGE_PROTOCOL = "iSCSI";

    private static final Logger LOG = LoggerFactory.getLogger(FileVolumeDriver.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final int ZERO_CHUNK = 1 << 20;

    private final FileDriverSettings settings;
    private final VolumeFiles files;
    private final Fallocate fallocate;
    private final VolumeWiper wiper;
    private final ProvisionedVolumes provisioned = new ProvisionedVolumes();
    private final StripedLocks locks = new StripedLocks(256);
    private volatile boolean started;

    public FileVolumeDriver(FileDriverSettings settings) {
        this(settings, Fallocate.system());
    }

    FileVolumeDriver(FileDriverSettings settings, Fallocate fallocate) {
        this.settings = requireNonNull(settings, "settings");
        this.fallocate = requireNonNull(fallocate, "fallocate");
        this.files = new VolumeFiles(settings.directory());
        this.wiper = new VolumeWiper(fallocate);
    }

    @Override
    public String name() {
        return NAME;
    }

    public FileDriverSettings settings() {
        return settings;
    }

    @Override
    public synchronized void start() {
        Path directory = files.directory();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new VolumeDriverException("cannot create the volume directory " + directory
                    + " (file_volumes_dir): " + reason(e) + "; create it, or point file_volumes_dir elsewhere", e);
        }
        if (!Files.isDirectory(directory)) {
            throw new VolumeDriverException("the volume directory " + directory
                    + " (file_volumes_dir) exists but is not a directory");
        }
        int leftovers = removeLeftovers(directory);
        boolean punchesHoles = probe(directory);
        Map<String, Long> found = scan(directory);
        provisioned.reset(found);
        started = true;
        LOG.info("file driver: {} volume(s), {} GiB provisioned in {}; {} leftover temporary file(s) removed; "
                        + "delete wipes by {}", found.size(), Sizes.bytesToGib(provisioned.totalBytes()), directory,
                leftovers, settings.clear() == VolumeClear.NONE ? "nothing (volume_clear = none)"
                        : punchesHoles ? "punching holes" : "writing zeros (the filesystem cannot punch holes)");
    }

    @Override
    public void createVolume(VolumeSpec volume) {
        requireNonNull(volume, "volume");
        requireStarted();
        String id = volume.id();
        long size = volume.sizeBytes();
        Path path = files.volume(id);
        ReentrantLock lock = locks.forKey(id);
        lock.lock();
        try {
            Optional<Long> existing = existingSize(path);
            if (existing.isPresent()) {
                if (existing.get() != size) {
                    throw new VolumeDriverException(path + " already exists with " + existing.get()
                            + " bytes, not the " + size + " bytes (" + volume.sizeGib() + " GiB) asked for: "
                            + "it was not made by this request; find which volume it belongs to before removing it");
                }
                provisioned.put(id, size);
                return;
            }
            Path temporary = files.temporary(id);
            try {
                Files.deleteIfExists(temporary);
                Files.createFile(temporary, ownerOnly());
                allocate(temporary, size);
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
                FileSync.directory(files.directory());
            } catch (IOException e) {
                deleteQuietly(temporary);
                throw new VolumeDriverException("cannot create " + path + " (" + volume.sizeGib() + " GiB, "
                        + (settings.sparse() ? "sparse" : "thick") + "): " + reason(e), e);
            }
            provisioned.put(id, size);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void deleteVolume(String volumeId) {
        Path path = files.volume(volumeId);
        requireStarted();
        ReentrantLock lock = locks.forKey(volumeId);
        lock.lock();
        try {
            Optional<Long> existing = existingSize(path);
            if (existing.isEmpty()) {
                provisioned.remove(volumeId);
                return;
            }
            long clear = settings.clearLength(existing.get());
            try {
                if (clear > 0) {
                    wiper.wipe(path, clear);
                }
            } catch (IOException e) {
                throw new VolumeDriverException("cannot wipe " + path + " before deleting it (volume_clear = "
                        + settings.clear().configValue() + "): " + reason(e) + "; the volume is kept", e);
            }
            try {
                Files.deleteIfExists(path);
                FileSync.directory(files.directory());
            } catch (IOException e) {
                throw new VolumeDriverException("cannot delete " + path + ": " + reason(e), e);
            }
            provisioned.remove(volumeId);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean hasVolume(String volumeId) {
        Path path = files.volume(volumeId);
        requireStarted();
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public PoolReport report() {
        requireStarted();
        long total;
        long free;
        try {
            FileStore store = Files.getFileStore(files.directory());
            total = store.getTotalSpace();
            free = store.getUsableSpace();
        } catch (IOException e) {
            throw new VolumeDriverException("cannot read the capacity of the filesystem holding "
                    + files.directory() + ": " + reason(e), e);
        }
        Map<String, Object> capabilities = new LinkedHashMap<>();
        capabilities.put(Capabilities.VOLUME_BACKEND_NAME, settings.backendName());
        capabilities.put(Capabilities.VENDOR_NAME, VENDOR_NAME);
        capabilities.put(Capabilities.DRIVER_VERSION, DRIVER_VERSION);
        capabilities.put(Capabilities.STORAGE_PROTOCOL, STORAGE_PROTOCOL);
        capabilities.put(Capabilities.THIN_PROVISIONING_SUPPORT, settings.sparse());
        capabilities.put(Capabilities.THICK_PROVISIONING_SUPPORT, !settings.sparse());
        capabilities.put(Capabilities.MULTIATTACH, false);
        return new PoolReport(settings.backendName(), Sizes.bytesToGib(total), Sizes.bytesToGib(Math.min(free, total)),
                Sizes.bytesToGib(provisioned.totalBytes()), settings.sparse(), capabilities);
    }

    /** Sizes the new file: sparse (ftruncate), or thick (fallocate, else written zeros); then fsyncs it. */
    private void allocate(Path file, long size) throws IOException {
        if (!settings.sparse() && fallocate.allocate(file, size)) {
            FileSync.file(file);
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (settings.sparse()) {
                raf.setLength(size);
            } else {
                writeZeros(raf.getChannel(), size);
            }
            raf.getFD().sync();
        }
    }

    private static void writeZeros(FileChannel channel, long size) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
        long position = 0;
        while (position < size) {
            zeros.clear().limit((int) Math.min(ZERO_CHUNK, size - position));
            position += channel.write(zeros, position);
        }
    }

    /** The file's size when it exists; refuses anything at a volume's name that is not a regular file. */
    private static Optional<Long> existingSize(Path path) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new VolumeDriverException("cannot read " + path + ": " + reason(e), e);
        }
        if (!attributes.isRegularFile()) {
            throw new VolumeDriverException(path + " is not a regular file (a link, directory or device?): "
                    + "the file driver never touches it; remove or rename it");
        }
        return Optional.of(attributes.size());
    }

    /** Removes temporary files a crash left behind; they never held a volume's data. */
    private int removeLeftovers(Path directory) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> VolumeFiles.isTemporary(entry.getFileName().toString()))) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(entry)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new VolumeDriverException("cannot remove leftover temporary files in " + directory + ": "
                    + reason(e) + "; check the directory's permissions", e);
        }
        return removed;
    }

    /** Checks the directory is writable by making, syncing and removing a file; says whether holes can be punched. */
    private boolean probe(Path directory) {
        Path probe = files.temporary("probe", UUID.randomUUID().toString());
        try {
            Files.createFile(probe, ownerOnly());
            try {
                try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.allocate(4096));
                    channel.force(true);
                }
                return fallocate.punchHole(probe, 0, 4096);
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            throw new VolumeDriverException("the volume directory " + directory + " (file_volumes_dir) is not usable"
                    + " by this service (user " + System.getProperty("user.name") + "): " + reason(e)
                    + "; check its owner, permissions, free space, and that it is not mounted read-only", e);
        }
    }

    /** The volumes already in the directory, by id, with their sizes. */
    private static Map<String, Long> scan(Path directory) {
        Map<String, Long> found = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> VolumeFiles.volumeId(entry.getFileName().toString()).isPresent())) {
            for (Path entry : entries) {
                String id = VolumeFiles.volumeId(entry.getFileName().toString()).orElseThrow();
                try {
                    BasicFileAttributes attributes =
                            Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile()) {
                        found.put(id, attributes.size());
                    } else {
                        LOG.warn("file driver: ignoring {}: not a regular file", entry);
                    }
                } catch (NoSuchFileException e) {
                    // removed while scanning
                }
            }
        } catch (IOException e) {
            throw new VolumeDriverException("cannot list the volumes in " + directory + ": " + reason(e), e);
        }
        return found;
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("the file driver is not started: call start() first");
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("file driver: cannot remove {}: {}; it will be removed at the next start", path, reason(e));
        }
    }

    /** What went wrong, in words: the system's reason and the file it concerns. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fse) {
            String why = fse.getReason() != null ? fse.getReason() : fse.getClass().getSimpleName();
            return why + " (" + fse.getFile() + (fse.getOtherFile() != null ? " -> " + fse.getOtherFile() : "") + ")";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
