package dev.basalt.driver.file;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.Ids;
import dev.basalt.driver.BackupBaseCapable;
import dev.basalt.driver.BlockDevice;
import dev.basalt.driver.BlockIoCapable;
import dev.basalt.driver.Capabilities;
import dev.basalt.driver.CloneCapable;
import dev.basalt.driver.ExportCapable;
import dev.basalt.driver.ExtendCapable;
import dev.basalt.driver.ManageCapable;
import dev.basalt.driver.SnapshotManageCapable;
import dev.basalt.driver.PoolReport;
import dev.basalt.driver.RevertCapable;
import dev.basalt.driver.SnapshotCapable;
import dev.basalt.driver.SnapshotSpec;
import dev.basalt.driver.Sizes;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeDriverException;
import dev.basalt.driver.VolumeSpec;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code file} driver: a volume is a raw file {@code volume-<id>} of exactly its size in one
 * directory, sparse (thin) or fully allocated (thick); a snapshot is a file {@code snapshot-<id>}
 * beside it.
 *
 * <p>A volume or snapshot file is made under a temporary name, filled, fsynced, and renamed into
 * place, then the directory is fsynced: after a crash it either exists whole or not at all, and the
 * leftovers are removed by {@link #start()}. Delete wipes first (by punching a hole over the data,
 * see {@link VolumeWiper}), fsyncs, then unlinks and fsyncs the directory. Files are readable and
 * writable by the service's user only.
 *
 * <p>Snapshots, clones and volumes made from snapshots are whole-file reflinks where the directory's
 * filesystem can share extents (XFS with {@code reflink=1}, btrfs: milliseconds whatever the size),
 * else copies of the data ranges that leave holes as holes (see {@link VolumeCopier}); {@link #start()}
 * finds out which, logs it and {@link #report()} says it ({@link Capabilities#COPY_ON_WRITE}).
 * Wiping a file that shares extents only drops that file's references to them: the files it shares
 * them with keep their bytes.
 *
 * <p>Reverting a volume to a snapshot makes a new file from the snapshot's as a snapshot is made
 * (reflink, else a copy of the data ranges), at the volume's size, and renames it over the volume's:
 * a reader of the volume's path sees the old bytes or the snapshot's, never a mix, and a crash
 * leaves one or the other (the snapshot is only read).
 *
 * <p>Managing a file already in the directory (its plain name as the reference, Cinder's
 * {@code source-name}) renames it to {@code volume-<id>} and grows it to a whole GiB (sparse: a
 * hole; thick: allocated); its bytes and its other extents stay. Unmanaging renames
 * {@code volume-<id>} to {@code unmanaged-volume-<id>}, which the driver does not count as a volume
 * and lists as manageable again; the volume's backup bases (Basalt's own copies) are removed.
 *
 * <p>A snapshot file carries no tie to its volume's file that the driver could check, so a snapshot
 * the driver does not manage is named after its volume: {@code volume-<volume id>.<any name>}
 * (never listed as a manageable volume). Managing one as snapshot S of volume V (the reference must
 * be V's) renames it to {@code snapshot-<S>} and grows it to a whole GiB; unmanaging renames
 * {@code snapshot-<S>} to {@code volume-<V>.snapshot-<S>}, listed as manageable again, bytes kept.
 *
 * <p>Thick (non-sparse) copies get their holes allocated after the copy; extents they share with
 * their source stay shared until written.
 *
 * <p>Backup bases ({@link BackupBaseCapable}) are files {@code backup-base-<volume id>.<base id>},
 * whole-file reflinks kept only where the filesystem shares extents (never a data copy: that would
 * cost a full copy per backup). They are not provisioned capacity and have no row; the volume's
 * delete wipes and removes them, and {@link #start()} removes those whose volume is gone. Dropping a
 * base unlinks it without wiping: its blocks are either still shared with the volume or ones the
 * volume has overwritten since (copy on write), and unlinking frees them as punching a hole would,
 * while a backup still reading the base keeps its bytes.
 */
public final class FileVolumeDriver
        implements RevertCapable, ManageCapable, SnapshotManageCapable, CloneCapable, ExtendCapable, ExportCapable, BackupBaseCapable, BlockIoCapable {
    public static final String NAME = "file";
    public static final String VENDOR_NAME = "Basalt";
    public static final String DRIVER_VERSION = "1.1.0";
    public static final String STORAGE_PROTOCOL = "iSCSI";

    private static final Logger LOG = LoggerFactory.getLogger(FileVolumeDriver.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final int ZERO_CHUNK = 1 << 20;

    private final FileDriverSettings settings;
    private final VolumeFiles files;
    private final DirectorySync directorySync;
    private final Fallocate fallocate;
    private final VolumeWiper wiper;
    private final VolumeCopier copier;
    private final ProvisionedVolumes provisioned = new ProvisionedVolumes();
    private final StripedLocks locks = new StripedLocks(256);
    private volatile boolean started;

    public FileVolumeDriver(FileDriverSettings settings) {
        this(settings, Fallocate.system(), Reflink.system());
    }

    FileVolumeDriver(FileDriverSettings settings, Fallocate fallocate) {
        this(settings, fallocate, Reflink.system());
    }

    FileVolumeDriver(FileDriverSettings settings, Fallocate fallocate, Reflink reflink) {
        this.settings = requireNonNull(settings, "settings");
        this.fallocate = requireNonNull(fallocate, "fallocate");
        this.files = new VolumeFiles(settings.directory());
        this.directorySync = new DirectorySync(settings.directory());
        this.wiper = new VolumeWiper(fallocate);
        this.copier = new VolumeCopier(requireNonNull(reflink, "reflink"), new SparseCopy(DataRanges.system()));
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
        Probe probe = probe(directory);
        Map<String, Long> found = scan(directory);
        leftovers += removeOrphanBases(directory, found);
        provisioned.reset(found);
        started = true;
        long snapshots = found.keySet().stream().filter(name -> VolumeFiles.snapshotId(name).isPresent()).count();
        LOG.info("file driver: {} volume(s) and {} snapshot(s), {} GiB provisioned in {} ({}); {} leftover "
                        + "temporary file(s) removed; snapshots and clones are {}; delete wipes by {}",
                found.size() - snapshots, snapshots, Sizes.bytesToGib(provisioned.totalBytes()), directory,
                filesystemType(directory), leftovers,
                probe.sharesExtents() ? "reflinks (the filesystem shares extents: copy-on-write, instant)"
                        : "copies of the data ranges (the filesystem cannot share extents; holes are skipped)",
                settings.clear() == VolumeClear.NONE ? "nothing (volume_clear = none)"
                        : probe.punchesHoles() ? "punching holes" : "writing zeros (the filesystem cannot punch holes)");
    }

    @Override
    public void createVolume(VolumeSpec volume) {
        requireNonNull(volume, "volume");
        requireStarted();
        long size = volume.sizeBytes();
        Path path = files.volume(volume.id());
        try (StripedLocks.Held held = locks.lock(key(path))) {
            if (existsWithSize(path, size, volume.sizeGib() + " GiB")) {
                return;
            }
            try {
                makeFile(path, files.temporary(volume.id()), temporary -> allocate(temporary, size));
            } catch (IOException e) {
                throw new VolumeDriverException("cannot create " + path + " (" + volume.sizeGib() + " GiB, "
                        + (settings.sparse() ? "sparse" : "thick") + "): " + reason(e), e);
            }
            provisioned.put(key(path), size);
        }
    }

    @Override
    public void deleteVolume(String volumeId) {
        Path path = files.volume(volumeId);
        requireStarted();
        try (StripedLocks.Held held = locks.lock(key(path))) {
            for (String baseId : backupBases(volumeId)) {
                removeWiped(files.backupBase(volumeId, baseId), "the volume and its backup base");
            }
            removeWiped(path, "the volume");
        }
    }

    @Override
    public boolean hasVolume(String volumeId) {
        Path path = files.volume(volumeId);
        requireStarted();
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Path exportPath(String volumeId) {
        Path path = files.volume(volumeId);
        requireStarted();
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new VolumeDriverException("volume " + volumeId + " has no file at " + path);
        }
        return path;
    }

    @Override
    public BlockDevice open(String volumeId) {
        return openDevice(exportPath(volumeId), false);
    }

    @Override
    public BlockDevice openSnapshot(String snapshotId) {
        return openDevice(snapshotPath(snapshotId), true);
    }

    private BlockDevice openDevice(Path path, boolean readOnly) {
        try {
            return FileBlockDevice.open(path, readOnly, fallocate);
        } catch (IOException e) {
            throw new VolumeDriverException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path snapshotPath(String snapshotId) {
        Path path = files.snapshot(snapshotId);
        requireStarted();
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new VolumeDriverException("snapshot " + snapshotId + " has no file at " + path);
        }
        return path;
    }

    @Override
    public void createSnapshot(SnapshotSpec snapshot) {
        requireNonNull(snapshot, "snapshot");
        requireStarted();
        long size = snapshot.sizeBytes();
        Path path = files.snapshot(snapshot.id());
        Path volume = files.volume(snapshot.volumeId());
        try (StripedLocks.Held held = locks.lock(key(volume), key(path))) {
            if (existsWithSize(path, size, snapshot.volumeSizeGib() + " GiB")) {
                return;
            }
            Optional<Long> volumeSize = existingSize(volume);
            if (volumeSize.isEmpty()) {
                throw new VolumeDriverException("cannot take snapshot " + snapshot.id() + " of volume "
                        + snapshot.volumeId() + ": " + volume + " does not exist");
            }
            if (volumeSize.get() != size) {
                throw new VolumeDriverException("cannot take snapshot " + snapshot.id() + ": " + volume + " has "
                        + volumeSize.get() + " bytes, not the " + size + " bytes (" + snapshot.volumeSizeGib()
                        + " GiB) the snapshot expects; the volume's size changed (an extend in progress?)");
            }
            try {
                makeFile(path, files.temporarySnapshot(snapshot.id()), temporary -> copy(volume, temporary, size));
            } catch (IOException e) {
                throw new VolumeDriverException("cannot make " + path + " from " + volume + ": " + reason(e), e);
            }
            provisioned.put(key(path), size);
        }
    }

    @Override
    public void deleteSnapshot(String snapshotId) {
        Path path = files.snapshot(snapshotId);
        requireStarted();
        try (StripedLocks.Held held = locks.lock(key(path))) {
            removeWiped(path, "the snapshot");
        }
    }

    @Override
    public boolean hasSnapshot(String snapshotId) {
        Path path = files.snapshot(snapshotId);
        requireStarted();
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void revertToSnapshot(SnapshotSpec snapshot) {
        requireNonNull(snapshot, "snapshot");
        requireStarted();
        Path path = files.volume(snapshot.volumeId());
        Path source = files.snapshot(snapshot.id());
        try (StripedLocks.Held held = locks.lock(key(path), key(source))) {
            Optional<Long> volumeSize = existingSize(path);
            Optional<Long> snapshotSize = existingSize(source);
            if (volumeSize.isEmpty() || snapshotSize.isEmpty()) {
                throw new VolumeDriverException("cannot revert volume " + snapshot.volumeId() + " to snapshot "
                        + snapshot.id() + ": " + (volumeSize.isEmpty() ? path : source) + " does not exist");
            }
            if (volumeSize.get() < snapshotSize.get()) {
                throw new IllegalArgumentException("volume " + snapshot.volumeId() + " (" + volumeSize.get()
                        + " bytes) is smaller than snapshot " + snapshot.id() + " (" + snapshotSize.get()
                        + " bytes): a volume cannot shrink to be reverted");
            }
            try {
                makeFile(path, files.temporary(snapshot.volumeId()), temporary -> copy(source, temporary,
                        volumeSize.get()));
            } catch (IOException e) {
                throw new VolumeDriverException("cannot revert " + path + " to " + source + ": " + reason(e), e);
            }
        }
    }

    @Override
    public List<ManageableVolume> manageableVolumes(Set<String> managedVolumeIds) {
        requireNonNull(managedVolumeIds, "managedVolumeIds");
        requireStarted();
        Path directory = files.directory();
        List<ManageableVolume> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> VolumeFiles.isManageableName(entry.getFileName().toString()))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Optional<Long> size;
                try {
                    size = existingSize(entry);
                } catch (VolumeDriverException e) {
                    continue; // not a regular file: never the driver's to take
                }
                if (size.isEmpty()) {
                    continue;
                }
                String volumeId = VolumeFiles.volumeId(name).orElse(null);
                int sizeGib = manageableGib(size.get());
                if (volumeId != null && managedVolumeIds.contains(volumeId)) {
                    found.add(new ManageableVolume(name, sizeGib, false, "already managed", volumeId, null));
                } else {
                    found.add(new ManageableVolume(name, sizeGib, true, null, null, null));
                }
            }
        } catch (IOException e) {
            throw new VolumeDriverException("cannot list the files in " + directory + ": " + reason(e), e);
        }
        return found;
    }

    @Override
    public int manageableSize(String reference) {
        requireStarted();
        Path source = manageableFile(reference);
        Optional<Long> size = existingSize(source);
        if (size.isEmpty()) {
            throw new InvalidReferenceException("there is no file " + reference + " in " + files.directory());
        }
        return manageableGib(size.get());
    }

    @Override
    public int manageExisting(String volumeId, String reference) {
        Path path = files.volume(volumeId);
        requireStarted();
        Path source = manageableFile(reference);
        try (StripedLocks.Held held = locks.lock(key(path), key(source))) {
            Optional<Long> sourceSize = source.equals(path) ? Optional.empty() : existingSize(source);
            Optional<Long> volumeSize = existingSize(path);
            if (sourceSize.isPresent() && volumeSize.isPresent()) {
                throw new InvalidReferenceException("cannot manage " + reference + " as volume " + volumeId + ": "
                        + path.getFileName() + " already exists in " + files.directory());
            }
            if (sourceSize.isEmpty() && volumeSize.isEmpty()) {
                throw new InvalidReferenceException("there is no file " + reference + " in " + files.directory());
            }
            long bytes = sourceSize.orElseGet(volumeSize::get);
            long size = Sizes.gibToBytes(manageableGib(bytes));
            try {
                if (sourceSize.isPresent()) {
                    Files.move(source, path, StandardCopyOption.ATOMIC_MOVE);
                    directorySync.sync();
                    provisioned.remove(key(source));
                }
                Files.setPosixFilePermissions(path, OWNER_ONLY);
                if (bytes < size) {
                    grow(path, size);
                }
            } catch (IOException e) {
                throw new VolumeDriverException("cannot manage " + source + " as " + path + ": " + reason(e), e);
            }
            provisioned.put(key(path), size);
            LOG.info("file driver: {} is now volume {} ({} bytes)", reference, volumeId, size);
            return (int) (size / Sizes.GIB);
        }
    }

    @Override
    public void unmanage(String volumeId) {
        Path path = files.volume(volumeId);
        Path kept = files.unmanaged(volumeId);
        requireStarted();
        try (StripedLocks.Held held = locks.lock(key(path), key(kept))) {
            for (String baseId : backupBases(volumeId)) {
                removeWiped(files.backupBase(volumeId, baseId), "the volume's backup base");
            }
            letGo(path, kept, "volume " + volumeId);
        }
    }

    /**
     * Renames {@code path} (what Basalt knows as {@code what}) to {@code kept}, where it is no longer
     * Basalt's, its bytes untouched; nothing when it is gone already. The caller holds both paths' locks.
     */
    private void letGo(Path path, Path kept, String what) {
        if (existingSize(path).isEmpty()) {
            provisioned.remove(key(path));
            return;
        }
        if (existingSize(kept).isPresent()) {
            throw new VolumeDriverException("cannot unmanage " + what + ": " + kept
                    + " already exists; rename or remove it first");
        }
        try {
            Files.move(path, kept, StandardCopyOption.ATOMIC_MOVE);
            directorySync.sync();
        } catch (IOException e) {
            throw new VolumeDriverException("cannot unmanage " + path + " (renaming it to " + kept.getFileName()
                    + "): " + reason(e), e);
        }
        provisioned.remove(key(path));
        LOG.info("file driver: {} unmanaged; its bytes stay in {}", what, kept);
    }

    @Override
    public List<ManageableSnapshot> manageableSnapshots(Map<String, String> managedSnapshots) {
        requireNonNull(managedSnapshots, "managedSnapshots");
        requireStarted();
        Path directory = files.directory();
        List<ManageableSnapshot> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, entry -> {
            String name = entry.getFileName().toString();
            return VolumeFiles.snapshotVolumeId(name).isPresent() || VolumeFiles.snapshotId(name).isPresent();
        })) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Optional<Long> size;
                try {
                    size = existingSize(entry);
                } catch (VolumeDriverException e) {
                    continue; // not a regular file: never the driver's to take
                }
                if (size.isEmpty()) {
                    continue;
                }
                int sizeGib = manageableGib(size.get());
                Optional<String> snapshotId = VolumeFiles.snapshotId(name);
                if (snapshotId.isPresent()) {
                    String volumeId = managedSnapshots.get(snapshotId.get());
                    if (volumeId != null) {
                        found.add(new ManageableSnapshot(name, sizeGib, false, "already managed", snapshotId.get(),
                                null, VolumeFiles.VOLUME_PREFIX + volumeId));
                    }
                    continue; // a snapshot file no row names has no tie to a volume: not offered
                }
                String volumeId = VolumeFiles.snapshotVolumeId(name).orElseThrow();
                found.add(new ManageableSnapshot(name, sizeGib, true, null, null, null,
                        VolumeFiles.VOLUME_PREFIX + volumeId));
            }
        } catch (IOException e) {
            throw new VolumeDriverException("cannot list the files in " + directory + ": " + reason(e), e);
        }
        return found;
    }

    @Override
    public int manageableSnapshotSize(String volumeId, String reference) {
        requireStarted();
        Path source = manageableSnapshotFile(volumeId, reference);
        Optional<Long> size = existingSize(source);
        if (size.isEmpty()) {
            throw new InvalidReferenceException("there is no file " + reference + " in " + files.directory());
        }
        return manageableGib(size.get());
    }

    @Override
    public int manageExistingSnapshot(String snapshotId, String volumeId, String reference) {
        Path path = files.snapshot(snapshotId);
        requireStarted();
        Path source = manageableSnapshotFile(volumeId, reference);
        try (StripedLocks.Held held = locks.lock(key(path), key(source))) {
            Optional<Long> sourceSize = existingSize(source);
            Optional<Long> snapshotSize = existingSize(path);
            if (sourceSize.isPresent() && snapshotSize.isPresent()) {
                throw new InvalidReferenceException("cannot manage " + reference + " as snapshot " + snapshotId
                        + ": " + path.getFileName() + " already exists in " + files.directory());
            }
            if (sourceSize.isEmpty() && snapshotSize.isEmpty()) {
                throw new InvalidReferenceException("there is no file " + reference + " in " + files.directory());
            }
            if (sourceSize.isPresent() && existingSize(files.volume(volumeId)).isEmpty()) {
                throw new InvalidReferenceException("cannot manage " + reference + " as a snapshot of volume "
                        + volumeId + ": the volume's file " + files.volume(volumeId).getFileName()
                        + " is not in " + files.directory());
            }
            long bytes = sourceSize.orElseGet(snapshotSize::get);
            long size = Sizes.gibToBytes(manageableGib(bytes));
            try {
                if (sourceSize.isPresent()) {
                    Files.move(source, path, StandardCopyOption.ATOMIC_MOVE);
                    directorySync.sync();
                }
                Files.setPosixFilePermissions(path, OWNER_ONLY);
                if (bytes < size) {
                    grow(path, size);
                }
            } catch (IOException e) {
                throw new VolumeDriverException("cannot manage " + source + " as " + path + ": " + reason(e), e);
            }
            provisioned.put(key(path), size);
            LOG.info("file driver: {} is now snapshot {} of volume {} ({} bytes)", reference, snapshotId, volumeId,
                    size);
            return (int) (size / Sizes.GIB);
        }
    }

    @Override
    public void unmanageSnapshot(String snapshotId, String volumeId) {
        Path path = files.snapshot(snapshotId);
        Path kept = files.unmanagedSnapshot(snapshotId, volumeId);
        requireStarted();
        try (StripedLocks.Held held = locks.lock(key(path), key(kept))) {
            letGo(path, kept, "snapshot " + snapshotId);
        }
    }

    /** The snapshot file a reference names, or an {@link InvalidReferenceException} saying why it names none. */
    private Path manageableSnapshotFile(String volumeId, String reference) {
        Path file = files.manageableSnapshot(volumeId, reference).orElseThrow(() -> new InvalidReferenceException(
                "'" + reference + "' is not the name of a snapshot of volume " + volumeId + " the file driver can"
                        + " manage: give the plain name of a file volume-" + volumeId + ".<name> in "
                        + files.directory()));
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidReferenceException(file + " is not a regular file (a link, directory or device?):"
                    + " the file driver only manages regular files");
        }
        return file;
    }

    /** The file a reference names, or an {@link InvalidReferenceException} saying why it names none. */
    private Path manageableFile(String reference) {
        Path file = files.manageable(reference).orElseThrow(() -> new InvalidReferenceException("'" + reference
                + "' is not the name of a file the file driver can manage: give the plain name of a file in "
                + files.directory() + " (not a snapshot, a backup base or a temporary file)"));
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidReferenceException(file + " is not a regular file (a link, directory or device?):"
                    + " the file driver only manages regular files");
        }
        return file;
    }

    /** A size in bytes as the whole GiB a managed volume gets: rounded up, at least 1. */
    private static int manageableGib(long bytes) {
        long gib = Math.max(1, (bytes + Sizes.GIB - 1) / Sizes.GIB);
        return (int) Math.min(gib, Integer.MAX_VALUE);
    }

    @Override
    public Optional<Path> keepBackupBase(String volumeId, String snapshotId, String baseId) {
        Path volume = files.volume(volumeId);
        Path source = snapshotId == null ? volume : files.snapshot(snapshotId);
        Path base = files.backupBase(volumeId, baseId);
        requireStarted();
        if (!copier.sharesExtents()) {
            return Optional.empty();
        }
        try (StripedLocks.Held held = locks.lock(key(volume), key(source))) {
            if (existingSize(base).isPresent()) {
                return Optional.of(base);
            }
            if (existingSize(source).isEmpty()) {
                throw new VolumeDriverException("cannot keep backup base " + baseId + " of volume " + volumeId + ": "
                        + source + " does not exist");
            }
            try {
                makeFile(base, files.temporaryBackupBase(volumeId, baseId), temporary -> {
                    if (!copier.reflink(source, temporary)) {
                        throw new NotShared();
                    }
                });
            } catch (NotShared e) {
                LOG.info("file driver: {} cannot share extents with a new file: no backup base kept", source);
                return Optional.empty();
            } catch (IOException e) {
                throw new VolumeDriverException("cannot keep backup base " + base + " of " + source + ": "
                        + reason(e), e);
            }
            return Optional.of(base);
        }
    }

    @Override
    public Optional<Path> backupBase(String volumeId, String baseId) {
        Path base = files.backupBase(volumeId, baseId);
        requireStarted();
        return existingSize(base).map(size -> base);
    }

    @Override
    public Set<String> backupBases(String volumeId) {
        String prefix = VolumeFiles.backupBasePrefix(volumeId);
        requireStarted();
        Set<String> found = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(files.directory(), prefix + "*")) {
            for (Path entry : entries) {
                String baseId = entry.getFileName().toString().substring(prefix.length());
                if (Ids.isUuidLike(baseId)) {
                    found.add(baseId);
                }
            }
        } catch (IOException e) {
            throw new VolumeDriverException("cannot list the backup bases of volume " + volumeId + " in "
                    + files.directory() + ": " + reason(e), e);
        }
        return Set.copyOf(found);
    }

    @Override
    public void dropBackupBase(String volumeId, String baseId) {
        Path base = files.backupBase(volumeId, baseId);
        requireStarted();
        try (StripedLocks.Held held = locks.lock(key(files.volume(volumeId)))) {
            if (Files.deleteIfExists(base)) {
                directorySync.sync();
            }
        } catch (IOException e) {
            throw new VolumeDriverException("cannot drop backup base " + base + ": " + reason(e), e);
        }
    }

    /** The filesystem refused to share extents for a backup base: nothing is kept. */
    private static final class NotShared extends IOException {
        NotShared() {
            super("extents not shared");
        }
    }

    @Override
    public void createVolumeFromSnapshot(VolumeSpec volume, String snapshotId) {
        requireNonNull(volume, "volume");
        Path source = files.snapshot(snapshotId);
        requireStarted();
        makeVolumeFrom(volume, source, "snapshot " + snapshotId);
    }

    @Override
    public void cloneVolume(VolumeSpec target, String sourceVolumeId) {
        requireNonNull(target, "target");
        Path source = files.volume(sourceVolumeId);
        requireStarted();
        if (target.id().equals(sourceVolumeId)) {
            throw new IllegalArgumentException("volume " + sourceVolumeId + " cannot be cloned onto itself");
        }
        makeVolumeFrom(target, source, "volume " + sourceVolumeId);
    }

    @Override
    public void extendVolume(String volumeId, int newSizeGib) {
        Path path = files.volume(volumeId);
        if (newSizeGib < 1) {
            throw new IllegalArgumentException("volume size must be at least 1 GiB, got " + newSizeGib);
        }
        requireStarted();
        long size = Sizes.gibToBytes(newSizeGib);
        try (StripedLocks.Held held = locks.lock(key(path))) {
            Optional<Long> existing = existingSize(path);
            if (existing.isEmpty()) {
                throw new VolumeDriverException("cannot extend volume " + volumeId + ": " + path + " does not exist");
            }
            if (existing.get() > size) {
                throw new IllegalArgumentException("volumes only grow: " + path + " has " + existing.get()
                        + " bytes, more than the " + newSizeGib + " GiB asked for");
            }
            if (existing.get() < size) {
                try {
                    grow(path, size);
                } catch (IOException e) {
                    throw new VolumeDriverException("cannot extend " + path + " to " + newSizeGib + " GiB: "
                            + reason(e), e);
                }
            }
            provisioned.put(key(path), size);
        }
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
        capabilities.put(Capabilities.COPY_ON_WRITE, copier.sharesExtents());
        return new PoolReport(settings.backendName(), Sizes.bytesToGib(total), Sizes.bytesToGib(Math.min(free, total)),
                Sizes.bytesToGib(provisioned.totalBytes()), settings.sparse(), capabilities);
    }

    /** A new volume from a snapshot's or another volume's file: copy, then grow. */
    private void makeVolumeFrom(VolumeSpec volume, Path source, String sourceName) {
        long size = volume.sizeBytes();
        Path path = files.volume(volume.id());
        try (StripedLocks.Held held = locks.lock(key(source), key(path))) {
            if (existsWithSize(path, size, volume.sizeGib() + " GiB")) {
                return;
            }
            Optional<Long> sourceSize = existingSize(source);
            if (sourceSize.isEmpty()) {
                throw new VolumeDriverException("cannot create volume " + volume.id() + " from " + sourceName + ": "
                        + source + " does not exist");
            }
            if (sourceSize.get() > size) {
                throw new IllegalArgumentException("volume " + volume.id() + " of " + volume.sizeGib()
                        + " GiB would be smaller than its source, " + sourceName + " of " + sourceSize.get()
                        + " bytes: a new volume must be at least as large as its source");
            }
            try {
                makeFile(path, files.temporary(volume.id()), temporary -> copy(source, temporary, size));
            } catch (IOException e) {
                throw new VolumeDriverException("cannot create " + path + " (" + volume.sizeGib() + " GiB) from "
                        + source + ": " + reason(e), e);
            }
            provisioned.put(key(path), size);
        }
    }

    /**
     * Whether the file already exists with the size asked for (the request was done before: counted
     * again, left as it is); an existing file of another size is an error.
     */
    private boolean existsWithSize(Path path, long size, String sizeInWords) {
        Optional<Long> existing = existingSize(path);
        if (existing.isEmpty()) {
            return false;
        }
        if (existing.get() != size) {
            throw new VolumeDriverException(path + " already exists with " + existing.get() + " bytes, not the "
                    + size + " bytes (" + sizeInWords + ") asked for: it was not made by this request; "
                    + "find what it belongs to before removing it");
        }
        provisioned.put(key(path), size);
        return true;
    }

    /**
     * Makes the file under its temporary name with {@code fill} (which leaves it fsynced), renames
     * it into place and fsyncs the directory; on failure removes the temporary file.
     */
    private void makeFile(Path path, Path temporary, Filler fill) throws IOException {
        try {
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, ownerOnly());
            fill.fill(temporary);
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
            directorySync.sync();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporary);
            throw e;
        }
    }

    /** Fills a new file. */
    @FunctionalInterface
    private interface Filler {
        void fill(Path file) throws IOException;
    }

    /** Wipes the file as configured, then unlinks it; a missing file is fine. */
    private void removeWiped(Path path, String what) {
        Optional<Long> existing = existingSize(path);
        if (existing.isEmpty()) {
            provisioned.remove(key(path));
            return;
        }
        long clear = settings.clearLength(existing.get());
        try {
            if (clear > 0) {
                wiper.wipe(path, clear);
            }
        } catch (IOException e) {
            throw new VolumeDriverException("cannot wipe " + path + " before deleting it (volume_clear = "
                    + settings.clear().configValue() + "): " + reason(e) + "; " + what + " is kept", e);
        }
        try {
            Files.deleteIfExists(path);
            directorySync.sync();
        } catch (IOException e) {
            throw new VolumeDriverException("cannot delete " + path + ": " + reason(e), e);
        }
        provisioned.remove(key(path));
    }

    /** Copies the source into the new file, then grows it to {@code size}; leaves it fsynced. */
    private void copy(Path source, Path target, long size) throws IOException {
        long started = System.nanoTime();
        VolumeCopier.Method method = copier.copy(source, target);
        if (Files.size(target) < size) {
            try (RandomAccessFile raf = new RandomAccessFile(target.toFile(), "rw")) {
                raf.setLength(size);
            }
        }
        if (!settings.sparse()) {
            thicken(target, size);
        }
        FileSync.file(target);
        LOG.debug("file driver: {} made from {} by {} in {} ms", target.getFileName(), source.getFileName(),
                method, (System.nanoTime() - started) / 1_000_000);
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
                writeZeros(raf.getChannel(), 0, size);
            }
            raf.getFD().sync();
        }
    }

    /** Grows the file to {@code size}: the new space is a hole (sparse) or allocated (thick); then fsyncs it. */
    private void grow(Path file, long size) throws IOException {
        long old;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            old = raf.length();
            raf.setLength(size);
        }
        if (!settings.sparse() && !fallocate.allocate(file, size)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                writeZeros(channel, old, size);
            }
        }
        FileSync.file(file);
    }

    /** Allocates the holes of a copied file for a thick volume (fallocate, else zeros written over them). */
    private void thicken(Path file, long size) throws IOException {
        if (fallocate.allocate(file, size)) {
            return;
        }
        ByteBuffer chunk = ByteBuffer.allocateDirect(ZERO_CHUNK);
        ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (long position = 0; position < size; position += ZERO_CHUNK) {
                int length = (int) Math.min(ZERO_CHUNK, size - position);
                chunk.clear().limit(length);
                while (chunk.hasRemaining() && channel.read(chunk, position + chunk.position()) >= 0) {
                    // keep reading
                }
                chunk.flip();
                zeros.clear().limit(chunk.limit());
                if (chunk.mismatch(zeros) == -1) {
                    writeZeros(channel, position, position + chunk.limit());
                }
            }
        }
    }

    private static void writeZeros(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
        long position = from;
        while (position < to) {
            zeros.clear().limit((int) Math.min(ZERO_CHUNK, to - position));
            position += channel.write(zeros, position);
        }
    }

    /** The key of a file in the locks and the provisioned sizes: its name. */
    private static String key(Path path) {
        return path.getFileName().toString();
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

    /** Removes the backup bases whose volume is not in the directory (a delete cut short); says how many. */
    private int removeOrphanBases(Path directory, Map<String, Long> found) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> VolumeFiles.backupBaseVolumeId(entry.getFileName().toString()).isPresent())) {
            for (Path entry : entries) {
                String volumeId = VolumeFiles.backupBaseVolumeId(entry.getFileName().toString()).orElseThrow();
                if (!found.containsKey(key(files.volume(volumeId)))) {
                    removeWiped(entry, "a backup base of a deleted volume");
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new VolumeDriverException("cannot remove the backup bases of deleted volumes in " + directory
                    + ": " + reason(e), e);
        }
        return removed;
    }

    /** What {@link #probe} found out about the directory's filesystem. */
    private record Probe(boolean punchesHoles, boolean sharesExtents) {
    }

    /**
     * Checks the directory is writable by making, syncing and removing files; finds out whether
     * files there can share extents and whether holes can be punched.
     */
    private Probe probe(Path directory) {
        String unique = UUID.randomUUID().toString();
        Path probe = files.temporary("probe", unique);
        Path clone = files.temporary("probe-clone", unique);
        try {
            try {
                boolean sharesExtents = copier.probe(probe, clone);
                boolean punchesHoles = fallocate.punchHole(probe, 0, 4096);
                return new Probe(punchesHoles, sharesExtents);
            } finally {
                Files.deleteIfExists(clone);
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            throw new VolumeDriverException("the volume directory " + directory + " (file_volumes_dir) is not usable"
                    + " by this service (user " + System.getProperty("user.name") + "): " + reason(e)
                    + "; check its owner, permissions, free space, and that it is not mounted read-only", e);
        }
    }

    /** The volumes and snapshots already in the directory, by file name, with their sizes. */
    private static Map<String, Long> scan(Path directory) {
        Map<String, Long> found = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, entry -> {
            String name = entry.getFileName().toString();
            return VolumeFiles.volumeId(name).isPresent() || VolumeFiles.snapshotId(name).isPresent();
        })) {
            for (Path entry : entries) {
                try {
                    BasicFileAttributes attributes =
                            Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile()) {
                        found.put(key(entry), attributes.size());
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

    private static String filesystemType(Path directory) {
        try {
            return Files.getFileStore(directory).type();
        } catch (IOException e) {
            return "filesystem type unknown: " + reason(e);
        }
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
