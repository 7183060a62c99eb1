package dev.basalt.driver.rbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.driver.BlockDevice;
import dev.basalt.driver.Capabilities;
import dev.basalt.driver.DriverCompliance;
import dev.basalt.driver.ExpectedImage;
import dev.basalt.driver.PoolReport;
import dev.basalt.driver.Sizes;
import dev.basalt.driver.SnapshotSpec;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.driver.VolumeDriverException;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.rbd.CephException;
import dev.basalt.rbd.ImageLayout;
import dev.basalt.rbd.ImageParent;
import dev.basalt.rbd.RadosCluster;
import dev.basalt.rbd.RbdImage;
import dev.basalt.rbd.RbdPool;
import dev.basalt.testkit.CephServer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver compliance suite on a real single-node Ceph, and what only the RBD driver does. */
class RbdVolumeDriverTest extends DriverCompliance {
    private static final long GIB = Sizes.GIB;

    /**
     * The driver of the running test: stopped when the next test makes its own and after the last, so
     * no librados client is still connected when the JVM exits (librados aborts the process then).
     */
    private static RbdVolumeDriver current;
    private RbdDriverSettings settings = RbdTestSupport.settings();

    @TempDir
    Path temp;

    @Override
    protected VolumeDriver newDriver() {
        if (current != null) {
            current.stop();
        }
        current = new RbdVolumeDriver(settings);
        return current;
    }

    @AfterAll
    static void stopTheLastDriver() {
        if (current != null) {
            current.stop();
            current = null;
        }
    }

    private RbdVolumeDriver rbd() {
        return (RbdVolumeDriver) driver();
    }

    /** A driver with other settings, started. */
    private RbdVolumeDriver started(RbdDriverSettings other) {
        RbdVolumeDriver driver = new RbdVolumeDriver(other);
        driver.start();
        return driver;
    }

    private interface PoolUse<T> {
        T apply(RbdPool pool) throws CephException;
    }

    /** Looks at the pool directly, as the rbd CLI would. */
    private static <T> T inPool(PoolUse<T> use) throws CephException {
        try (RadosCluster cluster = RadosCluster.connect(RbdTestSupport.settings().rados());
             RbdPool pool = cluster.openPool(CephServer.POOL)) {
            return use.apply(pool);
        }
    }

    private static Optional<ImageParent> parentOf(String volumeId) throws CephException {
        return inPool(pool -> {
            try (RbdImage image = pool.openReadOnly("volume-" + volumeId)) {
                return image.parent();
            }
        });
    }

    @Override
    protected void makeUnmanagedStorage(String reference, long bytes, long offset, byte[] data) throws Exception {
        inPool(pool -> {
            pool.create(reference, bytes, ImageLayout.layering(ImageLayout.DEFAULT_ORDER));
            try (RbdImage image = pool.open(reference)) {
                image.write(offset, ByteBuffer.wrap(data));
                image.flush();
            }
            return null;
        });
    }

    @Override
    protected void removeUnmanagedStorage(String reference) throws Exception {
        inPool(pool -> {
            if (pool.exists(reference)) {
                pool.remove(reference);
            }
            return null;
        });
    }

    @Override
    protected String makeUnmanagedSnapshot(String volumeId, String name) throws Exception {
        inPool(pool -> {
            try (RbdImage image = pool.open("volume-" + volumeId)) {
                image.createSnapshot(name);
            }
            return null;
        });
        return name;
    }

    @Override
    protected void removeUnmanagedSnapshot(String volumeId, String reference) throws Exception {
        inPool(pool -> {
            if (pool.exists("volume-" + volumeId)) {
                try (RbdImage image = pool.open("volume-" + volumeId)) {
                    if (image.snapshots().stream().anyMatch(s -> s.name().equals(reference))) {
                        image.removeSnapshot(reference);
                    }
                }
            }
            return null;
        });
    }

