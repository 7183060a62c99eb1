package dev.basalt.rbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.testkit.CephServer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Images through the bindings against a real single-node Ceph, checked with the rbd CLI where it helps. */
class RbdImageTest {
    private static final int MIB = 1 << 20;
    private static final ImageLayout LAYOUT = ImageLayout.layering(ImageLayout.DEFAULT_ORDER);

    private static CephServer ceph;
    private static RadosCluster cluster;
    private static RbdPool pool;

    @BeforeAll
    static void connect() throws CephException {
        ceph = SharedCeph.server();
        cluster = RadosCluster.connect(SharedCeph.settings());
        pool = cluster.openPool(ceph.pool());
    }

    @AfterAll
    static void disconnect() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void createsStatsResizesRenamesAndRemovesAnImageTheCliSees() throws CephException {
        String name = SharedCeph.imageName("basic");
        pool.create(name, 64 * MIB, ImageLayout.layering(20));

        assertThat(pool.list()).contains(name);
        assertThat(pool.exists(name)).isTrue();
        assertThat(pool.stat(name)).satisfies(info -> {
            assertThat(info.size()).isEqualTo(64 * MIB);
            assertThat(info.order()).isEqualTo(20);
            assertThat(info.objectSize()).isEqualTo(MIB);
            assertThat(info.objectCount()).isEqualTo(64);
            assertThat(info.blockNamePrefix()).startsWith("rbd_data.");
        });
        assertThat(ceph.rbd("ls", ceph.pool()).lines()).contains(name);
        assertThat(ceph.rbd("info", ceph.pool() + "/" + name)).contains("size 64 MiB in 64 objects")
                .contains("order 20 (1 MiB objects)").contains("format: 2").contains("features: layering\n");

        try (RbdImage image = pool.open(name)) {
            assertThat(image.features()).containsExactly(ImageFeature.LAYERING);
            image.resize(128 * MIB);
            assertThat(image.size()).isEqualTo(128 * MIB);
        }
        assertThat(ceph.rbd("info", ceph.pool() + "/" + name)).contains("size 128 MiB");

        String renamed = name + "-renamed";
        pool.rename(name, renamed);
        assertThat(pool.exists(name)).isFalse();
        pool.remove(renamed);
        assertThat(pool.list()).doesNotContain(name, renamed);
        assertThat(ceph.rbd("ls", ceph.pool()).lines()).doesNotContain(renamed);

        assertThatThrownBy(() -> pool.remove(renamed)).isInstanceOf(CephNotFoundException.class)
                .hasMessageContaining("rbd_remove(rbd/" + renamed + ")").hasMessageContaining("ENOENT");
        assertThatThrownBy(() -> pool.stat(renamed)).isInstanceOf(CephNotFoundException.class);
        assertThatThrownBy(() -> cluster.openPool("no-such-pool")).isInstanceOf(CephNotFoundException.class)
                .hasMessageContaining("rados_ioctx_create(no-such-pool)");
    }

    @Test
    void readsBackWhatItWroteThroughHeapAndDirectBuffers() throws CephException {
        String name = SharedCeph.imageName("io");
        pool.create(name, 16 * MIB, LAYOUT);
        try (RbdImage image = pool.open(name)) {
            byte[] pattern = pattern(3 * MIB + 123, 1);
            image.write(MIB - 7, pattern, 0, pattern.length); // across object boundaries
            ByteBuffer direct = ByteBuffer.allocateDirect(8192);
            direct.put(pattern(8192, 2)).flip();
            image.write(10 * MIB, direct);
            assertThat(direct.hasRemaining()).isFalse();
            image.flush();

            byte[] back = new byte[pattern.length + 20];
            assertThat(image.read(MIB - 7, back, 20, pattern.length)).isEqualTo(pattern.length);
            assertThat(Arrays.copyOfRange(back, 20, back.length)).isEqualTo(pattern);

            ByteBuffer directBack = ByteBuffer.allocateDirect(8192 + 16);
            directBack.position(16);
            assertThat(image.read(10 * MIB, directBack)).isEqualTo(8192);
            byte[] got = new byte[8192];
            directBack.position(16);
            directBack.get(got);
            assertThat(got).isEqualTo(pattern(8192, 2));

            ByteBuffer heap = ByteBuffer.allocate(4096);
            image.read(0, heap);
            assertThat(heap.array()).containsOnly((byte) 0); // never written

            ByteBuffer tail = ByteBuffer.allocate(4096);
            assertThat(image.read(16 * MIB - 1000, tail)).isEqualTo(1000); // the image ends there
        }
        pool.remove(name);
    }

