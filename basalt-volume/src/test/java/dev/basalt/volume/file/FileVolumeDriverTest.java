package dev.basalt.volume.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.volume.driver.Capabilities;
import dev.basalt.volume.driver.DriverCompliance;
import dev.basalt.volume.driver.PoolReport;
import dev.basalt.volume.driver.Sizes;
import dev.basalt.volume.driver.VolumeClear;
import dev.basalt.volume.driver.VolumeDriver;
import dev.basalt.volume.driver.VolumeDriverException;
import dev.basalt.volume.driver.VolumeSpec;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file driver passes {@link DriverCompliance} on a directory of the root filesystem (ext4 here), plus its own tests. */
class FileVolumeDriverTest extends DriverCompliance {
    private static final byte[] PATTERN = pattern(64 * 1024);

    @TempDir
    Path temp;

    private Path directory() {
        return temp.resolve("volumes");
    }

    @Override
    protected VolumeDriver newDriver() {
        return new FileVolumeDriver(FileDriverSettings.defaults(directory()));
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

    private Path file(String volumeId) {
        return directory().resolve("volume-" + volumeId);
    }

    /** A started driver with its own settings, on its own directory. */
    private FileVolumeDriver startedDriver(String name, boolean sparse, VolumeClear clear, long clearSizeMib,
                                           Fallocate fallocate) {
        FileVolumeDriver driver = new FileVolumeDriver(
                new FileDriverSettings(temp.resolve(name), sparse, clear, clearSizeMib, "file-" + name), fallocate);
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
        return Files.createLink(temp.resolve("witness-" + UUID.randomUUID()), volumeFile);
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

        Path file = temp.resolve("thick").resolve("volume-" + volume.id());
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

        Path file = temp.resolve("thick-nofallocate").resolve("volume-" + volume.id());
        assertThat(Files.size(file)).isEqualTo(Sizes.GIB);
        assertThat(FileContents.allocatedBytes(file)).isGreaterThanOrEqualTo(Sizes.GIB);
        thick.deleteVolume(volume.id());
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
        Path file = temp.resolve("nopunch").resolve("volume-" + volume.id());
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
        Path file = temp.resolve("clear-1mib").resolve("volume-" + volume.id());
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
        Path file = temp.resolve("clear-none").resolve("volume-" + volume.id());
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

        assertThat(names(temp.resolve("full"))).isEmpty();
        assertThat(driver.hasVolume(volume.id())).isFalse();
        assertThat(driver.report().provisionedCapacityGb()).isZero();
    }

    @Test
    void startRemovesLeftoverTemporaryFilesAndNothingElse() throws IOException {
        String id = UUID.randomUUID().toString();
        Path directory = temp.resolve("leftovers");
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

        assertThat(Files.isDirectory(temp.resolve("a/b/c"))).isTrue();
        assertThat(driver.report().provisionedCapacityGb()).isZero();
    }

    @Test
    void startSaysClearlyWhenTheDirectoryIsNotADirectory() throws IOException {
        Path file = Files.write(temp.resolve("plain-file"), PATTERN);

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
        Path outside = Files.write(temp.resolve("precious"), PATTERN);
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
    void operationsBeforeStartAreRefused() {
        FileVolumeDriver driver = new FileVolumeDriver(FileDriverSettings.defaults(temp.resolve("unstarted")));
        String id = UUID.randomUUID().toString();

        assertThat(driver.name()).isEqualTo("file");
        assertThatThrownBy(() -> driver.createVolume(new VolumeSpec(id, 1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> driver.deleteVolume(id)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> driver.hasVolume(id)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(driver::report).isInstanceOf(IllegalStateException.class);
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
}
