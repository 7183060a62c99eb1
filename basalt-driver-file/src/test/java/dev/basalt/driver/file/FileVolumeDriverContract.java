package dev.basalt.driver.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.driver.Capabilities;
import dev.basalt.driver.DriverCompliance;
import dev.basalt.driver.ExpectedImage;
import dev.basalt.driver.ManageCapable;
import dev.basalt.driver.ManageCapable.ManageableVolume;
import dev.basalt.driver.PoolReport;
import dev.basalt.driver.SnapshotSpec;
import dev.basalt.driver.Sizes;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.driver.VolumeDriverException;
import dev.basalt.driver.VolumeSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The file driver passes {@link DriverCompliance} plus its own tests; run on each filesystem it
 * must work on by a subclass that gives a fresh directory there ({@link FileVolumeDriverTest} on
 * the root filesystem, ext4; {@link FileVolumeDriverOnXfsTest}; {@link FileVolumeDriverOnBtrfsTest}).
 */
abstract class FileVolumeDriverContract extends DriverCompliance {
    static final byte[] PATTERN = pattern(64 * 1024);

    /** A fresh empty directory on the filesystem under test, the same one for the whole test. */
    protected abstract Path root();

    /** Whether files on the filesystem under test can share extents (reflink). */
    protected abstract boolean sharesExtents();

    private Path directory() {
        return root().resolve("volumes");
    }

    @Override
    protected VolumeDriver newDriver() {
        return new FileVolumeDriver(FileDriverSettings.defaults(directory()));
    }