    @Test
    void aSnapshotKeepsTheBytesOfItsTimeAndAProtectedOneCanBeClonedAndFlattened() throws CephException {
        String parent = SharedCeph.imageName("parent");
        String clone = SharedCeph.imageName("clone");
        pool.create(parent, 8 * MIB, LAYOUT);
        byte[] before = pattern(MIB, 3);
        byte[] after = pattern(MIB, 4);
        try (RbdImage image = pool.open(parent)) {
            image.write(0, before, 0, before.length);
            image.createSnapshot("s1");
            image.write(0, after, 0, after.length);
            image.flush();
            assertThat(image.snapshots()).extracting(SnapshotInfo::name, SnapshotInfo::size)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("s1", 8L * MIB));
            assertThat(readAll(image, 0, MIB)).isEqualTo(after);

            assertThatThrownBy(() -> pool.clone(parent, "s1", pool, clone, LAYOUT)).isInstanceOf(CephException.class)
                    .hasMessageContaining("rbd_clone").hasMessageContaining("EINVAL"); // not protected yet
            assertThat(image.isSnapshotProtected("s1")).isFalse();
            image.protectSnapshot("s1");
            assertThat(image.isSnapshotProtected("s1")).isTrue();
        }
        try (RbdImage snapshot = pool.openSnapshot(parent, "s1")) {
            assertThat(readAll(snapshot, 0, MIB)).isEqualTo(before);
        }

        pool.clone(parent, "s1", pool, clone, LAYOUT);
        try (RbdImage child = pool.open(clone)) {
            assertThat(readAll(child, 0, MIB)).isEqualTo(before);
            assertThat(child.parent()).hasValueSatisfying(p -> {
                assertThat(p.image().pool()).isEqualTo(ceph.pool());
                assertThat(p.image().imageName()).isEqualTo(parent);
                assertThat(p.snapshot()).isEqualTo("s1");
            });
        }
        try (RbdImage snapshot = pool.openSnapshot(parent, "s1")) {
            assertThat(snapshot.children()).extracting(LinkedImage::imageName).containsExactly(clone);
        }
        assertThat(ceph.rbd("info", ceph.pool() + "/" + clone)).contains("parent: " + ceph.pool() + "/" + parent + "@s1");

        assertThatThrownBy(() -> pool.remove(parent)).isInstanceOf(CephBusyException.class)
                .hasMessageContaining("rbd_remove(rbd/" + parent + ")");
        try (RbdImage image = pool.open(parent)) {
            assertThatThrownBy(() -> image.unprotectSnapshot("s1")).isInstanceOf(CephBusyException.class)
                    .hasMessageContaining("EBUSY");
            assertThatThrownBy(() -> image.removeSnapshot("s1")).isInstanceOf(CephBusyException.class);
        }