    @Test
    void anUnmanagedVolumesImageIsRenamedNotRemoved() throws Exception {
        VolumeSpec volume = newVolume(1);
        rbd().createVolume(volume);
        try {
            rbd().unmanage(volume.id());
            assertThat(rbd().hasVolume(volume.id())).isFalse();
            boolean kept = inPool(pool -> pool.exists("unmanaged-volume-" + volume.id()));
            assertThat(kept).isTrue();
        } finally {
            removeUnmanagedStorage("unmanaged-volume-" + volume.id());
        }
    }

    @Test
    void hostsAreToldCindersRbdConnectionData() throws Exception {
        VolumeSpec volume = newVolume(1);
        rbd().createVolume(volume);
        CephServer ceph = CephServer.shared();

        assertThat(rbd().driverVolumeType()).isEqualTo("rbd");
        Map<String, Object> data = rbd().connectionData(volume.id());
        assertThat(data.keySet()).containsExactly("name", "hosts", "ports", "cluster_name", "auth_enabled",
                "auth_username", "secret_type", "secret_uuid", "volume_id", "discard", "keyring");
        assertThat(data.get("name")).isEqualTo(CephServer.POOL + "/volume-" + volume.id());
        assertThat(data.get("hosts")).isEqualTo(List.of("127.0.0.1"));
        assertThat(data.get("ports")).isEqualTo(List.of(String.valueOf(ceph.monV1Port())));
        assertThat(data.get("cluster_name")).isEqualTo("ceph");
        assertThat(data.get("auth_enabled")).isEqualTo(true);
        assertThat(data.get("auth_username")).isEqualTo(ceph.clientName().substring("client.".length()));
        assertThat(data.get("secret_type")).isEqualTo("ceph");
        assertThat(data.get("secret_uuid")).isNull();
        assertThat(data.get("volume_id")).isEqualTo(volume.id());
        assertThat(data.get("discard")).isEqualTo(true);
        assertThat((String) data.get("keyring")).isEqualTo(Files.readString(ceph.clientKeyring()));

        String missing = newVolume(1).id();
        assertThatThrownBy(() -> rbd().connectionData(missing)).isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("has no image");
    }

    @Test
    void withoutRbdUserHostsAreToldNoAuthAsCinderTellsThem() {
        RbdDriverSettings s = settings;
        RbdVolumeDriver driver = started(new RbdDriverSettings(s.pool(), s.clientName(), s.confFile(), s.clusterName(),
                s.keyring(), s.secretUuid(), false, 5, 22, s.connectTimeout(), true, s.clear(), s.backendName(),
                Optional.empty(), s.connectionAttempts(), s.connectionInterval()));
        try {
            VolumeSpec volume = newVolume(1);
            driver.createVolume(volume);
            Map<String, Object> data = driver.connectionData(volume.id());
            assertThat(data.get("auth_enabled")).isEqualTo(false);
            assertThat(data.get("auth_username")).isNull();
            driver.deleteVolume(volume.id());
        } finally {
            driver.stop();
        }
    }

    @Test
    void volumesAreFormatTwoLayeredImagesWithTheConfiguredObjectSize() throws Exception {
        RbdVolumeDriver driver = started(new RbdDriverSettings(settings.pool(), settings.clientName(),
                settings.confFile(), "ceph", settings.keyring(), Optional.empty(), false, 5, 23,
                settings.connectTimeout(), true, settings.clear(), "ceph", settings.user(),
                settings.connectionAttempts(), settings.connectionInterval()));
        VolumeSpec volume = newVolume(1);

        driver.createVolume(volume);

        inPool(pool -> {
            assertThat(pool.list()).contains("volume-" + volume.id());
            assertThat(pool.stat("volume-" + volume.id()).order()).isEqualTo(23);
            try (RbdImage image = pool.openReadOnly("volume-" + volume.id())) {
                assertThat(image.features()).contains(dev.basalt.rbd.ImageFeature.LAYERING);
            }
            return null;
        });
        driver.stop();
    }