    @Override
    protected void makeUnmanagedStorage(String reference, long bytes, long offset, byte[] data) throws IOException {
        Path file = Files.createFile(directory().resolve(reference));
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(bytes);
        }
        FileContents.write(file, offset, data);
    }

    @Override
    protected void removeUnmanagedStorage(String reference) throws IOException {
        Files.deleteIfExists(directory().resolve(reference));
    }

    @Override
    protected String makeUnmanagedSnapshot(String volumeId, String name) throws IOException {
        String reference = "volume-" + volumeId + "." + name;
        Files.copy(file(volumeId), directory().resolve(reference));
        return reference;
    }

    @Override
    protected void removeUnmanagedSnapshot(String volumeId, String reference) throws IOException {
        Files.deleteIfExists(directory().resolve(reference));
    }

    @Override
    protected long storedSize(String volumeId) throws IOException {
        return Files.size(file(volumeId));
    }

    @Override
    protected void writeBytes(String volumeId, long offset, byte[] bytes) throws IOException {
        FileContents.write(file(volumeId), offset, bytes);
    }

    @Override
    protected byte[] readBytes(String volumeId, long offset, int length) throws IOException {
        return FileContents.read(file(volumeId), offset, length);
    }

    @Override
    protected byte[] readSnapshotBytes(String snapshotId, long offset, int length) throws IOException {
        return FileContents.read(snapshotFile(snapshotId), offset, length);
    }

    @Override
    protected long storedSnapshotSize(String snapshotId) throws IOException {
        return Files.size(snapshotFile(snapshotId));
    }

    private Path file(String volumeId) {
        return directory().resolve("volume-" + volumeId);
    }

    private Path snapshotFile(String snapshotId) {
        return directory().resolve("snapshot-" + snapshotId);
    }

    private FileVolumeDriver fileDriver() {
        return (FileVolumeDriver) driver();
    }

    /** A started driver with its own settings, on its own directory. */
    FileVolumeDriver startedDriver(String name, boolean sparse, VolumeClear clear, long clearSizeMib,
                                           Fallocate fallocate) {
        return startedDriver(name, sparse, clear, clearSizeMib, fallocate, Reflink.system());
    }

    FileVolumeDriver startedDriver(String name, boolean sparse, VolumeClear clear, long clearSizeMib,
                                           Fallocate fallocate, Reflink reflink) {
        FileVolumeDriver driver = new FileVolumeDriver(
                new FileDriverSettings(root().resolve(name), sparse, clear, clearSizeMib, "file-" + name), fallocate,
                reflink);
        driver.start();
        return driver;
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    /** A hard link to the volume's file: it keeps the file's data reachable after delete unlinks the name. */
    private Path witness(Path volumeFile) throws IOException {
        return Files.createLink(root().resolve("witness-" + UUID.randomUUID()), volumeFile);
    }

    @Test
    void aVolumeIsARawFileNamedAsCinderNamesItOfExactlyItsSizeReadableByTheServiceOnly() throws IOException {
        VolumeSpec volume = newVolume(2);

        driver().createVolume(volume);

        Path file = file(volume.id());
        assertThat(names(directory())).containsExactly("volume-" + volume.id());
        assertThat(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.size(file)).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aSparseVolumeTakesAlmostNoSpace() throws Exception {
        VolumeSpec volume = newVolume(10);

        driver().createVolume(volume);

        assertThat(FileContents.allocatedBytes(file(volume.id()))).isLessThan(Sizes.MIB);
        assertThat(driver().report().thinProvisioning()).isTrue();
    }

    @Test
    void aThickVolumeHasAllItsSpaceAllocated() throws Exception {
        FileVolumeDriver thick = startedDriver("thick", false, VolumeClear.ZERO, 0, Fallocate.system());
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 1);

        thick.createVolume(volume);

        Path file = root().resolve("thick").resolve("volume-" + volume.id());
        assertThat(Files.size(file)).isEqualTo(Sizes.GIB);
        assertThat(FileContents.allocatedBytes(file)).isGreaterThanOrEqualTo(Sizes.GIB);
        assertThat(FileContents.read(file, 0, 4096)).containsOnly(0);
        thick.deleteVolume(volume.id());
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void aThickVolumeIsWrittenWithZerosWhereFallocateIsMissing() throws Exception {
        FileVolumeDriver thick = startedDriver("thick-nofallocate", false, VolumeClear.ZERO, 0, Fallocate.UNSUPPORTED);
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 1);

        thick.createVolume(volume);

        Path file = root().resolve("thick-nofallocate").resolve("volume-" + volume.id());
        assertThat(Files.size(file)).isEqualTo(Sizes.GIB);
        assertThat(FileContents.allocatedBytes(file)).isGreaterThanOrEqualTo(Sizes.GIB);
        thick.deleteVolume(volume.id());
    }

    @Test
    void aFileIsListedManagedAsAVolumeOfWholeGibAndUnmanagedWithItsBytesKept() throws Exception {
        VolumeSpec known = newVolume(1);
        driver().createVolume(known);
        Path foreign = Files.createFile(directory().resolve("legacy.img"));
        FileContents.write(foreign, 0, PATTERN);
        FileContents.write(foreign, Sizes.GIB + 4096, PATTERN);
        SnapshotSpec snapshot = newSnapshot(known);
        fileDriver().createSnapshot(snapshot);
        double before = driver().report().provisionedCapacityGb();

        List<ManageableVolume> listed = fileDriver().manageableVolumes(Set.of(known.id()));
        assertThat(listed).containsExactlyInAnyOrder(
                new ManageableVolume("legacy.img", 2, true, null, null, null),
                new ManageableVolume("volume-" + known.id(), 1, false, "already managed", known.id(), null));
        assertThat(fileDriver().manageableSize("legacy.img")).isEqualTo(2);

        String id = UUID.randomUUID().toString();
        assertThat(fileDriver().manageExisting(id, "legacy.img")).isEqualTo(2);
        assertThat(fileDriver().manageExisting(id, "legacy.img")).as("done again: nothing more").isEqualTo(2);
        assertThat(foreign).doesNotExist();
        assertThat(driver().hasVolume(id)).isTrue();
        assertThat(Files.size(file(id))).isEqualTo(2 * Sizes.GIB);
        assertThat(FileContents.read(file(id), Sizes.GIB + 4096, PATTERN.length)).isEqualTo(PATTERN);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file(id)))).isEqualTo("rw-------");
        assertThat(driver().report().provisionedCapacityGb()).isEqualTo(before + 2.0);

        fileDriver().unmanage(id);
        fileDriver().unmanage(id);
        assertThat(driver().hasVolume(id)).isFalse();
        Path kept = directory().resolve("unmanaged-volume-" + id);
        assertThat(FileContents.read(kept, Sizes.GIB + 4096, PATTERN.length)).isEqualTo(PATTERN);
        assertThat(driver().report().provisionedCapacityGb()).isEqualTo(before);
        assertThat(fileDriver().manageableVolumes(Set.of(known.id())))
                .contains(new ManageableVolume("unmanaged-volume-" + id, 2, true, null, null, null));
    }

    @Test
    void managingRefusesWhatIsNotAPlainFileOfTheDirectoryOrIsMissing() throws Exception {
        VolumeSpec volume = newVolume(1);
        driver().createVolume(volume);
        SnapshotSpec snapshot = newSnapshot(volume);
        fileDriver().createSnapshot(snapshot);
        Files.createDirectories(directory().resolve("sub"));
        Files.write(root().resolve("outside.img"), PATTERN);
        String id = UUID.randomUUID().toString();
        for (String bad : List.of("../outside.img", "sub", "missing.img", "snapshot-" + snapshot.id(),
                ".basalt-tmp-x", "")) {
            assertThatThrownBy(() -> fileDriver().manageExisting(id, bad)).as(bad)
                    .isInstanceOf(ManageCapable.InvalidReferenceException.class);
        }
        assertThat(fileDriver().manageableVolumes(Set.of(volume.id()))).extracting(ManageableVolume::reference)
                .containsExactly("volume-" + volume.id());
        Files.write(directory().resolve("other.img"), PATTERN);
        assertThatThrownBy(() -> fileDriver().manageExisting(volume.id(), "other.img")).as("the id is taken")
                .isInstanceOf(ManageCapable.InvalidReferenceException.class);
        assertThat(FileContents.read(file(volume.id()), 0, PATTERN.length)).containsOnly(0);
    }

    @Test
    void revertReplacesTheVolumesFileWholeAndKeepsItSparse() throws Exception {
        VolumeSpec volume = newVolume(10);
        driver().createVolume(volume);
        Path file = file(volume.id());
        FileContents.write(file, 0, PATTERN);
        FileContents.write(file, 7 * Sizes.GIB, PATTERN);
        SnapshotSpec snapshot = newSnapshot(volume);
        fileDriver().createSnapshot(snapshot);
        FileContents.write(file, 0, otherPattern(PATTERN.length));
        FileContents.write(file, 3 * Sizes.GIB, PATTERN);

        try (FileChannel before = FileChannel.open(file, StandardOpenOption.READ)) {
            fileDriver().revertToSnapshot(snapshot);

            ByteBuffer seen = ByteBuffer.allocate(PATTERN.length);
            before.read(seen, 0);
            assertThat(seen.array()).as("a reader that opened the file before reads the old file whole")
                    .isEqualTo(otherPattern(PATTERN.length));
        }
        assertThat(FileContents.read(file, 0, PATTERN.length)).isEqualTo(PATTERN);
        assertThat(FileContents.read(file, 7 * Sizes.GIB, PATTERN.length)).isEqualTo(PATTERN);
        assertThat(FileContents.read(file, 3 * Sizes.GIB, PATTERN.length)).containsOnly(0);
        assertThat(Files.size(file)).isEqualTo(10 * Sizes.GIB);
        assertThat(FileContents.allocatedBytes(file)).as("holes stay holes").isLessThan(16 * Sizes.MIB);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Stream<Path> entries = Files.list(directory())) {
            assertThat(entries.map(p -> p.getFileName().toString())).as("no temporary file is left")
                    .noneMatch(VolumeFiles::isTemporary);
        }
    }

    @Test
    void deleteWipesTheDataBeforeItUnlinksAndReleasesTheSpace() throws Exception {
        VolumeSpec volume = newVolume(1);
        driver().createVolume(volume);
        Path file = file(volume.id());
        long[] offsets = {0, 333L << 20, Sizes.GIB - PATTERN.length};
        for (long offset : offsets) {
            FileContents.write(file, offset, PATTERN);
        }
        Path witness = witness(file);
        assertThat(FileContents.allocatedBytes(witness)).isGreaterThanOrEqualTo(3L * PATTERN.length);

        driver().deleteVolume(volume.id());

        assertThat(Files.exists(file)).isFalse();
        assertThat(Files.size(witness)).isEqualTo(Sizes.GIB);
        assertThat(FileContents.allZero(witness)).isTrue();
        assertThat(FileContents.allocatedBytes(witness)).isZero();
    }

    @Test
    void deleteWritesZerosWhereTheFilesystemCannotPunchHolesAndKeepsHolesAsHoles() throws Exception {
        FileVolumeDriver driver = startedDriver("nopunch", true, VolumeClear.ZERO, 0, Fallocate.UNSUPPORTED);
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 1);
        driver.createVolume(volume);
        Path file = root().resolve("nopunch").resolve("volume-" + volume.id());
        FileContents.write(file, 0, PATTERN);
        FileContents.write(file, Sizes.GIB - PATTERN.length, PATTERN);
        Path witness = witness(file);

        driver.deleteVolume(volume.id());

        assertThat(Files.exists(file)).isFalse();
        assertThat(FileContents.allZero(witness)).isTrue();
        assertThat(FileContents.allocatedBytes(witness)).isLessThan(16 * Sizes.MIB);
    }

    @Test
    void volumeClearSizeWipesOnlyTheFirstMebibytes() throws Exception {
        FileVolumeDriver driver = startedDriver("clear-1mib", true, VolumeClear.ZERO, 1, Fallocate.system());
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 1);
        driver.createVolume(volume);
        Path file = root().resolve("clear-1mib").resolve("volume-" + volume.id());
        FileContents.write(file, 0, PATTERN);
        FileContents.write(file, Sizes.MIB - 4096, PATTERN);
        FileContents.write(file, 2 * Sizes.MIB, PATTERN);
        Path witness = witness(file);

        driver.deleteVolume(volume.id());

        assertThat(FileContents.read(witness, 0, (int) Sizes.MIB)).containsOnly(0);
        assertThat(FileContents.read(witness, Sizes.MIB, PATTERN.length - 4096))
                .isEqualTo(java.util.Arrays.copyOfRange(PATTERN, 4096, PATTERN.length));
        assertThat(FileContents.read(witness, 2 * Sizes.MIB, PATTERN.length)).isEqualTo(PATTERN);
    }

    @Test
    void volumeClearNoneOnlyUnlinks() throws Exception {
        FileVolumeDriver driver = startedDriver("clear-none", true, VolumeClear.NONE, 0, Fallocate.system());
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 1);
        driver.createVolume(volume);
        Path file = root().resolve("clear-none").resolve("volume-" + volume.id());
        FileContents.write(file, 0, PATTERN);
        Path witness = witness(file);

        driver.deleteVolume(volume.id());

        assertThat(Files.exists(file)).isFalse();
        assertThat(FileContents.read(witness, 0, PATTERN.length)).isEqualTo(PATTERN);
    }

    @Test
    void createLeavesNoTemporaryFileBehind() throws IOException {
        VolumeSpec first = newVolume(1);
        VolumeSpec second = newVolume(1);

        driver().createVolume(first);
        driver().createVolume(second);

        assertThat(names(directory())).containsExactlyInAnyOrder("volume-" + first.id(), "volume-" + second.id());
    }

    @Test
    void aFailedCreateLeavesNothingBehindAndSaysWhy() throws IOException {
        Fallocate full = new Fallocate() {
            @Override
            public boolean punchHole(Path file, long offset, long length) {
                return true;
            }

            @Override
            public boolean allocate(Path file, long length) throws IOException {
                throw new IOException("fallocate " + file + ": [28] No space left on device");
            }
        };
        FileVolumeDriver driver = startedDriver("full", false, VolumeClear.ZERO, 0, full);
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 5);

        assertThatThrownBy(() -> driver.createVolume(volume))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("volume-" + volume.id());

        assertThat(names(root().resolve("full"))).isEmpty();
        assertThat(driver.hasVolume(volume.id())).isFalse();
        assertThat(driver.report().provisionedCapacityGb()).isZero();
    }

    @Test
    void startRemovesLeftoverTemporaryFilesAndNothingElse() throws IOException {
        String id = UUID.randomUUID().toString();
        Path directory = root().resolve("leftovers");
        Files.createDirectories(directory);
        Files.write(directory.resolve(".basalt-tmp-volume-" + id), PATTERN);
        Files.write(directory.resolve(".basalt-tmp-probe-1234"), new byte[0]);
        Files.write(directory.resolve("notes.txt"), PATTERN);

        FileVolumeDriver driver = startedDriver("leftovers", true, VolumeClear.ZERO, 0, Fallocate.system());

        assertThat(names(directory)).containsExactly("notes.txt");
        assertThat(driver.hasVolume(id)).isFalse();
        assertThat(driver.report().provisionedCapacityGb()).isZero();
    }

    @Test
    void startCountsTheVolumesAlreadyInTheDirectory() throws IOException {
        VolumeSpec one = newVolume(1);
        VolumeSpec two = newVolume(2);
        driver().createVolume(one);
        driver().createVolume(two);
        Files.write(directory().resolve("volume-not-a-uuid"), PATTERN);
        Files.createDirectory(directory().resolve("volume-" + UUID.randomUUID()));

        FileVolumeDriver restarted = new FileVolumeDriver(FileDriverSettings.defaults(directory()));
        restarted.start();

        assertThat(restarted.hasVolume(one.id())).isTrue();
        assertThat(restarted.hasVolume(two.id())).isTrue();
        assertThat(restarted.report().provisionedCapacityGb()).isEqualTo(3.0);
    }

    @Test
    void startCreatesAMissingDirectory() {
        FileVolumeDriver driver = startedDriver("a/b/c", true, VolumeClear.ZERO, 0, Fallocate.system());

        assertThat(Files.isDirectory(root().resolve("a/b/c"))).isTrue();
        assertThat(driver.report().provisionedCapacityGb()).isZero();
    }

    @Test
    void startSaysClearlyWhenTheDirectoryIsNotADirectory() throws IOException {
        Path file = Files.write(root().resolve("plain-file"), PATTERN);

        assertThatThrownBy(() -> new FileVolumeDriver(FileDriverSettings.defaults(file)).start())
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("file_volumes_dir");
        assertThatThrownBy(() -> new FileVolumeDriver(FileDriverSettings.defaults(file.resolve("below"))).start())
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining(file.resolve("below").toString())
                .hasMessageContaining("file_volumes_dir");
    }

    @Test
    void aVolumeNameThatIsNotARegularFileIsNeverTouched() throws IOException {
        String id = UUID.randomUUID().toString();
        Path outside = Files.write(root().resolve("precious"), PATTERN);
        Files.createSymbolicLink(file(id), outside);

        assertThatThrownBy(() -> driver().deleteVolume(id))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> driver().createVolume(new VolumeSpec(id, 1)))
                .isInstanceOf(VolumeDriverException.class);

        assertThat(driver().hasVolume(id)).isFalse();
        assertThat(Files.readAllBytes(outside)).isEqualTo(PATTERN);
    }

    @Test
    void aSnapshotNameThatIsNotARegularFileIsNeverTouched() throws IOException {
        String id = UUID.randomUUID().toString();
        Path outside = Files.write(root().resolve("precious"), PATTERN);
        Files.createSymbolicLink(snapshotFile(id), outside);
        VolumeSpec volume = newVolume(1);
        driver().createVolume(volume);

        assertThatThrownBy(() -> fileDriver().deleteSnapshot(id))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> fileDriver().createSnapshot(new SnapshotSpec(id, volume.id(), 1)))
                .isInstanceOf(VolumeDriverException.class);
        assertThatThrownBy(() -> fileDriver().createVolumeFromSnapshot(newVolume(1), id))
                .isInstanceOf(VolumeDriverException.class);

        assertThat(fileDriver().hasSnapshot(id)).isFalse();
        assertThat(Files.readAllBytes(outside)).isEqualTo(PATTERN);
    }

    @Test
    void operationsBeforeStartAreRefused() {
        FileVolumeDriver driver = new FileVolumeDriver(FileDriverSettings.defaults(root().resolve("unstarted")));
        String id = UUID.randomUUID().toString();

        assertThat(driver.name()).isEqualTo("file");
        assertThatThrownBy(() -> driver.createVolume(new VolumeSpec(id, 1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> driver.deleteVolume(id)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> driver.hasVolume(id)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(driver::report).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> driver.createSnapshot(new SnapshotSpec(id, id, 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> driver.deleteSnapshot(id)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> driver.hasSnapshot(id)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> driver.createVolumeFromSnapshot(new VolumeSpec(id, 1), id))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> driver.cloneVolume(new VolumeSpec(id, 1), UUID.randomUUID().toString()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> driver.extendVolume(id, 2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reportDescribesTheBackendAndTheFilesystem() throws IOException {
        PoolReport sparse = driver().report();
        FileStore store = Files.getFileStore(directory());

        assertThat(sparse.pool()).isEqualTo("file");
        assertThat(sparse.totalCapacityGb()).isEqualTo(Sizes.bytesToGib(store.getTotalSpace()));
        assertThat(sparse.freeCapacityGb()).isCloseTo(Sizes.bytesToGib(store.getUsableSpace()),
                org.assertj.core.data.Offset.offset(1.0));
        assertThat(sparse.capabilities()).containsEntry(Capabilities.VOLUME_BACKEND_NAME, "file")
                .containsEntry(Capabilities.VENDOR_NAME, "Basalt")
                .containsEntry(Capabilities.DRIVER_VERSION, FileVolumeDriver.DRIVER_VERSION)
                .containsEntry(Capabilities.STORAGE_PROTOCOL, "iSCSI")
                .containsEntry(Capabilities.THIN_PROVISIONING_SUPPORT, true)
                .containsEntry(Capabilities.THICK_PROVISIONING_SUPPORT, false)
                .containsEntry(Capabilities.MULTIATTACH, false);

        PoolReport thick = startedDriver("thick-report", false, VolumeClear.ZERO, 0, Fallocate.system()).report();
        assertThat(thick.pool()).isEqualTo("file-thick-report");
        assertThat(thick.thinProvisioning()).isFalse();
        assertThat(thick.capabilities()).containsEntry(Capabilities.THIN_PROVISIONING_SUPPORT, false)
                .containsEntry(Capabilities.THICK_PROVISIONING_SUPPORT, true)
                .containsEntry(Capabilities.VOLUME_BACKEND_NAME, "file-thick-report");
    }

    // ---------------------------------------------------------------- snapshots, clones, extend on files

    @Test
    void aSnapshotIsAFileBesideTheVolumesReadableByTheServiceOnly() throws IOException {
        VolumeSpec volume = newVolume(2);
        fileDriver().createVolume(volume);
        SnapshotSpec snapshot = newSnapshot(volume);

        fileDriver().createSnapshot(snapshot);

        Path file = snapshotFile(snapshot.id());
        assertThat(names(directory())).containsExactly("snapshot-" + snapshot.id(), "volume-" + volume.id());
        assertThat(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.size(file)).isEqualTo(2 * Sizes.GIB);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void copiesLeaveNoTemporaryFileBehind() throws IOException {
        VolumeSpec volume = newVolume(1);
        fileDriver().createVolume(volume);
        SnapshotSpec snapshot = newSnapshot(volume);
        VolumeSpec fromSnapshot = newVolume(2);
        VolumeSpec clone = newVolume(1);

        fileDriver().createSnapshot(snapshot);
        fileDriver().createVolumeFromSnapshot(fromSnapshot, snapshot.id());
        fileDriver().cloneVolume(clone, volume.id());
        fileDriver().extendVolume(clone.id(), 3);

        assertThat(names(directory())).containsExactlyInAnyOrder("volume-" + volume.id(),
                "snapshot-" + snapshot.id(), "volume-" + fromSnapshot.id(), "volume-" + clone.id());
        assertThat(Files.getPosixFilePermissions(file(clone.id())))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void reportsWhetherSnapshotsAndClonesShareExtents() {
        assertThat(driver().report().capabilities()).containsEntry(Capabilities.COPY_ON_WRITE, sharesExtents());

        FileVolumeDriver copying = startedDriver("copying", true, VolumeClear.ZERO, 0, Fallocate.system(),
                Reflink.UNSUPPORTED);
        assertThat(copying.report().capabilities()).containsEntry(Capabilities.COPY_ON_WRITE, false);
    }

    @Test
    void snapshotsAndClonesShareExtentsWithTheirSourceWhereTheFilesystemCan() throws Exception {
        VolumeSpec volume = newVolume(1);
        fileDriver().createVolume(volume);
        FileContents.write(file(volume.id()), 0, pattern(8 * (int) Sizes.MIB));
        SnapshotSpec snapshot = newSnapshot(volume);
        VolumeSpec fromSnapshot = newVolume(1);
        VolumeSpec clone = newVolume(2);

        fileDriver().createSnapshot(snapshot);
        fileDriver().createVolumeFromSnapshot(fromSnapshot, snapshot.id());
        fileDriver().cloneVolume(clone, volume.id());

        for (Path copy : List.of(file(volume.id()), snapshotFile(snapshot.id()), file(fromSnapshot.id()),
                file(clone.id()))) {
            assertThat(FileContents.hasSharedExtents(copy)).as("%s has shared extents", copy.getFileName())
                    .isEqualTo(sharesExtents());
            assertThat(FileContents.read(copy, 0, 8 * (int) Sizes.MIB)).isEqualTo(pattern(8 * (int) Sizes.MIB));
        }
    }

    @Test
    void copiesOfABigSparseVolumeTakeSpaceOnlyForItsData() throws Exception {
        VolumeSpec volume = newVolume(100);
        fileDriver().createVolume(volume);
        long[] offsets = {0, 50 * Sizes.GIB + 4096, 100 * Sizes.GIB - PATTERN.length};
        for (long offset : offsets) {
            FileContents.write(file(volume.id()), offset, PATTERN);
        }
        SnapshotSpec snapshot = newSnapshot(volume);
        VolumeSpec fromSnapshot = newVolume(120);
        VolumeSpec clone = newVolume(100);

        fileDriver().createSnapshot(snapshot);
        fileDriver().createVolumeFromSnapshot(fromSnapshot, snapshot.id());
        fileDriver().cloneVolume(clone, volume.id());

        for (Path copy : List.of(snapshotFile(snapshot.id()), file(fromSnapshot.id()), file(clone.id()))) {
            assertThat(FileContents.allocatedBytes(copy)).as("space taken by %s", copy.getFileName())
                    .isLessThan(16 * Sizes.MIB);
            for (long offset : offsets) {
                assertThat(FileContents.read(copy, offset, PATTERN.length)).isEqualTo(PATTERN);
            }
            assertThat(FileContents.read(copy, 25 * Sizes.GIB, 4096)).containsOnly(0);
        }
        assertThat(Files.size(file(fromSnapshot.id()))).isEqualTo(120 * Sizes.GIB);
    }

    @Test
    void copiesOnlyTheDataWhereExtentsCannotBeShared() throws Exception {
        FileVolumeDriver copying = startedDriver("copying", true, VolumeClear.ZERO, 0, Fallocate.system(),
                Reflink.UNSUPPORTED);
        Path directory = root().resolve("copying");
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 10);
        copying.createVolume(volume);
        Path volumeFile = directory.resolve("volume-" + volume.id());
        byte[] data = pattern(4 * (int) Sizes.MIB);
        FileContents.write(volumeFile, 3 * Sizes.GIB + 12345, data);
        FileContents.write(volumeFile, 10 * Sizes.GIB - data.length, data);
        FileContents.write(volumeFile, 5 * Sizes.GIB, new byte[(int) Sizes.MIB]); // written zeros stay holes in copies
        SnapshotSpec snapshot = new SnapshotSpec(UUID.randomUUID().toString(), volume.id(), 10);
        VolumeSpec clone = new VolumeSpec(UUID.randomUUID().toString(), 11);

        copying.createSnapshot(snapshot);
        copying.cloneVolume(clone, volume.id());

        for (Path copy : List.of(directory.resolve("snapshot-" + snapshot.id()),
                directory.resolve("volume-" + clone.id()))) {
            assertThat(FileContents.hasSharedExtents(copy)).isFalse();
            assertThat(FileContents.read(copy, 3 * Sizes.GIB + 12345, data.length)).isEqualTo(data);
            assertThat(FileContents.read(copy, 10 * Sizes.GIB - data.length, data.length)).isEqualTo(data);
            assertThat(FileContents.allocatedBytes(copy)).isGreaterThanOrEqualTo(2L * data.length)
                    .isLessThan(2L * data.length + 4 * Sizes.MIB);
        }
        assertThat(Files.size(directory.resolve("volume-" + clone.id()))).isEqualTo(11 * Sizes.GIB);
    }

    @ParameterizedTest(name = "holes punched: {0}")
    @ValueSource(booleans = {true, false})
    void wipingAFileNeverChangesTheFilesItSharesExtentsWith(boolean punchHoles) throws Exception {
        FileVolumeDriver driver = startedDriver("wipe", true, VolumeClear.ZERO, 0,
                punchHoles ? Fallocate.system() : Fallocate.UNSUPPORTED);
        Path directory = root().resolve("wipe");
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 1);
        driver.createVolume(volume);
        Path volumeFile = directory.resolve("volume-" + volume.id());
        ExpectedImage expected = new ExpectedImage(Sizes.GIB);
        byte[] data = pattern(3 * (int) Sizes.MIB);
        for (long offset : new long[] {0, 400 * Sizes.MIB + 4096, Sizes.GIB - data.length}) {
            FileContents.write(volumeFile, offset, data);
            expected.write(offset, data);
        }
        SnapshotSpec snapshot = new SnapshotSpec(UUID.randomUUID().toString(), volume.id(), 1);
        driver.createSnapshot(snapshot);
        Path snapshotFile = directory.resolve("snapshot-" + snapshot.id());
        VolumeSpec clone = new VolumeSpec(UUID.randomUUID().toString(), 1);
        driver.createVolumeFromSnapshot(clone, snapshot.id());
        Path cloneFile = directory.resolve("volume-" + clone.id());
        assertThat(FileContents.hasSharedExtents(snapshotFile)).isEqualTo(sharesExtents());
        assertThat(FileContents.hasSharedExtents(cloneFile)).isEqualTo(sharesExtents());

        Path volumeWitness = witness(volumeFile);
        driver.deleteVolume(volume.id());

        assertThat(FileContents.allZero(volumeWitness)).as("the deleted volume's data is gone").isTrue();
        if (punchHoles) {
            assertThat(FileContents.allocatedBytes(volumeWitness)).isZero();
        }
        assertThat(firstDifference(snapshotFile, expected)).as("first changed byte of the snapshot").isEqualTo(-1);
        assertThat(firstDifference(cloneFile, expected)).as("first changed byte of the clone").isEqualTo(-1);

        Path snapshotWitness = witness(snapshotFile);
        driver.deleteSnapshot(snapshot.id());

        assertThat(FileContents.allZero(snapshotWitness)).as("the deleted snapshot's data is gone").isTrue();
        assertThat(firstDifference(cloneFile, expected)).as("first changed byte of the clone").isEqualTo(-1);
    }

    private static long firstDifference(Path file, ExpectedImage expected) throws Exception {
        assertThat(Files.size(file)).isEqualTo(expected.size());
        return expected.firstDifference((offset, length) -> FileContents.read(file, offset, length));
    }

    @Test
    void volumeClearNoneOnASnapshotOnlyUnlinks() throws Exception {
        FileVolumeDriver driver = startedDriver("snapshot-clear-none", true, VolumeClear.NONE, 0, Fallocate.system());
        Path directory = root().resolve("snapshot-clear-none");
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 1);
        driver.createVolume(volume);
        FileContents.write(directory.resolve("volume-" + volume.id()), 0, PATTERN);
        SnapshotSpec snapshot = new SnapshotSpec(UUID.randomUUID().toString(), volume.id(), 1);
        driver.createSnapshot(snapshot);
        Path witness = witness(directory.resolve("snapshot-" + snapshot.id()));

        driver.deleteSnapshot(snapshot.id());

        assertThat(driver.hasSnapshot(snapshot.id())).isFalse();
        assertThat(FileContents.read(witness, 0, PATTERN.length)).isEqualTo(PATTERN);
    }

    @Test
    void aSnapshotOfAVolumeWhoseSizeChangedIsRefused() throws IOException {
        VolumeSpec volume = newVolume(1);
        fileDriver().createVolume(volume);
        fileDriver().extendVolume(volume.id(), 2);
        SnapshotSpec stale = newSnapshot(volume);

        assertThatThrownBy(() -> fileDriver().createSnapshot(stale))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("volume-" + volume.id())
                .hasMessageContaining("size changed");

        assertThat(names(directory())).containsExactly("volume-" + volume.id());
    }

    @Test
    void aFailedCopyLeavesNothingBehindAndSaysWhy() throws IOException {
        Reflink full = (source, target) -> {
            if (source.getFileName().toString().contains("probe")) {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                return true;
            }
            throw new IOException("ioctl FICLONE " + target + ": [28] No space left on device");
        };
        FileVolumeDriver driver = startedDriver("full-copy", true, VolumeClear.ZERO, 0, Fallocate.system(), full);
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 1);
        driver.createVolume(volume);
        SnapshotSpec snapshot = new SnapshotSpec(UUID.randomUUID().toString(), volume.id(), 1);
        VolumeSpec clone = new VolumeSpec(UUID.randomUUID().toString(), 1);

        assertThatThrownBy(() -> driver.createSnapshot(snapshot))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("snapshot-" + snapshot.id());
        assertThatThrownBy(() -> driver.cloneVolume(clone, volume.id()))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("volume-" + clone.id());

        assertThat(names(root().resolve("full-copy"))).containsExactly("volume-" + volume.id());
        assertThat(driver.hasSnapshot(snapshot.id())).isFalse();
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(1.0);
    }

    @Test
    void startCountsSnapshotsAndRemovesHalfMadeOnes() throws IOException {
        VolumeSpec volume = newVolume(1);
        fileDriver().createVolume(volume);
        SnapshotSpec snapshot = newSnapshot(volume);
        fileDriver().createSnapshot(snapshot);
        String halfMade = UUID.randomUUID().toString();
        Files.write(directory().resolve(".basalt-tmp-snapshot-" + halfMade), PATTERN);
        Files.write(directory().resolve("snapshot-not-a-uuid"), PATTERN);

        FileVolumeDriver restarted = new FileVolumeDriver(FileDriverSettings.defaults(directory()));
        restarted.start();

        assertThat(restarted.hasSnapshot(snapshot.id())).isTrue();
        assertThat(restarted.hasSnapshot(halfMade)).isFalse();
        assertThat(restarted.report().provisionedCapacityGb()).isEqualTo(2.0);
        assertThat(names(directory())).containsExactly("snapshot-" + snapshot.id(), "snapshot-not-a-uuid",
                "volume-" + volume.id());
    }

    @Test
    void extendKeepsASparseVolumeSparse() throws Exception {
        VolumeSpec volume = newVolume(1);
        fileDriver().createVolume(volume);

        fileDriver().extendVolume(volume.id(), 100);

        assertThat(Files.size(file(volume.id()))).isEqualTo(100 * Sizes.GIB);
        assertThat(FileContents.allocatedBytes(file(volume.id()))).isLessThan(Sizes.MIB);
    }

    @Test
    void thickCopiesAndExtendsHaveAllTheirSpaceAllocated() throws Exception {
        FileVolumeDriver thick = startedDriver("thick-copies", false, VolumeClear.ZERO, 0, Fallocate.system());
        Path directory = root().resolve("thick-copies");
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 1);
        thick.createVolume(volume);
        FileContents.write(directory.resolve("volume-" + volume.id()), 0, PATTERN);
        SnapshotSpec snapshot = new SnapshotSpec(UUID.randomUUID().toString(), volume.id(), 1);
        VolumeSpec clone = new VolumeSpec(UUID.randomUUID().toString(), 2);

        thick.createSnapshot(snapshot);
        thick.cloneVolume(clone, volume.id());
        thick.extendVolume(volume.id(), 2);

        Path volumeFile = directory.resolve("volume-" + volume.id());
        Path snapshotFile = directory.resolve("snapshot-" + snapshot.id());
        Path cloneFile = directory.resolve("volume-" + clone.id());
        assertThat(FileContents.allocatedBytes(volumeFile)).isGreaterThanOrEqualTo(2 * Sizes.GIB);
        assertThat(FileContents.allocatedBytes(snapshotFile)).isGreaterThanOrEqualTo(Sizes.GIB);
        assertThat(FileContents.allocatedBytes(cloneFile)).isGreaterThanOrEqualTo(2 * Sizes.GIB);
        assertThat(FileContents.read(snapshotFile, 0, PATTERN.length)).isEqualTo(PATTERN);
        assertThat(FileContents.read(cloneFile, 0, PATTERN.length)).isEqualTo(PATTERN);
        assertThat(FileContents.read(cloneFile, Sizes.GIB, 4096)).containsOnly(0);
        thick.deleteVolume(clone.id());
        thick.deleteSnapshot(snapshot.id());
        thick.deleteVolume(volume.id());
        assertThat(names(directory)).isEmpty();
    }

    // --- backup bases

    private Path baseFile(String volumeId, String baseId) {
        return directory().resolve("backup-base-" + volumeId + "." + baseId);
    }

    @Test
    void keepsABackupBaseOnlyWhereItSharesExtentsAndTheBaseKeepsThatPointInTime() throws Exception {
        VolumeSpec volume = newVolume(1);
        fileDriver().createVolume(volume);
        byte[] first = pattern(4 * (int) Sizes.MIB);
        FileContents.write(file(volume.id()), Sizes.MIB, first);
        String baseId = UUID.randomUUID().toString();

        Optional<Path> base = fileDriver().keepBackupBase(volume.id(), null, baseId);

        if (!sharesExtents()) {
            assertThat(base).as("no base where it would be a full copy").isEmpty();
            assertThat(fileDriver().backupBases(volume.id())).isEmpty();
            assertThat(names(directory())).containsExactly("volume-" + volume.id());
            return;
        }
        assertThat(base).contains(baseFile(volume.id(), baseId));
        assertThat(FileContents.hasSharedExtents(base.get())).isTrue();
        assertThat(Files.size(base.get())).isEqualTo(Sizes.GIB);
        assertThat(Files.getPosixFilePermissions(base.get())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        FileContents.write(file(volume.id()), Sizes.MIB, PATTERN);
        assertThat(FileContents.read(base.get(), Sizes.MIB, first.length)).isEqualTo(first);
        assertThat(fileDriver().keepBackupBase(volume.id(), null, baseId)).as("idempotent").isEqualTo(base);
        assertThat(FileContents.read(base.get(), Sizes.MIB, first.length)).isEqualTo(first);
        assertThat(fileDriver().backupBase(volume.id(), baseId)).isEqualTo(base);
        assertThat(fileDriver().backupBases(volume.id())).containsExactly(baseId);
        assertThat(fileDriver().report().provisionedCapacityGb()).as("a base is no provisioned capacity").isEqualTo(1.0);
    }

    @Test
    void aBackupBaseOfASnapshotHoldsTheSnapshotsBytes() throws Exception {
        VolumeSpec volume = newVolume(1);
        fileDriver().createVolume(volume);
        FileContents.write(file(volume.id()), 0, PATTERN);
        SnapshotSpec snapshot = newSnapshot(volume);
        fileDriver().createSnapshot(snapshot);
        FileContents.write(file(volume.id()), 0, new byte[PATTERN.length]);
        String baseId = UUID.randomUUID().toString();

        Optional<Path> base = fileDriver().keepBackupBase(volume.id(), snapshot.id(), baseId);

        assertThat(base.isPresent()).isEqualTo(sharesExtents());
        if (base.isPresent()) {
            assertThat(FileContents.read(base.get(), 0, PATTERN.length)).isEqualTo(PATTERN);
            assertThat(fileDriver().backupBases(volume.id())).containsExactly(baseId);
        }
    }

    @Test
    void aDroppedBaseIsGoneButAReaderKeepsItsBytesAndOtherBasesStay() throws Exception {
        VolumeSpec volume = newVolume(1);
        fileDriver().createVolume(volume);
        FileContents.write(file(volume.id()), 0, PATTERN);
        String older = UUID.randomUUID().toString();
        String newer = UUID.randomUUID().toString();
        Optional<Path> base = fileDriver().keepBackupBase(volume.id(), null, older);
        fileDriver().keepBackupBase(volume.id(), null, newer);

        try (FileChannel reader = FileChannel.open(base.orElse(file(volume.id())), StandardOpenOption.READ)) {
            fileDriver().dropBackupBase(volume.id(), older);
            fileDriver().dropBackupBase(volume.id(), older);

            ByteBuffer bytes = ByteBuffer.allocate(PATTERN.length);
            reader.read(bytes, 0);
            assertThat(bytes.array()).isEqualTo(PATTERN);
        }
        assertThat(fileDriver().backupBase(volume.id(), older)).isEmpty();
        assertThat(fileDriver().backupBases(volume.id())).isEqualTo(sharesExtents() ? Set.of(newer) : Set.of());
        assertThat(Files.exists(file(volume.id()))).isTrue();
    }

    @Test
    void deletingAVolumeWipesAndRemovesItsBackupBasesAndNoOtherVolumes() throws Exception {
        VolumeSpec volume = newVolume(1);
        VolumeSpec other = newVolume(1);
        fileDriver().createVolume(volume);
        fileDriver().createVolume(other);
        FileContents.write(file(volume.id()), 0, PATTERN);
        FileContents.write(file(other.id()), 0, PATTERN);
        fileDriver().keepBackupBase(volume.id(), null, UUID.randomUUID().toString());
        fileDriver().keepBackupBase(volume.id(), null, UUID.randomUUID().toString());
        String otherBase = UUID.randomUUID().toString();
        fileDriver().keepBackupBase(other.id(), null, otherBase);

        fileDriver().deleteVolume(volume.id());

        assertThat(fileDriver().backupBases(volume.id())).isEmpty();
        assertThat(names(directory())).containsExactlyInAnyOrderElementsOf(sharesExtents()
                ? List.of("volume-" + other.id(), "backup-base-" + other.id() + "." + otherBase)
                : List.of("volume-" + other.id()));
    }

    @Test
    void startRemovesTheBackupBasesOfVolumesThatAreGone() throws Exception {
        VolumeSpec volume = newVolume(1);
        fileDriver().createVolume(volume);
        String kept = UUID.randomUUID().toString();
        fileDriver().keepBackupBase(volume.id(), null, kept);
        Path orphan = baseFile(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        Files.write(orphan, PATTERN);

        newDriver().start();

        assertThat(Files.exists(orphan)).isFalse();
        assertThat(fileDriver().backupBases(volume.id())).isEqualTo(sharesExtents() ? Set.of(kept) : Set.of());
    }

    @Test
    void keepsNoBackupBaseWhereTheFilesystemRefusesToShareExtents() throws Exception {
        FileVolumeDriver copying = startedDriver("no-bases", true, VolumeClear.ZERO, 0, Fallocate.system(),
                Reflink.UNSUPPORTED);
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 1);
        copying.createVolume(volume);

        assertThat(copying.keepBackupBase(volume.id(), null, UUID.randomUUID().toString())).isEmpty();
        assertThat(names(root().resolve("no-bases"))).containsExactly("volume-" + volume.id());
    }
}