        try (RbdImage child = pool.open(clone)) {
            child.flatten();
            assertThat(child.parent()).isEmpty();
            assertThat(readAll(child, 0, MIB)).isEqualTo(before);
        }
        try (RbdImage image = pool.open(parent)) {
            image.unprotectSnapshot("s1");
            image.removeSnapshot("s1");
            assertThat(image.snapshots()).isEmpty();
        }
        pool.remove(parent);
        try (RbdImage child = pool.open(clone)) {
            assertThat(readAll(child, 0, MIB)).isEqualTo(before); // its own bytes now
        }
        pool.remove(clone);
    }

    @Test
    void rollbackMakesTheImageWhatItWasAtTheSnapshot() throws CephException {
        String name = SharedCeph.imageName("rollback");
        pool.create(name, 4 * MIB, LAYOUT);
        try (RbdImage image = pool.open(name)) {
            image.write(0, pattern(4096, 5), 0, 4096);
            image.createSnapshot("s");
            image.write(0, pattern(4096, 6), 0, 4096);
            image.rollbackToSnapshot("s");
            assertThat(readAll(image, 0, 4096)).isEqualTo(pattern(4096, 5));
            image.removeSnapshot("s");
        }
        pool.remove(name);
    }

    @Test
    void discardedRangesReadAsZeros() throws CephException {
        String name = SharedCeph.imageName("discard");
        pool.create(name, 16 * MIB, LAYOUT);
        try (RbdImage image = pool.open(name)) {
            byte[] data = pattern((int) (12 * MIB), 7);
            image.write(0, data, 0, data.length);
            image.discard(4 * MIB, 4 * MIB); // one whole object
            image.discard(MIB, 64 * 1024); // part of one
            byte[] back = readAll(image, 0, (int) (12 * MIB));
            assertThat(Arrays.copyOfRange(back, (int) (4 * MIB), (int) (8 * MIB))).containsOnly((byte) 0);
            assertThat(Arrays.copyOfRange(back, (int) MIB, (int) MIB + 65536)).containsOnly((byte) 0);
            assertThat(Arrays.copyOfRange(back, 0, (int) MIB)).isEqualTo(Arrays.copyOfRange(data, 0, (int) MIB));
            assertThat(Arrays.copyOfRange(back, (int) (8 * MIB), (int) (12 * MIB)))
                    .isEqualTo(Arrays.copyOfRange(data, (int) (8 * MIB), (int) (12 * MIB)));
        }
        pool.remove(name);
    }

    @Test
    void diffIterateReportsOnlyWhatChangedSinceASnapshot() throws CephException {
        String name = SharedCeph.imageName("diff");
        pool.create(name, 16 * MIB, LAYOUT);
        try (RbdImage image = pool.open(name)) {
            image.write(0, pattern(4096, 8), 0, 4096);
            assertThat(image.changedExtents(null)).containsExactly(new Extent(0, 4096, true));
            image.createSnapshot("base");
            image.write(4096, pattern(4096, 9), 0, 4096); // in an object the snapshot has
            image.write(5 * MIB, pattern(8192, 9), 0, 8192); // in one made since
            image.flush();

            // exact within an object the snapshot has; a new object counts from its start to its end
            assertThat(image.changedExtents("base")).containsExactly(new Extent(4096, 4096, true),
                    new Extent(4 * MIB, MIB + 8192, true));

            List<Extent> whole = new java.util.ArrayList<>();
            image.diffIterate("base", 0, image.size(), false, true, whole::add);
            assertThat(whole).containsExactly(new Extent(0, 4 * MIB, true), new Extent(4 * MIB, 4 * MIB, true));

            assertThatThrownBy(() -> image.diffIterate("base", 0, image.size(), false, false, e -> {
                throw new IllegalStateException("stop here");
            })).isInstanceOf(IllegalStateException.class).hasMessage("stop here");
            assertThatThrownBy(() -> image.changedExtents("no-such-snapshot")).isInstanceOf(CephNotFoundException.class);
            image.removeSnapshot("base");
        }
        pool.remove(name);
    }

    @Test
    void aClosedImageRefusesCallsInsteadOfCrashing() throws CephException {
        String name = SharedCeph.imageName("closed");
        pool.create(name, MIB, LAYOUT);
        RbdImage image = pool.open(name);
        image.close();
        image.close();
        assertThatThrownBy(image::size).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        pool.remove(name);
    }

    private static byte[] readAll(RbdImage image, long offset, int length) throws CephException {
        byte[] bytes = new byte[length];
        assertThat(image.read(offset, bytes, 0, length)).isEqualTo(length);
        return bytes;
    }

    private static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