    @Test
    void copiesAreCopyOnWriteClonesUntilTheCloneChainWouldExceedTheMaximumDepth() throws Exception {
        settings = RbdTestSupport.settings(2, false);
        RbdVolumeDriver driver = started(settings);
        VolumeSpec first = newVolume(1);
        driver.createVolume(first);
        writeBytes(first.id(), 0, pattern(4096));
        VolumeSpec second = newVolume(1);
        VolumeSpec third = newVolume(1);
        VolumeSpec fourth = newVolume(2);

        driver.cloneVolume(second, first.id());
        driver.cloneVolume(third, second.id());
        driver.cloneVolume(fourth, third.id());

        assertThat(parentOf(second.id())).map(p -> p.image().imageName()).contains("volume-" + first.id());
        assertThat(parentOf(third.id())).map(p -> p.image().imageName()).contains("volume-" + second.id());
        assertThat(parentOf(fourth.id())).as("flattened: a third level would exceed rbd_max_clone_depth 2").isEmpty();
        java.util.List<dev.basalt.rbd.SnapshotInfo> left = inPool(pool -> {
            try (RbdImage image = pool.openReadOnly("volume-" + third.id())) {
                return image.snapshots();
            }
        });
        assertThat(left).as("the temporary snapshot of a flattened clone goes").isEmpty();
        assertThat(readBytes(fourth.id(), 0, 4096)).isEqualTo(pattern(4096));
        assertThat(storedSize(fourth.id())).isEqualTo(2 * GIB);
        driver.stop();
    }

    @Test
    void aMaximumCloneDepthOfZeroMakesFullCopies() throws Exception {
        RbdVolumeDriver driver = started(RbdTestSupport.settings(0, false));
        VolumeSpec source = newVolume(1);
        driver.createVolume(source);
        writeBytes(source.id(), GIB - 4096, pattern(4096));
        VolumeSpec clone = newVolume(1);
        SnapshotSpec snapshot = newSnapshot(source);
        driver.createSnapshot(snapshot);
        VolumeSpec fromSnapshot = newVolume(1);

        driver.cloneVolume(clone, source.id());
        driver.createVolumeFromSnapshot(fromSnapshot, snapshot.id());

        assertThat(parentOf(clone.id())).isEmpty();
        assertThat(parentOf(fromSnapshot.id())).isEmpty();
        assertThat(readBytes(clone.id(), GIB - 4096, 4096)).isEqualTo(pattern(4096));
        assertThat(readBytes(fromSnapshot.id(), GIB - 4096, 4096)).isEqualTo(pattern(4096));
        driver.stop();
    }

    @Test
    void volumesFromSnapshotsAreFlattenedWhenConfigured() throws Exception {
        RbdVolumeDriver driver = started(RbdTestSupport.settings(5, true));
        VolumeSpec volume = newVolume(1);
        driver.createVolume(volume);
        writeBytes(volume.id(), 4096, pattern(4096));
        SnapshotSpec snapshot = newSnapshot(volume);
        driver.createSnapshot(snapshot);
        VolumeSpec copy = newVolume(3);

        driver.createVolumeFromSnapshot(copy, snapshot.id());

        assertThat(parentOf(copy.id())).isEmpty();
        assertThat(readBytes(copy.id(), 4096, 4096)).isEqualTo(pattern(4096));
        assertThat(storedSize(copy.id())).isEqualTo(3 * GIB);
        driver.stop();
    }

    @Test
    void aVolumeFromASnapshotIsACloneOfTheProtectedSnapshot() throws Exception {
        VolumeSpec volume = newVolume(1);
        rbd().createVolume(volume);
        SnapshotSpec snapshot = newSnapshot(volume);
        rbd().createSnapshot(snapshot);
        VolumeSpec copy = newVolume(2);

        rbd().createVolumeFromSnapshot(copy, snapshot.id());

        assertThat(parentOf(copy.id())).hasValueSatisfying(parent -> {
            assertThat(parent.image().imageName()).isEqualTo("volume-" + volume.id());
            assertThat(parent.snapshot()).isEqualTo("snapshot-" + snapshot.id());
        });
        boolean isProtected = inPool(pool -> {
            try (RbdImage image = pool.openReadOnly("volume-" + volume.id())) {
                return image.isSnapshotProtected("snapshot-" + snapshot.id());
            }
        });
        assertThat(isProtected).isTrue();
    }

