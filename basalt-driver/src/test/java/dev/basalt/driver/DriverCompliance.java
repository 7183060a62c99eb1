package dev.basalt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link VolumeDriver} must do. A driver's test extends this class, gives a fresh driver
 * on empty storage, and the few hooks below that reach the storage directly (as a host using the
 * volume would), then adds its own tests.
 *
 * <p>The tests of a capability ({@link SnapshotCapable}, {@link CloneCapable}, {@link ExtendCapable},
 * {@link RevertCapable}, {@link ManageCapable})
 * run when the driver has it and are skipped (with the reason) when it has not. A driver that takes
 * snapshots also gives the snapshot hooks ({@link #readSnapshotBytes}, {@link #storedSnapshotSize}).
 *
 * <p>The base starts the driver before each test and deletes the snapshots and volumes its tests
 * made after.
 *
 * <p>It is published in basalt-driver's test-jar: a driver module depends on that
 * ({@code <type>test-jar</type>}, scope test) and runs the suite once per storage it must work on,
 * each subclass giving {@link #newDriver()}, the factory of fresh drivers there (basalt-driver-file
 * runs it on ext4, XFS and btrfs, basalt-driver-rbd on a real Ceph). The hooks that read and write a
 * volume's bytes go through the driver's {@link BlockIoCapable block I/O} unless a test overrides them
 * to reach the storage itself.
 */
public abstract class DriverCompliance {
    private static final int BLOCK = 4096;
    private static final long MIB = Sizes.MIB;
    private static final long GIB = Sizes.GIB;

    private VolumeDriver driver;
    private final Set<String> made = ConcurrentHashMap.newKeySet();
    private final Set<String> madeSnapshots = ConcurrentHashMap.newKeySet();

    /** A new driver on empty storage, not started yet. */
    protected abstract VolumeDriver newDriver() throws Exception;

    /**
     * The size in bytes of the volume as it is stored (the file's length, the image's size, ...). By
     * default through the driver's {@link BlockIoCapable block I/O}; a test may reach the storage itself.
     */
    protected long storedSize(String volumeId) throws Exception {
        try (BlockDevice device = blockIo().open(volumeId)) {
            return device.size();
        }
    }

    /**
     * Writes bytes into the volume at the offset, as a host using the volume would, and makes them
     * durable. By default through the driver's block I/O.
     */
    protected void writeBytes(String volumeId, long offset, byte[] bytes) throws Exception {
        try (BlockDevice device = blockIo().open(volumeId)) {
            device.write(offset, ByteBuffer.wrap(bytes));
            device.flush();
        }
    }

    /** Reads bytes of the volume at the offset, as a host using the volume would. By default through block I/O. */
    protected byte[] readBytes(String volumeId, long offset, int length) throws Exception {
        try (BlockDevice device = blockIo().open(volumeId)) {
            return readFully(device, offset, length);
        }
    }

    /**
     * Reads bytes of the snapshot at the offset, as a host that the snapshot is attached to would
     * (for a backup). By default through block I/O; drivers that are {@link SnapshotCapable} without it
     * override it.
     */
    protected byte[] readSnapshotBytes(String snapshotId, long offset, int length) throws Exception {
        try (BlockDevice device = blockIo().openSnapshot(snapshotId)) {
            return readFully(device, offset, length);
        }
    }

    /** The size in bytes of the snapshot as it is stored. By default through block I/O. */
    protected long storedSnapshotSize(String snapshotId) throws Exception {
        try (BlockDevice device = blockIo().openSnapshot(snapshotId)) {
            return device.size();
        }
    }

    /**
     * Puts storage the driver did not make on its storage, named {@code reference} (a file in its
     * directory, an image in its pool, ...), {@code bytes} long, holding {@code data} at {@code offset}
     * and zeros elsewhere, as an operator's earlier storage would be. The test of every
     * {@link ManageCapable} driver overrides it (the manage tests fail, not skip, when it does not).
     */
    protected void makeUnmanagedStorage(String reference, long bytes, long offset, byte[] data) throws Exception {
        throw new UnsupportedOperationException(getClass().getName() + " must put unmanaged storage on the "
                + driver.name() + " driver's storage (makeUnmanagedStorage): the driver is ManageCapable");
    }

    /** Removes storage that {@link #makeUnmanagedStorage} made, or that an unmanage left, if still there. */
    protected void removeUnmanagedStorage(String reference) throws Exception {
    }

    /**
     * Takes a snapshot of the volume outside the driver, as an operator's earlier tooling would have
     * (it holds the volume's bytes as they are now), named after {@code name} as the driver expects a
     * snapshot of that volume it does not manage to be named; returns its reference. The test of every
     * {@link SnapshotManageCapable} driver overrides it (the snapshot manage tests fail, not skip,
     * when it does not).
     */
    protected String makeUnmanagedSnapshot(String volumeId, String name) throws Exception {
        throw new UnsupportedOperationException(getClass().getName() + " must put an unmanaged snapshot on the "
                + driver.name() + " driver's storage (makeUnmanagedSnapshot): the driver is SnapshotManageCapable");
    }

    /** Removes a snapshot that {@link #makeUnmanagedSnapshot} made, or that an unmanage left, if still there. */
    protected void removeUnmanagedSnapshot(String volumeId, String reference) throws Exception {
    }

    private BlockIoCapable blockIo() {
        if (!(driver instanceof BlockIoCapable blockIo)) {
            throw new UnsupportedOperationException(getClass().getName() + " must reach the storage itself"
                    + " (storedSize, writeBytes, readBytes, ...): the " + driver.name() + " driver has no block I/O");
        }
        return blockIo;
    }

    private static byte[] readFully(BlockDevice device, long offset, int length) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (device.read(offset + buffer.position(), buffer) <= 0) {
                break;
            }
        }
        return java.util.Arrays.copyOf(buffer.array(), buffer.position());
    }

    @BeforeEach
    final void startDriver() throws Exception {
        driver = newDriver();
        driver.start();
    }

    @AfterEach
    final void deleteVolumesMade() {
        if (driver instanceof SnapshotCapable snapshots) {
            for (String id : madeSnapshots) {
                try {
                    snapshots.deleteSnapshot(id);
                } catch (RuntimeException e) {
                    // the test's own assertions matter more than this cleanup
                }
            }
        }
        for (String id : made) {
            try {
                driver.deleteVolume(id);
            } catch (RuntimeException e) {
                // the test's own assertions matter more than this cleanup
            }
        }
    }

    /** The started driver under test. */
    protected final VolumeDriver driver() {
        return driver;
    }

    /** A volume with a new id, deleted after the test. */
    protected final VolumeSpec newVolume(int sizeGib) {
        return volume(UUID.randomUUID().toString(), sizeGib);
    }

    /** A volume with the given id, deleted after the test. */
    protected final VolumeSpec volume(String id, int sizeGib) {
        made.add(id);
        return new VolumeSpec(id, sizeGib);
    }

    /** A snapshot of the volume at its size, with a new id, deleted after the test. */
    protected final SnapshotSpec newSnapshot(VolumeSpec volume) {
        String id = UUID.randomUUID().toString();
        madeSnapshots.add(id);
        return new SnapshotSpec(id, volume.id(), volume.sizeGib());
    }

    /** The driver as {@link SnapshotCapable}; skips the test when it is not. */
    protected final SnapshotCapable snapshots() {
        assumeTrue(driver instanceof SnapshotCapable, () -> "the " + driver.name() + " driver takes no snapshots");
        return (SnapshotCapable) driver;
    }

    /** The driver as {@link CloneCapable}; skips the test when it is not. */
    protected final CloneCapable clones() {
        assumeTrue(driver instanceof CloneCapable, () -> "the " + driver.name() + " driver makes no clones");
        return (CloneCapable) driver;
    }

    /** The driver as {@link BlockIoCapable}; skips the test when it is not. */
    protected final BlockIoCapable devices() {
        assumeTrue(driver instanceof BlockIoCapable, () -> "the " + driver.name() + " driver has no block I/O");
        return (BlockIoCapable) driver;
    }

    /** The driver as {@link SnapshotManageCapable}; skips the test when it is not. */
    protected final SnapshotManageCapable snapshotManager() {
        assumeTrue(driver instanceof SnapshotManageCapable,
                () -> "the " + driver.name() + " driver does not manage snapshots");
        return (SnapshotManageCapable) driver;
    }

    /** The driver as {@link ManageCapable}; skips the test when it is not. */
    protected final ManageCapable manager() {
        assumeTrue(driver instanceof ManageCapable, () -> "the " + driver.name() + " driver does not manage storage");
        return (ManageCapable) driver;
    }

    /** The driver as {@link RevertCapable}; skips the test when it is not. */
    protected final RevertCapable reverter() {
        assumeTrue(driver instanceof RevertCapable, () -> "the " + driver.name() + " driver does not revert volumes");
        return (RevertCapable) driver;
    }

    /** The driver as {@link ExtendCapable}; skips the test when it is not. */
    protected final ExtendCapable extender() {
        assumeTrue(driver instanceof ExtendCapable, () -> "the " + driver.name() + " driver does not extend volumes");
        return (ExtendCapable) driver;
    }

    @Test
    void reportsItsName() {
        assertThat(driver.name()).isNotBlank();
    }

    @Test
    void aCreatedVolumeExists() {
        VolumeSpec volume = newVolume(1);

        driver.createVolume(volume);

        assertThat(driver.hasVolume(volume.id())).isTrue();
    }

    @Test
    void aVolumeNeverCreatedDoesNotExist() {
        assertThat(driver.hasVolume(UUID.randomUUID().toString())).isFalse();
    }

    @Test
    void createIsIdempotent() throws Exception {
        VolumeSpec volume = newVolume(2);
        driver.createVolume(volume);
        double provisioned = driver.report().provisionedCapacityGb();

        driver.createVolume(volume);

        assertThat(driver.hasVolume(volume.id())).isTrue();
        assertThat(storedSize(volume.id())).isEqualTo(2L << 30);
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(provisioned);
    }

    @Test
    void createOverAVolumeOfAnotherSizeFailsAndKeepsIt() throws Exception {
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);

        assertThatThrownBy(() -> driver.createVolume(new VolumeSpec(volume.id(), 2)))
                .isInstanceOf(VolumeDriverException.class);

        assertThat(driver.hasVolume(volume.id())).isTrue();
        assertThat(storedSize(volume.id())).isEqualTo(Sizes.GIB);
    }

    @ParameterizedTest(name = "{0} GiB")
    @ValueSource(ints = {1, 3, 10})
    void aVolumeHasExactlyItsSize(int sizeGib) throws Exception {
        VolumeSpec volume = newVolume(sizeGib);

        driver.createVolume(volume);

        assertThat(storedSize(volume.id())).isEqualTo(sizeGib * Sizes.GIB);
    }

    @Test
    void aNewVolumeReadsAsZeros() throws Exception {
        VolumeSpec volume = newVolume(1);

        driver.createVolume(volume);

        assertThat(readBytes(volume.id(), 0, BLOCK)).containsOnly(0);
        assertThat(readBytes(volume.id(), Sizes.GIB - BLOCK, BLOCK)).containsOnly(0);
    }

    @Test
    void deleteRemovesTheVolume() {
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);

        driver.deleteVolume(volume.id());

        assertThat(driver.hasVolume(volume.id())).isFalse();
    }

    @Test
    void deleteTwiceIsFine() {
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        driver.deleteVolume(volume.id());

        assertThatCode(() -> driver.deleteVolume(volume.id())).doesNotThrowAnyException();
        assertThat(driver.hasVolume(volume.id())).isFalse();
    }

    @Test
    void deleteOfAVolumeNeverCreatedIsFine() {
        double provisioned = driver.report().provisionedCapacityGb();

        assertThatCode(() -> driver.deleteVolume(UUID.randomUUID().toString())).doesNotThrowAnyException();
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(provisioned);
    }

    @Test
    void provisionedCapacityFollowsCreatesAndDeletes() {
        double base = driver.report().provisionedCapacityGb();
        VolumeSpec two = newVolume(2);
        VolumeSpec three = newVolume(3);

        driver.createVolume(two);
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 2);
        driver.createVolume(three);
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 5);
        driver.createVolume(two);
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 5);
        driver.deleteVolume(two.id());
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 3);
        driver.deleteVolume(two.id());
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 3);
        driver.deleteVolume(three.id());
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base);
    }

    @Test
    void reportIsSane() {
        PoolReport report = driver.report();

        assertThat(report.pool()).isNotBlank();
        assertThat(report.totalCapacityGb()).isPositive();
        assertThat(report.freeCapacityGb()).isBetween(0.0, report.totalCapacityGb());
        assertThat(report.provisionedCapacityGb()).isGreaterThanOrEqualTo(0.0);
        Map<String, Object> capabilities = report.capabilities();
        assertThat(capabilities).containsKeys(Capabilities.REQUIRED.toArray(String[]::new));
        assertThat(capabilities.get(Capabilities.VOLUME_BACKEND_NAME)).isInstanceOf(String.class);
        assertThat(capabilities.get(Capabilities.THIN_PROVISIONING_SUPPORT)).isEqualTo(report.thinProvisioning());
        assertThat(capabilities.get(Capabilities.THICK_PROVISIONING_SUPPORT)).isInstanceOf(Boolean.class);
        assertThat(capabilities.get(Capabilities.MULTIATTACH)).isInstanceOf(Boolean.class);
        if (capabilities.containsKey(Capabilities.COPY_ON_WRITE)) {
            assertThat(capabilities.get(Capabilities.COPY_ON_WRITE)).isInstanceOf(Boolean.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../../etc/passwd", "..", "/", "volume-1", "x/../y",
            "6f0e8a8c-1b2d-4c3e-9f4a-5b6c7d8e9f0a/../x", "6f0e8a8c-1b2d-4c3e-9f4a-5b6c7d8e9f0a\n"})
    void idsThatAreNotUuidsAreRefused(String id) {
        assertThatThrownBy(() -> new VolumeSpec(id, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.hasVolume(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.deleteVolume(id)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingIdIsRefused() {
        assertThatThrownBy(() -> new VolumeSpec(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.hasVolume(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.deleteVolume(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void concurrentCreatesAndDeletesLeaveTheDriverConsistent() throws Exception {
        double base = driver.report().provisionedCapacityGb();
        Random random = new Random(20240611L);
        List<VolumeSpec> volumes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            volumes.add(newVolume(1 + random.nextInt(3)));
        }
        int totalGib = volumes.stream().mapToInt(VolumeSpec::sizeGib).sum();

        // every volume created twice, by different threads at about the same time
        List<Callable<Void>> creates = new ArrayList<>();
        for (VolumeSpec volume : volumes) {
            creates.add(() -> { driver.createVolume(volume); return null; });
            creates.add(() -> { driver.createVolume(volume); return null; });
        }
        runAll(creates, random);
        assertThat(volumes).allSatisfy(volume -> {
            assertThat(driver.hasVolume(volume.id())).isTrue();
            assertThat(storedSize(volume.id())).isEqualTo(volume.sizeBytes());
        });
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + totalGib);

        // every volume deleted twice
        List<Callable<Void>> deletes = new ArrayList<>();
        for (VolumeSpec volume : volumes) {
            deletes.add(() -> { driver.deleteVolume(volume.id()); return null; });
            deletes.add(() -> { driver.deleteVolume(volume.id()); return null; });
        }
        runAll(deletes, random);
        assertThat(volumes).noneMatch(volume -> driver.hasVolume(volume.id()));
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base);

        // creates and deletes of the same volumes mixed: whatever is left is counted exactly
        List<Callable<Void>> mixed = new ArrayList<>();
        for (VolumeSpec volume : volumes.subList(0, 20)) {
            for (int i = 0; i < 3; i++) {
                mixed.add(() -> { driver.createVolume(volume); return null; });
                mixed.add(() -> { driver.deleteVolume(volume.id()); return null; });
            }
        }
        runAll(mixed, random);
        int leftGib = 0;
        for (VolumeSpec volume : volumes) {
            if (driver.hasVolume(volume.id())) {
                assertThat(storedSize(volume.id())).isEqualTo(volume.sizeBytes());
                leftGib += volume.sizeGib();
            }
        }
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + leftGib);
    }

    @Test
    void dataOfADeletedVolumeIsNotReadableWhenTheSameIdIsCreatedAgain() throws Exception {
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        byte[] pattern = pattern(64 * 1024);
        long[] offsets = {0, 512L << 20, Sizes.GIB - pattern.length};
        for (long offset : offsets) {
            writeBytes(volume.id(), offset, pattern);
        }
        for (long offset : offsets) {
            assertThat(readBytes(volume.id(), offset, pattern.length)).isEqualTo(pattern);
        }

        driver.deleteVolume(volume.id());
        driver.createVolume(volume);

        for (long offset : offsets) {
            assertThat(readBytes(volume.id(), offset, pattern.length)).containsOnly(0);
        }
    }

    // ---------------------------------------------------------------- snapshots (SnapshotCapable)

    @Test
    void aSnapshotExistsOnceTakenAndNotBefore() throws Exception {
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        SnapshotSpec snapshot = newSnapshot(volume);
        assertThat(driver.hasSnapshot(snapshot.id())).isFalse();

        driver.createSnapshot(snapshot);

        assertThat(driver.hasSnapshot(snapshot.id())).isTrue();
        assertThat(storedSnapshotSize(snapshot.id())).isEqualTo(GIB);
        assertThat(driver.hasVolume(volume.id())).isTrue();
        assertThat(driver.hasVolume(snapshot.id())).isFalse();
    }

    @Test
    void aSnapshotHoldsTheBytesOfTheMomentItWasTaken() throws Exception {
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        byte[] before = pattern(64 * 1024);
        byte[] after = otherPattern(before.length);
        long[] offsets = {0, (300L << 20) + 4096 + 17, GIB - before.length};
        for (long offset : offsets) {
            writeBytes(volume.id(), offset, before);
        }
        SnapshotSpec snapshot = newSnapshot(volume);

        driver.createSnapshot(snapshot);
        for (long offset : offsets) {
            writeBytes(volume.id(), offset, after);
        }

        for (long offset : offsets) {
            assertThat(readSnapshotBytes(snapshot.id(), offset, before.length)).isEqualTo(before);
            assertThat(readBytes(volume.id(), offset, after.length)).isEqualTo(after);
        }
        assertThat(readSnapshotBytes(snapshot.id(), 700L << 20, BLOCK)).containsOnly(0);
    }

    @Test
    void createSnapshotIsIdempotent() throws Exception {
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(2);
        driver.createVolume(volume);
        SnapshotSpec snapshot = newSnapshot(volume);
        writeBytes(volume.id(), 0, pattern(BLOCK));
        driver.createSnapshot(snapshot);
        double provisioned = driver.report().provisionedCapacityGb();
        writeBytes(volume.id(), 0, otherPattern(BLOCK));

        driver.createSnapshot(snapshot);

        assertThat(driver.hasSnapshot(snapshot.id())).isTrue();
        assertThat(storedSnapshotSize(snapshot.id())).isEqualTo(2 * GIB);
        assertThat(readSnapshotBytes(snapshot.id(), 0, BLOCK)).isEqualTo(pattern(BLOCK));
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(provisioned);
    }

    @Test
    void aSnapshotOfAVolumeThatDoesNotExistFailsAndLeavesNothing() {
        SnapshotCapable driver = snapshots();
        double provisioned = driver.report().provisionedCapacityGb();
        SnapshotSpec snapshot = newSnapshot(newVolume(1));

        assertThatThrownBy(() -> driver.createSnapshot(snapshot)).isInstanceOf(VolumeDriverException.class);

        assertThat(driver.hasSnapshot(snapshot.id())).isFalse();
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(provisioned);
    }

    @Test
    void deleteSnapshotRemovesItOnceAndIsFineAfter() {
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);

        driver.deleteSnapshot(snapshot.id());

        assertThat(driver.hasSnapshot(snapshot.id())).isFalse();
        assertThat(driver.hasVolume(volume.id())).isTrue();
        assertThatCode(() -> driver.deleteSnapshot(snapshot.id())).doesNotThrowAnyException();
        assertThatCode(() -> driver.deleteSnapshot(UUID.randomUUID().toString())).doesNotThrowAnyException();
        assertThat(driver.hasSnapshot(snapshot.id())).isFalse();
    }

    @Test
    void provisionedCapacityCountsSnapshots() {
        SnapshotCapable driver = snapshots();
        double base = driver.report().provisionedCapacityGb();
        VolumeSpec volume = newVolume(2);
        driver.createVolume(volume);
        SnapshotSpec first = newSnapshot(volume);
        SnapshotSpec second = newSnapshot(volume);

        driver.createSnapshot(first);
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 4);
        driver.createSnapshot(first);
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 4);
        driver.createSnapshot(second);
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 6);
        driver.deleteVolume(volume.id());
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 4);
        driver.deleteSnapshot(first.id());
        driver.deleteSnapshot(first.id());
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 2);
        driver.deleteSnapshot(second.id());
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base);
    }

    @Test
    void deletingAVolumeLeavesItsSnapshotsIntact() throws Exception {
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        ExpectedImage expected = new ExpectedImage(GIB);
        write(volume.id(), expected, 0, pattern((int) MIB));
        write(volume.id(), expected, 333 * MIB + 5, pattern(64 * 1024));
        write(volume.id(), expected, GIB - MIB, pattern((int) MIB));
        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);

        driver.deleteVolume(volume.id());

        assertThat(driver.hasVolume(volume.id())).isFalse();
        assertThat(driver.hasSnapshot(snapshot.id())).isTrue();
        assertSnapshotHolds(snapshot.id(), expected);
    }

    @Test
    void deletingASnapshotLeavesItsVolumeAndOtherSnapshotsIntact() throws Exception {
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        ExpectedImage expected = new ExpectedImage(GIB);
        write(volume.id(), expected, 0, pattern((int) MIB));
        write(volume.id(), expected, GIB - 64 * 1024, pattern(64 * 1024));
        SnapshotSpec first = newSnapshot(volume);
        SnapshotSpec second = newSnapshot(volume);
        driver.createSnapshot(first);
        driver.createSnapshot(second);

        driver.deleteSnapshot(first.id());

        assertThat(driver.hasSnapshot(first.id())).isFalse();
        assertVolumeHolds(volume.id(), expected);
        assertSnapshotHolds(second.id(), expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../../etc/passwd", "..", "/", "snapshot-1", "x/../y",
            "6f0e8a8c-1b2d-4c3e-9f4a-5b6c7d8e9f0a/../x", "6f0e8a8c-1b2d-4c3e-9f4a-5b6c7d8e9f0a\n"})
    void snapshotIdsThatAreNotUuidsAreRefused(String id) {
        SnapshotCapable driver = snapshots();
        String volumeId = UUID.randomUUID().toString();

        assertThatThrownBy(() -> new SnapshotSpec(id, volumeId, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SnapshotSpec(volumeId, id, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.hasSnapshot(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.deleteSnapshot(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.hasSnapshot(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.deleteSnapshot(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void concurrentSnapshotsAndDeletesLeaveTheDriverConsistent() throws Exception {
        SnapshotCapable driver = snapshots();
        double base = driver.report().provisionedCapacityGb();
        Random random = new Random(20240612L);
        List<VolumeSpec> volumes = List.of(newVolume(1), newVolume(2), newVolume(3));
        volumes.forEach(driver::createVolume);
        List<SnapshotSpec> snapshots = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            snapshots.add(newSnapshot(volumes.get(i % volumes.size())));
        }
        int snapshotGib = snapshots.stream().mapToInt(SnapshotSpec::volumeSizeGib).sum();

        // every snapshot taken twice, by different threads at about the same time
        List<Callable<Void>> creates = new ArrayList<>();
        for (SnapshotSpec snapshot : snapshots) {
            creates.add(() -> { driver.createSnapshot(snapshot); return null; });
            creates.add(() -> { driver.createSnapshot(snapshot); return null; });
        }
        runAll(creates, random);
        assertThat(snapshots).allSatisfy(snapshot -> {
            assertThat(driver.hasSnapshot(snapshot.id())).isTrue();
            assertThat(storedSnapshotSize(snapshot.id())).isEqualTo(snapshot.sizeBytes());
        });
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 6 + snapshotGib);

        // every snapshot deleted twice
        List<Callable<Void>> mixed = new ArrayList<>();
        for (SnapshotSpec snapshot : snapshots) {
            mixed.add(() -> { driver.deleteSnapshot(snapshot.id()); return null; });
            mixed.add(() -> { driver.deleteSnapshot(snapshot.id()); return null; });
        }
        runAll(mixed, random);
        assertThat(snapshots).noneMatch(snapshot -> driver.hasSnapshot(snapshot.id()));
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 6);
    }

    // ---------------------------------------------------------------- clones (CloneCapable)

    @Test
    void aVolumeFromASnapshotHasItsBytesAndItsOwnSize() throws Exception {
        CloneCapable clones = clones();
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        byte[] bytes = pattern(64 * 1024);
        writeBytes(volume.id(), 0, bytes);
        writeBytes(volume.id(), GIB - bytes.length, bytes);
        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);
        writeBytes(volume.id(), 0, otherPattern(bytes.length));
        VolumeSpec same = newVolume(1);
        VolumeSpec larger = newVolume(3);

        clones.createVolumeFromSnapshot(same, snapshot.id());
        clones.createVolumeFromSnapshot(larger, snapshot.id());

        for (VolumeSpec copy : List.of(same, larger)) {
            assertThat(driver.hasVolume(copy.id())).isTrue();
            assertThat(storedSize(copy.id())).isEqualTo(copy.sizeBytes());
            assertThat(readBytes(copy.id(), 0, bytes.length)).isEqualTo(bytes);
            assertThat(readBytes(copy.id(), GIB - bytes.length, bytes.length)).isEqualTo(bytes);
        }
        assertThat(readBytes(larger.id(), GIB, BLOCK)).containsOnly(0);
        assertThat(readBytes(larger.id(), 2 * GIB + 12345, BLOCK)).containsOnly(0);
        assertThat(readBytes(larger.id(), 3 * GIB - BLOCK, BLOCK)).containsOnly(0);
        assertThat(driver.hasSnapshot(snapshot.id())).isTrue();
    }

    @Test
    void aVolumeFromASnapshotMayNotBeSmallerThanTheSnapshot() {
        CloneCapable clones = clones();
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(2);
        driver.createVolume(volume);
        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);
        double provisioned = driver.report().provisionedCapacityGb();
        VolumeSpec smaller = newVolume(1);

        assertThatThrownBy(() -> clones.createVolumeFromSnapshot(smaller, snapshot.id()))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(driver.hasVolume(smaller.id())).isFalse();
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(provisioned);
    }

    @Test
    void aVolumeFromASnapshotThatDoesNotExistFailsAndLeavesNothing() {
        CloneCapable clones = clones();
        double provisioned = driver.report().provisionedCapacityGb();
        VolumeSpec volume = newVolume(1);

        assertThatThrownBy(() -> clones.createVolumeFromSnapshot(volume, UUID.randomUUID().toString()))
                .isInstanceOf(VolumeDriverException.class);

        assertThat(driver.hasVolume(volume.id())).isFalse();
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(provisioned);
    }

    @Test
    void createVolumeFromSnapshotIsIdempotent() throws Exception {
        CloneCapable clones = clones();
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        writeBytes(volume.id(), 0, pattern(BLOCK));
        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);
        VolumeSpec copy = newVolume(2);
        clones.createVolumeFromSnapshot(copy, snapshot.id());
        writeBytes(copy.id(), BLOCK, otherPattern(BLOCK));
        double provisioned = driver.report().provisionedCapacityGb();

        clones.createVolumeFromSnapshot(copy, snapshot.id());

        assertThat(storedSize(copy.id())).isEqualTo(2 * GIB);
        assertThat(readBytes(copy.id(), 0, BLOCK)).isEqualTo(pattern(BLOCK));
        assertThat(readBytes(copy.id(), BLOCK, BLOCK)).isEqualTo(otherPattern(BLOCK));
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(provisioned);
        assertThatThrownBy(() -> clones.createVolumeFromSnapshot(new VolumeSpec(copy.id(), 3), snapshot.id()))
                .isInstanceOf(VolumeDriverException.class);
        assertThat(storedSize(copy.id())).isEqualTo(2 * GIB);
    }

    @Test
    void aCloneHasItsSourcesBytesAndItsOwnSize() throws Exception {
        CloneCapable driver = clones();
        VolumeSpec source = newVolume(1);
        driver.createVolume(source);
        byte[] bytes = pattern(64 * 1024);
        writeBytes(source.id(), 0, bytes);
        writeBytes(source.id(), GIB - bytes.length, bytes);
        VolumeSpec same = newVolume(1);
        VolumeSpec larger = newVolume(2);

        driver.cloneVolume(same, source.id());
        driver.cloneVolume(larger, source.id());

        for (VolumeSpec clone : List.of(same, larger)) {
            assertThat(driver.hasVolume(clone.id())).isTrue();
            assertThat(storedSize(clone.id())).isEqualTo(clone.sizeBytes());
            assertThat(readBytes(clone.id(), 0, bytes.length)).isEqualTo(bytes);
            assertThat(readBytes(clone.id(), GIB - bytes.length, bytes.length)).isEqualTo(bytes);
        }
        assertThat(readBytes(larger.id(), GIB, BLOCK)).containsOnly(0);
        assertThat(readBytes(larger.id(), 2 * GIB - BLOCK, BLOCK)).containsOnly(0);
        assertThat(storedSize(source.id())).isEqualTo(GIB);
    }

    @Test
    void aCloneMayNotBeSmallerThanItsSourceNorBeItsSource() throws Exception {
        CloneCapable driver = clones();
        VolumeSpec source = newVolume(2);
        driver.createVolume(source);
        double provisioned = driver.report().provisionedCapacityGb();
        VolumeSpec smaller = newVolume(1);

        assertThatThrownBy(() -> driver.cloneVolume(smaller, source.id())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.cloneVolume(source, source.id())).isInstanceOf(IllegalArgumentException.class);

        assertThat(driver.hasVolume(smaller.id())).isFalse();
        assertThat(storedSize(source.id())).isEqualTo(2 * GIB);
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(provisioned);
    }

    @Test
    void aCloneOfAVolumeThatDoesNotExistFailsAndLeavesNothing() {
        CloneCapable driver = clones();
        double provisioned = driver.report().provisionedCapacityGb();
        VolumeSpec clone = newVolume(1);

        assertThatThrownBy(() -> driver.cloneVolume(clone, UUID.randomUUID().toString()))
                .isInstanceOf(VolumeDriverException.class);

        assertThat(driver.hasVolume(clone.id())).isFalse();
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(provisioned);
    }

    @Test
    void cloneIsIdempotent() throws Exception {
        CloneCapable driver = clones();
        VolumeSpec source = newVolume(1);
        driver.createVolume(source);
        writeBytes(source.id(), 0, pattern(BLOCK));
        VolumeSpec clone = newVolume(1);
        driver.cloneVolume(clone, source.id());
        writeBytes(clone.id(), 0, otherPattern(BLOCK));
        double provisioned = driver.report().provisionedCapacityGb();

        driver.cloneVolume(clone, source.id());

        assertThat(readBytes(clone.id(), 0, BLOCK)).isEqualTo(otherPattern(BLOCK));
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(provisioned);
    }

    @Test
    void writesNeverCrossBetweenACopyAndItsSource() throws Exception {
        CloneCapable clones = clones();
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        byte[] bytes = pattern(64 * 1024);
        byte[] other = otherPattern(bytes.length);
        long middle = 512 * MIB;
        for (long offset : new long[] {0, middle, GIB - bytes.length}) {
            writeBytes(volume.id(), offset, bytes);
        }
        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);
        VolumeSpec fromSnapshot = newVolume(1);
        clones.createVolumeFromSnapshot(fromSnapshot, snapshot.id());
        VolumeSpec clone = newVolume(1);
        clones.cloneVolume(clone, volume.id());

        writeBytes(clone.id(), 0, other);
        writeBytes(volume.id(), GIB - bytes.length, other);
        writeBytes(fromSnapshot.id(), middle, other);

        assertThat(readBytes(volume.id(), 0, bytes.length)).isEqualTo(bytes);
        assertThat(readBytes(volume.id(), middle, bytes.length)).isEqualTo(bytes);
        assertThat(readBytes(clone.id(), GIB - bytes.length, bytes.length)).isEqualTo(bytes);
        assertThat(readBytes(clone.id(), middle, bytes.length)).isEqualTo(bytes);
        assertThat(readBytes(fromSnapshot.id(), 0, bytes.length)).isEqualTo(bytes);
        assertThat(readBytes(fromSnapshot.id(), GIB - bytes.length, bytes.length)).isEqualTo(bytes);
        for (long offset : new long[] {0, middle, GIB - bytes.length}) {
            assertThat(readSnapshotBytes(snapshot.id(), offset, bytes.length)).isEqualTo(bytes);
        }
    }

    @Test
    void deletingTheSourceOfACopyLeavesTheCopyIntact() throws Exception {
        CloneCapable clones = clones();
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        ExpectedImage expected = new ExpectedImage(GIB);
        write(volume.id(), expected, 0, pattern((int) MIB));
        write(volume.id(), expected, GIB - 3 * MIB, pattern(3 * (int) MIB));
        VolumeSpec clone = newVolume(1);
        clones.cloneVolume(clone, volume.id());
        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);
        VolumeSpec fromSnapshot = newVolume(1);
        clones.createVolumeFromSnapshot(fromSnapshot, snapshot.id());

        driver.deleteVolume(volume.id());
        driver.deleteSnapshot(snapshot.id());

        assertVolumeHolds(clone.id(), expected);
        assertVolumeHolds(fromSnapshot.id(), expected);
    }

    @Test
    void provisionedCapacityCountsCopies() {
        CloneCapable clones = clones();
        SnapshotCapable driver = snapshots();
        double base = driver.report().provisionedCapacityGb();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);
        VolumeSpec fromSnapshot = newVolume(2);
        VolumeSpec clone = newVolume(3);

        clones.createVolumeFromSnapshot(fromSnapshot, snapshot.id());
        clones.cloneVolume(clone, volume.id());

        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 1 + 1 + 2 + 3);
        driver.deleteVolume(clone.id());
        driver.deleteVolume(fromSnapshot.id());
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../../etc/passwd", "..", "/", "volume-1", "6f0e8a8c-1b2d-4c3e-9f4a-5b6c7d8e9f0a/../x"})
    void copiesRefuseSourceIdsThatAreNotUuids(String id) {
        CloneCapable driver = clones();
        VolumeSpec volume = newVolume(1);

        assertThatThrownBy(() -> driver.cloneVolume(volume, id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.createVolumeFromSnapshot(volume, id))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.cloneVolume(volume, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(driver.hasVolume(volume.id())).isFalse();
    }

    // ---------------------------------------------------------------- revert (RevertCapable)

    @Test
    void revertMakesTheVolumeHoldItsSnapshotsBytesAgainAndEverySnapshotStays() throws Exception {
        RevertCapable driver = reverter();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        ExpectedImage first = new ExpectedImage(GIB);
        write(volume.id(), first, 0, pattern(64 * 1024));
        write(volume.id(), first, GIB - BLOCK, pattern(BLOCK));
        SnapshotSpec older = newSnapshot(volume);
        driver.createSnapshot(older);
        ExpectedImage second = first.grownTo(GIB);
        write(volume.id(), second, 4 * MIB, otherPattern(64 * 1024));
        SnapshotSpec latest = newSnapshot(volume);
        driver.createSnapshot(latest);
        ExpectedImage changed = second.grownTo(GIB);
        write(volume.id(), changed, 0, otherPattern(BLOCK));
        write(volume.id(), changed, 512 * MIB, pattern(BLOCK));

        driver.revertToSnapshot(latest);

        assertVolumeHolds(volume.id(), second);
        assertSnapshotHolds(latest.id(), second);
        assertSnapshotHolds(older.id(), first);
        driver.revertToSnapshot(latest);
        assertVolumeHolds(volume.id(), second);

        writeBytes(volume.id(), 8 * MIB, pattern(BLOCK));
        assertSnapshotHolds(latest.id(), second);
        driver.revertToSnapshot(older);
        assertVolumeHolds(volume.id(), first);
        assertSnapshotHolds(older.id(), first);
    }

    @Test
    void revertOfAnExtendedVolumeKeepsItsSizeAndTheRestReadsZeros() throws Exception {
        RevertCapable driver = reverter();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        ExpectedImage image = new ExpectedImage(GIB);
        write(volume.id(), image, 0, pattern(64 * 1024));
        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);
        extender().extendVolume(volume.id(), 2);
        writeBytes(volume.id(), GIB + 4 * MIB, pattern(BLOCK));
        writeBytes(volume.id(), 0, otherPattern(BLOCK));

        driver.revertToSnapshot(snapshot);

        assertVolumeHolds(volume.id(), image.grownTo(2 * GIB));
        assertSnapshotHolds(snapshot.id(), image);
    }

    @Test
    void revertFailsWhenTheVolumeOrTheSnapshotIsMissing() throws Exception {
        RevertCapable driver = reverter();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        writeBytes(volume.id(), 0, pattern(BLOCK));
        SnapshotSpec missing = newSnapshot(volume);

        assertThatThrownBy(() -> driver.revertToSnapshot(missing)).isInstanceOf(VolumeDriverException.class);
        assertThat(readBytes(volume.id(), 0, BLOCK)).isEqualTo(pattern(BLOCK));

        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);
        driver.deleteVolume(volume.id());
        assertThatThrownBy(() -> driver.revertToSnapshot(snapshot)).isInstanceOf(VolumeDriverException.class);
        assertThat(driver.hasVolume(volume.id())).isFalse();
    }

    // ---------------------------------------------------------------- manage (ManageCapable)

    @Test
    void manageAdoptsStorageAsAVolumeOfWholeGibWithItsBytesAndUnmanageLetsItGoKeepingThem() throws Exception {
        ManageCapable driver = manager();
        VolumeSpec known = newVolume(1);
        driver.createVolume(known);
        String legacy = "legacy-" + UUID.randomUUID();
        String kept = null;
        makeUnmanagedStorage(legacy, GIB + GIB / 2, GIB + BLOCK, pattern(BLOCK));
        try {
            assertThat(driver.manageableVolumes(Set.of(known.id())))
                    .contains(new ManageCapable.ManageableVolume(legacy, 2, true, null, null, null))
                    .anySatisfy(v -> {
                        assertThat(v.cinderId()).isEqualTo(known.id());
                        assertThat(v.safeToManage()).isFalse();
                        assertThat(v.reasonNotSafe()).isEqualTo("already managed");
                    });
            assertThat(driver.manageableSize(legacy)).as("rounded up to whole GiB").isEqualTo(2);

            VolumeSpec adopted = newVolume(2);
            assertThat(driver.manageExisting(adopted.id(), legacy)).isEqualTo(2);
            assertThat(driver.manageExisting(adopted.id(), legacy)).as("done again: nothing more").isEqualTo(2);
            assertThat(driver.hasVolume(adopted.id())).isTrue();
            assertThat(storedSize(adopted.id())).isEqualTo(2 * GIB);
            assertThat(readBytes(adopted.id(), GIB + BLOCK, BLOCK)).isEqualTo(pattern(BLOCK));
            assertThat(readBytes(adopted.id(), GIB + GIB / 2, BLOCK)).as("grown with zeros").containsOnly(0);
            assertThat(driver.manageableVolumes(Set.of(known.id(), adopted.id())))
                    .noneMatch(v -> v.reference().equals(legacy))
                    .anyMatch(v -> adopted.id().equals(v.cinderId()) && !v.safeToManage());

            Set<String> before = references(driver.manageableVolumes(Set.of(known.id())));
            driver.unmanage(adopted.id());
            driver.unmanage(adopted.id());
            assertThat(driver.hasVolume(adopted.id())).isFalse();
            List<ManageCapable.ManageableVolume> after = driver.manageableVolumes(Set.of(known.id()));
            List<ManageCapable.ManageableVolume> left = after.stream()
                    .filter(v -> !before.contains(v.reference())).toList();
            assertThat(left).as("the unmanaged volume is listed again, safe to manage").singleElement()
                    .satisfies(v -> {
                        assertThat(v.sizeGib()).isEqualTo(2);
                        assertThat(v.safeToManage()).isTrue();
                    });
            kept = left.get(0).reference();

            VolumeSpec again = newVolume(2);
            assertThat(driver.manageExisting(again.id(), kept)).isEqualTo(2);
            kept = null;
            assertThat(readBytes(again.id(), GIB + BLOCK, BLOCK)).as("the bytes were kept").isEqualTo(pattern(BLOCK));
        } finally {
            removeUnmanagedStorage(legacy);
            if (kept != null) {
                removeUnmanagedStorage(kept);
            }
        }
    }

    @Test
    void manageRefusesAMissingReferenceAndAnIdTakenAndTouchesNothing() throws Exception {
        ManageCapable driver = manager();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        String missing = "missing-" + UUID.randomUUID();
        VolumeSpec other = newVolume(1);
        assertThatThrownBy(() -> driver.manageableSize(missing)).isInstanceOf(ManageCapable.InvalidReferenceException.class);
        assertThatThrownBy(() -> driver.manageExisting(other.id(), missing))
                .isInstanceOf(ManageCapable.InvalidReferenceException.class);
        assertThat(driver.hasVolume(other.id())).isFalse();

        String foreign = "foreign-" + UUID.randomUUID();
        makeUnmanagedStorage(foreign, GIB, 0, pattern(BLOCK));
        try {
            assertThatThrownBy(() -> driver.manageExisting(volume.id(), foreign)).as("the id is taken")
                    .isInstanceOf(ManageCapable.InvalidReferenceException.class);
            assertThat(readBytes(volume.id(), 0, BLOCK)).containsOnly(0);
            assertThat(references(driver.manageableVolumes(Set.of(volume.id())))).contains(foreign);
        } finally {
            removeUnmanagedStorage(foreign);
        }
    }

    private static Set<String> references(List<ManageCapable.ManageableVolume> volumes) {
        Set<String> references = new java.util.HashSet<>();
        volumes.forEach(v -> references.add(v.reference()));
        return references;
    }

    // ---------------------------------------------------------------- manage snapshots (SnapshotManageCapable)

    @Test
    void manageSnapshotAdoptsASnapshotOfItsVolumeWithItsBytesAndUnmanageLetsItGoKeepingThem() throws Exception {
        SnapshotManageCapable driver = snapshotManager();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        writeBytes(volume.id(), BLOCK, pattern(BLOCK));
        String legacy = makeUnmanagedSnapshot(volume.id(), "legacy-" + UUID.randomUUID());
        String kept = null;
        try {
            writeBytes(volume.id(), BLOCK, otherPattern(BLOCK));
            String volumeReference = manager().manageableVolumes(Set.of(volume.id())).stream()
                    .filter(v -> volume.id().equals(v.cinderId())).findFirst().orElseThrow().reference();
            assertThat(driver.manageableSnapshots(Map.of())).contains(new SnapshotManageCapable.ManageableSnapshot(
                    legacy, 1, true, null, null, null, volumeReference));
            assertThat(driver.manageableSnapshotSize(volume.id(), legacy)).isEqualTo(1);

            String adopted = UUID.randomUUID().toString();
            assertThat(driver.manageExistingSnapshot(adopted, volume.id(), legacy)).isEqualTo(1);
            assertThat(driver.manageExistingSnapshot(adopted, volume.id(), legacy)).as("done again: nothing more")
                    .isEqualTo(1);
            assertThat(driver.hasSnapshot(adopted)).isTrue();
            assertThat(readSnapshotBytes(adopted, BLOCK, BLOCK)).as("the snapshot's bytes").isEqualTo(pattern(BLOCK));
            assertThat(readBytes(volume.id(), BLOCK, BLOCK)).as("the volume's own").isEqualTo(otherPattern(BLOCK));
            assertThat(driver.manageableSnapshots(Map.of(adopted, volume.id())))
                    .noneMatch(s -> s.reference().equals(legacy))
                    .anySatisfy(s -> {
                        assertThat(s.cinderId()).isEqualTo(adopted);
                        assertThat(s.safeToManage()).isFalse();
                        assertThat(s.reasonNotSafe()).isEqualTo("already managed");
                        assertThat(s.sourceReference()).isEqualTo(volumeReference);
                    });

            driver.unmanageSnapshot(adopted, volume.id());
            driver.unmanageSnapshot(adopted, volume.id());
            assertThat(driver.hasSnapshot(adopted)).isFalse();
            List<SnapshotManageCapable.ManageableSnapshot> left = driver.manageableSnapshots(Map.of()).stream()
                    .filter(s -> s.sourceReference().equals(volumeReference)).toList();
            assertThat(left).as("the unmanaged snapshot is listed again, safe to manage").singleElement()
                    .satisfies(s -> {
                        assertThat(s.sizeGib()).isEqualTo(1);
                        assertThat(s.safeToManage()).isTrue();
                    });
            kept = left.get(0).reference();

            String again = UUID.randomUUID().toString();
            assertThat(driver.manageExistingSnapshot(again, volume.id(), kept)).isEqualTo(1);
            kept = null;
            assertThat(readSnapshotBytes(again, BLOCK, BLOCK)).as("the bytes were kept").isEqualTo(pattern(BLOCK));
            driver.deleteSnapshot(again);
            assertThat(driver.hasSnapshot(again)).isFalse();
        } finally {
            removeUnmanagedSnapshot(volume.id(), legacy);
            if (kept != null) {
                removeUnmanagedSnapshot(volume.id(), kept);
            }
        }
    }

    @Test
    void manageSnapshotRefusesAMissingReferenceAnotherVolumesSnapshotAndAnIdTaken() throws Exception {
        SnapshotManageCapable driver = snapshotManager();
        VolumeSpec volume = newVolume(1);
        VolumeSpec other = newVolume(1);
        driver.createVolume(volume);
        driver.createVolume(other);
        String missing = "missing-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        assertThatThrownBy(() -> driver.manageableSnapshotSize(volume.id(), missing))
                .isInstanceOf(ManageCapable.InvalidReferenceException.class);
        assertThatThrownBy(() -> driver.manageExistingSnapshot(id, volume.id(), missing))
                .isInstanceOf(ManageCapable.InvalidReferenceException.class);

        String legacy = makeUnmanagedSnapshot(volume.id(), "legacy-" + UUID.randomUUID());
        try {
            assertThatThrownBy(() -> driver.manageableSnapshotSize(other.id(), legacy)).as("not the other's")
                    .isInstanceOf(ManageCapable.InvalidReferenceException.class);
            assertThatThrownBy(() -> driver.manageExistingSnapshot(id, other.id(), legacy))
                    .isInstanceOf(ManageCapable.InvalidReferenceException.class);
            assertThat(driver.hasSnapshot(id)).isFalse();
            SnapshotSpec taken = newSnapshot(volume);
            driver.createSnapshot(taken);
            assertThatThrownBy(() -> driver.manageExistingSnapshot(taken.id(), volume.id(), legacy))
                    .as("the id is taken").isInstanceOf(ManageCapable.InvalidReferenceException.class);
            assertThat(driver.manageableSnapshots(Map.of(taken.id(), volume.id())))
                    .anyMatch(s -> s.reference().equals(legacy) && s.safeToManage());
            driver.deleteSnapshot(taken.id());
        } finally {
            removeUnmanagedSnapshot(volume.id(), legacy);
        }
    }

    // ---------------------------------------------------------------- extend (ExtendCapable)

    @Test
    void extendGrowsTheVolumeKeepsItsBytesAndTheNewSpaceReadsZeros() throws Exception {
        ExtendCapable driver = extender();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        byte[] bytes = pattern(64 * 1024);
        writeBytes(volume.id(), 0, bytes);
        writeBytes(volume.id(), GIB - bytes.length, bytes);

        driver.extendVolume(volume.id(), 3);

        assertThat(storedSize(volume.id())).isEqualTo(3 * GIB);
        assertThat(readBytes(volume.id(), 0, bytes.length)).isEqualTo(bytes);
        assertThat(readBytes(volume.id(), GIB - bytes.length, bytes.length)).isEqualTo(bytes);
        assertThat(readBytes(volume.id(), GIB, BLOCK)).containsOnly(0);
        assertThat(readBytes(volume.id(), 3 * GIB - BLOCK, BLOCK)).containsOnly(0);
        writeBytes(volume.id(), 3 * GIB - bytes.length, bytes);
        assertThat(readBytes(volume.id(), 3 * GIB - bytes.length, bytes.length)).isEqualTo(bytes);
    }

    @Test
    void extendToTheSizeTheVolumeHasChangesNothing() throws Exception {
        ExtendCapable driver = extender();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        driver.extendVolume(volume.id(), 2);
        writeBytes(volume.id(), GIB, pattern(BLOCK));
        double provisioned = driver.report().provisionedCapacityGb();

        driver.extendVolume(volume.id(), 2);

        assertThat(storedSize(volume.id())).isEqualTo(2 * GIB);
        assertThat(readBytes(volume.id(), GIB, BLOCK)).isEqualTo(pattern(BLOCK));
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(provisioned);
    }

    @Test
    void extendNeverShrinks() throws Exception {
        ExtendCapable driver = extender();
        VolumeSpec volume = newVolume(3);
        driver.createVolume(volume);
        writeBytes(volume.id(), 3 * GIB - BLOCK, pattern(BLOCK));

        assertThatThrownBy(() -> driver.extendVolume(volume.id(), 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.extendVolume(volume.id(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.extendVolume(volume.id(), -1)).isInstanceOf(IllegalArgumentException.class);

        assertThat(storedSize(volume.id())).isEqualTo(3 * GIB);
        assertThat(readBytes(volume.id(), 3 * GIB - BLOCK, BLOCK)).isEqualTo(pattern(BLOCK));
    }

    @Test
    void extendOfAVolumeThatDoesNotExistFails() {
        ExtendCapable driver = extender();
        String id = UUID.randomUUID().toString();

        assertThatThrownBy(() -> driver.extendVolume(id, 2)).isInstanceOf(VolumeDriverException.class);

        assertThat(driver.hasVolume(id)).isFalse();
        assertThatThrownBy(() -> driver.extendVolume("../x", 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> driver.extendVolume(null, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void provisionedCapacityFollowsExtend() {
        ExtendCapable driver = extender();
        double base = driver.report().provisionedCapacityGb();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);

        driver.extendVolume(volume.id(), 4);

        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base + 4);
        driver.deleteVolume(volume.id());
        assertThat(driver.report().provisionedCapacityGb()).isEqualTo(base);
    }

    @Test
    void extendLeavesSnapshotsAsTheyWere() throws Exception {
        ExtendCapable extender = extender();
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        writeBytes(volume.id(), GIB - BLOCK, pattern(BLOCK));
        SnapshotSpec before = newSnapshot(volume);
        driver.createSnapshot(before);

        extender.extendVolume(volume.id(), 2);
        writeBytes(volume.id(), GIB, otherPattern(BLOCK));

        assertThat(storedSnapshotSize(before.id())).isEqualTo(GIB);
        assertThat(readSnapshotBytes(before.id(), GIB - BLOCK, BLOCK)).isEqualTo(pattern(BLOCK));
        assertThatThrownBy(() -> driver.createSnapshot(newSnapshot(volume))).isInstanceOf(VolumeDriverException.class);
        SnapshotSpec after = newSnapshot(new VolumeSpec(volume.id(), 2));
        driver.createSnapshot(after);
        assertThat(storedSnapshotSize(after.id())).isEqualTo(2 * GIB);
        assertThat(readSnapshotBytes(after.id(), GIB, BLOCK)).isEqualTo(otherPattern(BLOCK));
    }

    // ---------------------------------------------------------------- block I/O (BlockIoCapable)

    @Test
    void aDeviceHasTheVolumesSizeAndReadsBackWhatWasWritten() throws Exception {
        BlockIoCapable driver = devices();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        byte[] bytes = pattern(64 * 1024);

        try (BlockDevice device = driver.open(volume.id())) {
            assertThat(device.size()).isEqualTo(GIB);
            assertThat(device.readOnly()).isFalse();
            ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            device.write(GIB - bytes.length, direct);
            assertThat(direct.hasRemaining()).isFalse();
            device.write(12345, ByteBuffer.wrap(bytes));
            device.flush();

            ByteBuffer read = ByteBuffer.allocateDirect(bytes.length);
            assertThat(device.read(GIB - bytes.length, read)).isEqualTo(bytes.length);
            byte[] back = new byte[bytes.length];
            read.flip().get(back);
            assertThat(back).isEqualTo(bytes);
            ByteBuffer pastTheEnd = ByteBuffer.allocate(2 * BLOCK);
            assertThat(device.read(GIB - BLOCK, pastTheEnd)).isEqualTo(BLOCK);
            assertThat(device.read(GIB, ByteBuffer.allocate(BLOCK))).isEqualTo(-1);
        }
        assertThat(readBytes(volume.id(), 12345, bytes.length)).isEqualTo(bytes);
        assertThat(readBytes(volume.id(), GIB - bytes.length, bytes.length)).isEqualTo(bytes);
    }

    @Test
    void aDeviceRefusesWritesPastItsEndAndKeepsItsSize() throws Exception {
        BlockIoCapable driver = devices();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);

        try (BlockDevice device = driver.open(volume.id())) {
            assertThatThrownBy(() -> device.write(GIB - BLOCK, ByteBuffer.wrap(pattern(2 * BLOCK))))
                    .isInstanceOf(java.io.IOException.class);
            assertThat(device.size()).isEqualTo(GIB);
        }
        assertThat(storedSize(volume.id())).isEqualTo(GIB);
    }

    @Test
    void discardMakesTheRangeReadAsZeros() throws Exception {
        BlockIoCapable driver = devices();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        byte[] bytes = pattern(8 * (int) MIB);
        writeBytes(volume.id(), 0, bytes);

        try (BlockDevice device = driver.open(volume.id())) {
            device.discard(4 * MIB, 4 * MIB);
            device.discard(GIB - MIB, 2 * MIB);
            device.discard(1024, 512);                    // a block, as a host's UNMAP may ask: no alignment at all
            device.flush();
        }

        byte[] head = java.util.Arrays.copyOf(bytes, (int) (4 * MIB));
        java.util.Arrays.fill(head, 1024, 1536, (byte) 0);
        assertThat(readBytes(volume.id(), 0, (int) (4 * MIB))).isEqualTo(head);
        assertThat(readBytes(volume.id(), 4 * MIB, (int) (4 * MIB))).containsOnly(0);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void manyThreadsReadAndWriteOneDeviceAtOnce() throws Exception {
        BlockIoCapable driver = devices();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        int blocks = 256;
        int blockSize = 64 * 1024;
        long stride = GIB / blocks;

        try (BlockDevice device = driver.open(volume.id())) {
            List<Callable<Void>> writes = new ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                long offset = i * stride;
                byte[] bytes = blockContent(i, blockSize);
                writes.add(() -> {
                    device.write(offset, ByteBuffer.allocateDirect(blockSize).put(bytes).flip());
                    return null;
                });
            }
            runAll(writes, new Random(20261207L));
            device.flush();
            List<Callable<Void>> reads = new ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                long offset = i * stride;
                byte[] expected = blockContent(i, blockSize);
                reads.add(() -> {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(blockSize);
                    assertThat(device.read(offset, buffer)).isEqualTo(blockSize);
                    byte[] actual = new byte[blockSize];
                    buffer.flip().get(actual);
                    assertThat(actual).as("block at %d", offset).isEqualTo(expected);
                    return null;
                });
            }
            runAll(reads, new Random(20261208L));
        }
    }

    @Test
    void aSnapshotDeviceHoldsTheSnapshotAndRefusesWrites() throws Exception {
        BlockIoCapable devices = devices();
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        writeBytes(volume.id(), MIB, pattern(BLOCK));
        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);
        writeBytes(volume.id(), MIB, otherPattern(BLOCK));

        try (BlockDevice device = devices.openSnapshot(snapshot.id())) {
            assertThat(device.readOnly()).isTrue();
            assertThat(device.size()).isEqualTo(GIB);
            ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
            device.read(MIB, buffer);
            assertThat(buffer.array()).isEqualTo(pattern(BLOCK));
            assertThatThrownBy(() -> device.write(0, ByteBuffer.wrap(pattern(BLOCK))))
                    .isInstanceOf(java.io.IOException.class);
        }
        assertThat(readSnapshotBytes(snapshot.id(), 0, BLOCK)).containsOnly(0);
    }

    @Test
    void openingWhatDoesNotExistFails() {
        BlockIoCapable driver = devices();

        assertThatThrownBy(() -> driver.open(UUID.randomUUID().toString())).isInstanceOf(VolumeDriverException.class);
        assertThatThrownBy(() -> driver.open("../x")).isInstanceOf(IllegalArgumentException.class);
        if (driver instanceof SnapshotCapable) {
            assertThatThrownBy(() -> driver.openSnapshot(UUID.randomUUID().toString()))
                    .isInstanceOf(VolumeDriverException.class);
        }
    }

    private static byte[] blockContent(int index, int length) {
        byte[] bytes = new byte[length];
        new Random(index * 7919L + 1).nextBytes(bytes);
        bytes[0] = (byte) (index | 1);
        return bytes;
    }

    // ---------------------------------------------------------------- data integrity, sha256 over whole volumes

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void snapshotsClonesAndVolumesFromSnapshotsHoldExactlyTheExpectedBytes() throws Exception {
        CloneCapable clones = clones();
        SnapshotCapable driver = snapshots();
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        ExpectedImage original = new ExpectedImage(GIB);
        write(volume.id(), original, 0, pattern(4 * (int) MIB));
        write(volume.id(), original, 123 * MIB + 12345, pattern(3 * (int) MIB + 1));
        write(volume.id(), original, 512 * MIB - 512 * 1024, pattern((int) MIB));
        write(volume.id(), original, GIB - 2 * MIB, pattern(2 * (int) MIB));
        String originalSha = original.sha256();

        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);
        ExpectedImage changed = original.grownTo(GIB);
        write(volume.id(), changed, MIB, otherPattern((int) MIB));
        write(volume.id(), changed, 700 * MIB + 1, otherPattern(64 * 1024));
        write(volume.id(), changed, GIB - BLOCK, otherPattern(BLOCK));
        VolumeSpec fromSnapshot = newVolume(1);
        VolumeSpec largerFromSnapshot = newVolume(2);
        VolumeSpec clone = newVolume(1);
        clones.createVolumeFromSnapshot(fromSnapshot, snapshot.id());
        clones.createVolumeFromSnapshot(largerFromSnapshot, snapshot.id());
        clones.cloneVolume(clone, volume.id());

        String changedSha = changed.sha256();
        assertThat(changedSha).isNotEqualTo(originalSha);
        assertThat(storedSnapshotSize(snapshot.id())).isEqualTo(GIB);
        assertThat(snapshotSha256(snapshot.id(), GIB)).as("the snapshot").isEqualTo(originalSha);
        assertThat(storedSize(volume.id())).isEqualTo(GIB);
        assertThat(volumeSha256(volume.id(), GIB)).as("the changed volume").isEqualTo(changedSha);
        assertThat(storedSize(fromSnapshot.id())).isEqualTo(GIB);
        assertThat(volumeSha256(fromSnapshot.id(), GIB)).as("a volume from the snapshot").isEqualTo(originalSha);
        assertThat(storedSize(largerFromSnapshot.id())).isEqualTo(2 * GIB);
        assertThat(readBytes(largerFromSnapshot.id(), GIB, 64 * 1024)).containsOnly(0);
        assertThat(volumeSha256(largerFromSnapshot.id(), 2 * GIB)).as("a larger volume from the snapshot")
                .isEqualTo(original.grownTo(2 * GIB).sha256());
        assertThat(storedSize(clone.id())).isEqualTo(GIB);
        assertThat(volumeSha256(clone.id(), GIB)).as("a clone of the changed volume").isEqualTo(changedSha);
    }

    /** Writes the bytes into the volume and into the image that says what the volume should hold. */
    protected final void write(String volumeId, ExpectedImage image, long offset, byte[] bytes) throws Exception {
        writeBytes(volumeId, offset, bytes);
        image.write(offset, bytes);
    }

    /** sha256 over the first {@code size} bytes of the volume, read through {@link #readBytes}. */
    protected final String volumeSha256(String volumeId, long size) throws Exception {
        return ExpectedImage.sha256((offset, length) -> readBytes(volumeId, offset, length), size);
    }

    /** sha256 over the first {@code size} bytes of the snapshot, read through {@link #readSnapshotBytes}. */
    protected final String snapshotSha256(String snapshotId, long size) throws Exception {
        return ExpectedImage.sha256((offset, length) -> readSnapshotBytes(snapshotId, offset, length), size);
    }

    /** Checks every byte of the volume against the image; says where the first difference is. */
    protected final void assertVolumeHolds(String volumeId, ExpectedImage image) throws Exception {
        assertThat(storedSize(volumeId)).as("size of volume %s", volumeId).isEqualTo(image.size());
        assertThat(image.firstDifference((offset, length) -> readBytes(volumeId, offset, length)))
                .as("first byte of volume %s that differs from what it should hold (-1: none)", volumeId)
                .isEqualTo(-1L);
    }

    /** Checks every byte of the snapshot against the image; says where the first difference is. */
    protected final void assertSnapshotHolds(String snapshotId, ExpectedImage image) throws Exception {
        assertThat(storedSnapshotSize(snapshotId)).as("size of snapshot %s", snapshotId).isEqualTo(image.size());
        assertThat(image.firstDifference((offset, length) -> readSnapshotBytes(snapshotId, offset, length)))
                .as("first byte of snapshot %s that differs from what it should hold (-1: none)", snapshotId)
                .isEqualTo(-1L);
    }

    /** Bytes that are never all zero, different at every position of a block. */
    protected static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        for (int i = 0; i < length; i += 512) {
            bytes[i] = (byte) 0xA5;
        }
        return bytes;
    }

    /** Bytes other than {@link #pattern} of the same length, never all zero either. */
    protected static byte[] otherPattern(int length) {
        byte[] bytes = new byte[length];
        new Random(length * 31L + 7).nextBytes(bytes);
        for (int i = 0; i < length; i += 512) {
            bytes[i] = (byte) 0x5A;
        }
        return bytes;
    }

    private static void runAll(List<Callable<Void>> tasks, Random random) throws Exception {
        List<Callable<Void>> shuffled = new ArrayList<>(tasks);
        Collections.shuffle(shuffled, random);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Void>> results = pool.invokeAll(shuffled);
            for (Future<Void> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
