package dev.basalt.volume.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * <p>The base starts the driver before each test and deletes the volumes its tests made after.
 */
public abstract class DriverCompliance {
    private static final int BLOCK = 4096;

    private VolumeDriver driver;
    private final Set<String> made = ConcurrentHashMap.newKeySet();

    /** A new driver on empty storage, not started yet. */
    protected abstract VolumeDriver newDriver() throws Exception;

    /** The size in bytes of the volume as it is stored (the file's length, the image's size, ...). */
    protected abstract long storedSize(String volumeId) throws Exception;

    /** Writes bytes into the volume at the offset, as a host using the volume would, and makes them durable. */
    protected abstract void writeBytes(String volumeId, long offset, byte[] bytes) throws Exception;

    /** Reads bytes of the volume at the offset, as a host using the volume would. */
    protected abstract byte[] readBytes(String volumeId, long offset, int length) throws Exception;

    @BeforeEach
    final void startDriver() throws Exception {
        driver = newDriver();
        driver.start();
    }

    @AfterEach
    final void deleteVolumesMade() {
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

    /** Bytes that are never all zero, different at every position of a block. */
    protected static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        for (int i = 0; i < length; i += 512) {
            bytes[i] = (byte) 0xA5;
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