    @Test
    void aVolumeWithDependentsIsHiddenUntilTheLastGoesAndTheirDataStays() throws Exception {
        VolumeSpec volume = newVolume(1);
        rbd().createVolume(volume);
        ExpectedImage expected = new ExpectedImage(GIB);
        write(volume.id(), expected, 0, pattern(1 << 20));
        write(volume.id(), expected, GIB - (1 << 20), pattern(1 << 20));
        SnapshotSpec snapshot = newSnapshot(volume);
        rbd().createSnapshot(snapshot);
        VolumeSpec fromSnapshot = newVolume(1);
        rbd().createVolumeFromSnapshot(fromSnapshot, snapshot.id());
        VolumeSpec clone = newVolume(1);
        rbd().cloneVolume(clone, volume.id());
        String hidden = "volume-" + volume.id() + ".deleted";

        rbd().deleteVolume(volume.id());

        assertThat(rbd().hasVolume(volume.id())).isFalse();
        assertThat(inPool(RbdPool::list)).doesNotContain("volume-" + volume.id()).contains(hidden);
        assertVolumeHolds(clone.id(), expected);
        assertVolumeHolds(fromSnapshot.id(), expected);
        assertSnapshotHolds(snapshot.id(), expected);

        rbd().deleteSnapshot(snapshot.id());

        assertThat(parentOf(fromSnapshot.id())).as("flattened when its snapshot went").isEmpty();
        assertVolumeHolds(fromSnapshot.id(), expected);
        assertThat(inPool(RbdPool::list)).as("still needed by the clone").contains(hidden);

        rbd().deleteVolume(clone.id());

        assertThat(inPool(RbdPool::list)).doesNotContain(hidden, "volume-" + clone.id());
        assertVolumeHolds(fromSnapshot.id(), expected);
    }

    @Test
    void aDeletedVolumesHeadIsDiscardedWhileItIsKeptForItsSnapshots() throws Exception {
        VolumeSpec volume = newVolume(1);
        rbd().createVolume(volume);
        SnapshotSpec snapshot = newSnapshot(volume);
        rbd().createSnapshot(snapshot);
        writeBytes(volume.id(), 0, pattern(1 << 20));

        rbd().deleteVolume(volume.id());

        byte[] head = inPool(pool -> {
            try (RbdImage image = pool.openReadOnly("volume-" + volume.id() + ".deleted")) {
                byte[] bytes = new byte[1 << 20];
                image.read(0, bytes, 0, bytes.length);
                return bytes;
            }
        });
        assertThat(head).containsOnly(0);
        rbd().deleteSnapshot(snapshot.id());
        assertThat(inPool(RbdPool::list)).doesNotContain("volume-" + volume.id() + ".deleted");
    }

    @Test
    void aVolumeOpenByAnotherClientIsNotDeletedAndSaysWhy() throws Exception {
        VolumeSpec volume = newVolume(1);
        rbd().createVolume(volume);

        try (RadosCluster cluster = RadosCluster.connect(RbdTestSupport.settings().rados());
             RbdPool pool = cluster.openPool(CephServer.POOL);
             RbdImage held = pool.open("volume-" + volume.id())) {
            assertThatThrownBy(() -> rbd().deleteVolume(volume.id()))
                    .isInstanceOf(VolumeDriverException.class)
                    .hasMessageContaining("still has it open");
        }

        assertThat(rbd().hasVolume(volume.id())).isTrue();
        rbd().deleteVolume(volume.id());
        assertThat(rbd().hasVolume(volume.id())).isFalse();
    }

    @Test
    void reportsCapacityAsCindersRbdDriver() throws Exception {
        PoolReport report = rbd().report();

        assertThat(report.pool()).isEqualTo("ceph");
        assertThat(report.thinProvisioning()).isTrue();
        assertThat(report.capabilities()).containsEntry(Capabilities.STORAGE_PROTOCOL, "ceph")
                .containsEntry(Capabilities.VENDOR_NAME, "Open Source")
                .containsEntry(Capabilities.THIN_PROVISIONING_SUPPORT, true)
                .containsEntry(Capabilities.COPY_ON_WRITE, true)
                .containsEntry(Capabilities.MULTIATTACH, true);
        RbdCapacity expected = capacityNow();
        assertThat(report.totalCapacityGb()).isCloseTo(expected.totalGb(), org.assertj.core.data.Offset.offset(0.05));
        assertThat(report.freeCapacityGb()).isCloseTo(expected.freeGb(), org.assertj.core.data.Offset.offset(0.05));
        assertThat(report.totalCapacityGb()).isLessThan(8.0 + 0.01);
    }

    private static RbdCapacity capacityNow() throws CephException {
        try (RadosCluster cluster = RadosCluster.connect(RbdTestSupport.settings().rados())) {
            return RbdCapacity.of(cluster.poolUsage(CephServer.POOL), cluster.clusterStats().totalBytes(), true);
        }
    }

    @Test
    void worksFromThreadsWithTheSmallStacksBasaltsLauncherGives() throws Exception {
        // bin/java-options.sh runs Basalt with -Xss512k, on which rados_connect overflows the stack
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        String[] id = {null};
        Thread small = Thread.ofPlatform().stackSize(512 * 1024).start(() -> {
            RbdVolumeDriver driver = new RbdVolumeDriver(settings);
            try {
                driver.start();
                VolumeSpec volume = newVolume(1);
                id[0] = volume.id();
                driver.createVolume(volume);
                try (BlockDevice device = driver.open(volume.id())) {
                    device.write(0, ByteBuffer.wrap(pattern(4096)));
                    device.flush();
                }
                driver.report();
            } catch (Throwable e) {
                failed.set(e);
            } finally {
                driver.stop();
            }
        });
        small.join();

        assertThat(failed.get()).isNull();
        assertThat(readBytes(id[0], 0, 4096)).isEqualTo(pattern(4096));
    }

    @Test
    void aWrongKeyAtStartSaysSo() throws Exception {
        Path keyring = temp.resolve("wrong.keyring");
        String key = new String(new ProcessBuilder("ceph-authtool", "--gen-print-key").start().getInputStream()
                .readAllBytes()).strip();
        Files.writeString(keyring, "[" + settings.clientName() + "]\n\tkey = " + key + "\n");
        RbdVolumeDriver driver = new RbdVolumeDriver(new RbdDriverSettings(settings.pool(), settings.clientName(),
                settings.confFile(), "ceph", Optional.of(keyring), Optional.empty(), false, 5, 22,
                settings.connectTimeout(), true, settings.clear(), "ceph", settings.user(),
                settings.connectionAttempts(), settings.connectionInterval()));

        assertThatThrownBy(driver::start).isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("wrong key or unknown user").hasMessageContaining("client.basalt");
    }

    @Test
    void aMissingPoolAtStartSaysSo() {
        RbdVolumeDriver driver = new RbdVolumeDriver(new RbdDriverSettings("nosuchpool", settings.clientName(),
                settings.confFile(), "ceph", settings.keyring(), Optional.empty(), false, 5, 22,
                settings.connectTimeout(), true, settings.clear(), "ceph", settings.user(),
                settings.connectionAttempts(), settings.connectionInterval()));

        assertThatThrownBy(driver::start).isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("has no pool nosuchpool (rbd_pool)");
    }

    @Test
    void aBlockDeviceReadsWhatQemuOrAnyLibrbdClientWrote() throws Exception {
        VolumeSpec volume = newVolume(1);
        rbd().createVolume(volume);
        inPool(pool -> {
            try (RbdImage image = pool.open("volume-" + volume.id())) {
                image.write(5 * 4096, pattern(4096), 0, 4096);
                image.flush();
            }
            return null;
        });

        try (BlockDevice device = rbd().open(volume.id())) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
            device.read(5 * 4096, buffer);
            byte[] bytes = new byte[4096];
            buffer.flip().get(bytes);
            assertThat(bytes).isEqualTo(pattern(4096));
        }
    }
}
