package dev.basalt.driver.rbd;

import dev.basalt.driver.BlockDevice;
import dev.basalt.driver.BlockIoCapable;
import dev.basalt.driver.Capabilities;
import dev.basalt.driver.CloneCapable;
import dev.basalt.driver.ExtendCapable;
import dev.basalt.driver.ManageCapable;
import dev.basalt.driver.SnapshotManageCapable;
import dev.basalt.driver.NativeConnectionCapable;
import dev.basalt.driver.PoolReport;
import dev.basalt.driver.Sizes;
import dev.basalt.driver.RevertCapable;
import dev.basalt.driver.SnapshotSpec;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeDriverException;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.rbd.CephBusyException;
import dev.basalt.rbd.CephException;
import dev.basalt.rbd.CephNotFoundException;
import dev.basalt.rbd.Errno;
import dev.basalt.rbd.ImageLayout;
import dev.basalt.rbd.ImageParent;
import dev.basalt.rbd.LinkedImage;
import dev.basalt.rbd.MonitorAddress;
import dev.basalt.rbd.RbdImage;
import dev.basalt.rbd.RbdPool;
import dev.basalt.rbd.SnapshotInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes as RBD images in one Ceph pool, through librbd, as Cinder's RBD driver keeps them:
 * {@code volume-<id>} (format 2, layering, objects of {@code rbd_store_chunk_size} MiB), snapshots as RBD
 * snapshots {@code snapshot-<id>} of the volume's image, volumes from snapshots as copy-on-write clones
 * of the (then protected) snapshot, clones of volumes as clones of a temporary snapshot
 * {@code volume-<clone id>.clone_snap} of the source. A copy is flattened (made independent of its
 * source's data) when {@code rbd_flatten_volume_from_snapshot} asks for it or when its clone chain
 * would exceed {@code rbd_max_clone_depth}.
 *
 * <p>Dependents never lose data: a deleted volume whose image still has snapshots (its own or a
 * clone's temporary one) is wiped at its head and kept hidden as {@code volume-<id>.deleted}, as
 * Cinder does, and removed with the last of them; a snapshot deleted while volumes are cloned from it
 * has those volumes flattened first (Cinder refuses such a delete; the driver contract says a copy is
 * independent of its source).
 */
public final class RbdVolumeDriver implements RevertCapable, CloneCapable, ExtendCapable, BlockIoCapable,
        NativeConnectionCapable, ManageCapable, SnapshotManageCapable {
    public static final String NAME = "rbd";
    /** Cinder's values for its RBD driver. */
    static final String VENDOR_NAME = "Open Source";
    static final String DRIVER_VERSION = "1.3.0";
    static final String STORAGE_PROTOCOL = "ceph";
    private static final Logger LOG = LoggerFactory.getLogger(RbdVolumeDriver.class);
    /** Tries of a remove that finds the image open by a client, 0.1 s, 0.2 s, ... apart (4.5 s in all). */
    private static final int BUSY_ATTEMPTS = 10;
    /** Times a create that finds the image made by another create, then deleted by a delete, tries again. */
    private static final int CREATE_ATTEMPTS = 10;
    private static final int ESTALE = 116;

    private final RbdDriverSettings settings;
    private final CephConnection ceph;
    /** Which image holds a snapshot, learnt as snapshots are made or found. */
    private final Map<String, String> snapshotImages = new ConcurrentHashMap<>();

    public RbdVolumeDriver(RbdDriverSettings settings) {
        this.settings = settings;
        this.ceph = new CephConnection(settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start() {
        ceph.connect();
        LOG.info("rbd driver: pool {} of cluster {} as {}", settings.pool(), settings.clusterName(), settings.clientName());
    }

    /** Disconnects from the cluster (librados aborts a process that exits while connected). */
    @Override
    public void stop() {
        ceph.close();
    }

    // ------------------------------------------------------------------ volumes

    @Override
    public void createVolume(VolumeSpec volume) {
        String image = RbdNames.volume(volume.id());
        ceph.call("create volume " + image, pool -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    pool.create(image, volume.sizeBytes(), ImageLayout.layering(settings.objectOrder()));
                    return null;
                } catch (CephException e) {
                    if (e.errno() != Errno.EEXIST) {
                        throw e;
                    }
                }
                try {
                    requireSize(pool, image, volume.sizeBytes());
                    return null;
                } catch (CephNotFoundException e) {
                    if (attempt == CREATE_ATTEMPTS) {
                        throw e; // deleted each time it was found: deletes race with this create
                    }
                }
            }
        });
    }

    @Override
    public boolean hasVolume(String volumeId) {
        String image = RbdNames.volume(volumeId);
        return ceph.call("look up volume " + image, pool -> pool.exists(image));
    }

    @Override
    public void deleteVolume(String volumeId) {
        String image = RbdNames.volume(volumeId);
        ceph.call("delete volume " + image, pool -> {
            Optional<ImageParent> parent;
            boolean hasSnapshots;
            try (RbdImage opened = pool.openReadOnly(image)) {
                parent = opened.parent();
                hasSnapshots = !opened.snapshots().isEmpty();
            } catch (CephNotFoundException e) {
                return null;
            }
            if (hasSnapshots) {
                // its snapshots, or clones made through them, still need its data: wipe its head, keep it hidden
                if (settings.clear() == VolumeClear.ZERO) {
                    try (RbdImage opened = pool.open(image)) {
                        RbdBlockDevice.discard(opened, 0, opened.size());
                        opened.flush();
                    } catch (CephNotFoundException e) {
                        return null;
                    }
                }
                rename(pool, image, RbdNames.deletedVolume(volumeId));
                return null;
            }
            if (!removeImage(pool, image)) {
                return null;
            }
            if (parent.isPresent()) {
                releaseParent(pool, parent.get());
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ snapshots

    @Override
    public void createSnapshot(SnapshotSpec snapshot) {
        String image = RbdNames.volume(snapshot.volumeId());
        String name = RbdNames.snapshot(snapshot.id());
        ceph.call("snapshot " + image + "@" + name, pool -> {
            try (RbdImage opened = pool.open(image)) {
                Optional<SnapshotInfo> existing = snapshotInfo(opened, name);
                if (existing.isEmpty()) {
                    long size = opened.size();
                    if (size != snapshot.sizeBytes()) {
                        throw new VolumeDriverException("volume " + image + " is " + size + " bytes, not the "
                                + snapshot.sizeBytes() + " its snapshot " + name + " expects");
                    }
                    try {
                        opened.createSnapshot(name);
                    } catch (CephException e) {
                        if (e.errno() != Errno.EEXIST) {
                            throw e;
                        }
                    }
                    existing = snapshotInfo(opened, name);
                    if (existing.isEmpty()) {
                        // made through another handle (a concurrent create's, or the one holding the image's
                        // exclusive lock, which librbd asks to take it): this handle's header may not show it yet
                        try (RbdImage fresh = pool.open(image)) {
                            existing = snapshotInfo(fresh, name);
                        }
                    }
                }
                if (existing.isEmpty() || existing.get().size() != snapshot.sizeBytes()) {
                    throw new VolumeDriverException("snapshot " + image + "@" + name + " exists with another size ("
                            + existing.map(SnapshotInfo::size).orElse(0L) + " bytes) than " + snapshot.sizeBytes());
                }
                snapshotImages.put(snapshot.id(), image);
            } catch (CephNotFoundException e) {
                throw new VolumeDriverException("cannot snapshot volume " + snapshot.volumeId() + ": its image " + image
                        + " does not exist in pool " + settings.pool(), e);
            }
            return null;
        });
    }

    @Override
    public boolean hasSnapshot(String snapshotId) {
        String name = RbdNames.snapshot(snapshotId);
        return ceph.call("look up snapshot " + name, pool -> findSnapshot(pool, snapshotId).isPresent());
    }

    @Override
    public void deleteSnapshot(String snapshotId) {
        String name = RbdNames.snapshot(snapshotId);
        ceph.call("delete snapshot " + name, pool -> {
            Optional<String> found = findSnapshot(pool, snapshotId);
            if (found.isEmpty()) {
                return null;
            }
            String image = found.get();
            boolean lastSnapshot;
            try (RbdImage opened = pool.open(image)) {
                unprotect(pool, opened, image, name);
                try {
                    opened.removeSnapshot(name);
                } catch (CephNotFoundException e) {
                    // removed meanwhile
                }
                lastSnapshot = opened.snapshots().isEmpty();
            } catch (CephNotFoundException e) {
                return null;
            }
            if (!lastSnapshot && RbdNames.isDeleted(image)) {
                // a concurrent delete of its other snapshots may not have reached this handle's header
                try (RbdImage fresh = pool.open(image)) {
                    lastSnapshot = fresh.snapshots().isEmpty();
                } catch (CephNotFoundException e) {
                    return null;
                }
            }
            snapshotImages.remove(snapshotId);
            if (lastSnapshot && RbdNames.isDeleted(image)) {
                removeDeleted(pool, image);
            }
            return null;
        });
    }

    /**
     * Rolls the volume's image back to the snapshot ({@code rbd_snap_rollback}: the image's objects
     * get the snapshot's data; every snapshot stays), then grows the image back to the size it had
     * when the volume was extended since the snapshot (rollback also restores the image's size).
     */
    @Override
    public void revertToSnapshot(SnapshotSpec snapshot) {
        String image = RbdNames.volume(snapshot.volumeId());
        String name = RbdNames.snapshot(snapshot.id());
        ceph.call("revert " + image + " to " + name, pool -> {
            try (RbdImage opened = pool.open(image)) {
                Optional<SnapshotInfo> info = snapshotInfo(opened, name);
                if (info.isEmpty()) {
                    throw new VolumeDriverException("cannot revert volume " + snapshot.volumeId() + ": its image "
                            + image + " has no snapshot " + name);
                }
                long size = opened.size();
                if (size < info.get().size()) {
                    throw new IllegalArgumentException("volume " + snapshot.volumeId() + " (" + size + " bytes) is"
                            + " smaller than snapshot " + snapshot.id() + " (" + info.get().size() + " bytes): a"
                            + " volume cannot shrink to be reverted");
                }
                opened.rollbackToSnapshot(name);
                if (opened.size() < size) {
                    opened.resize(size);
                }
            } catch (CephNotFoundException e) {
                throw new VolumeDriverException("cannot revert volume " + snapshot.volumeId() + ": its image " + image
                        + " does not exist in pool " + settings.pool(), e);
            }
            return null;
        });
    }

    /**
     * Unprotects the snapshot; its clones, if any, are flattened first so that they keep their data when
     * it goes.
     */
    private void unprotect(RbdPool pool, RbdImage image, String imageName, String snapshot) throws CephException {
        if (!image.isSnapshotProtected(snapshot)) {
            return;
        }
        try {
            image.unprotectSnapshot(snapshot);
        } catch (CephBusyException busy) {
            List<LinkedImage> children;
            try (RbdImage atSnapshot = pool.openSnapshot(imageName, snapshot)) {
                children = atSnapshot.children();
            }
            for (LinkedImage child : children) {
                LOG.info("flattening {} so that it keeps its data when {}@{} is deleted", child.imageName(), imageName,
                        snapshot);
                try (RbdImage opened = pool.open(child.imageName())) {
                    opened.flatten();
                } catch (CephNotFoundException e) {
                    // gone meanwhile
                }
            }
            image.unprotectSnapshot(snapshot);
        }
    }

    // ------------------------------------------------------------------ clones

    @Override
    public void createVolumeFromSnapshot(VolumeSpec volume, String snapshotId) {
        String name = RbdNames.snapshot(snapshotId);
        String target = RbdNames.volume(volume.id());
        ceph.call("create volume " + target + " from snapshot " + name, pool -> {
            String source = findSnapshot(pool, snapshotId).orElseThrow(() -> new VolumeDriverException(
                    "snapshot " + snapshotId + " does not exist in pool " + settings.pool()));
            long snapshotSize;
            int depth;
            try (RbdImage opened = pool.open(source)) {
                snapshotSize = snapshotInfo(opened, name).map(SnapshotInfo::size).orElseThrow(
                        () -> new VolumeDriverException("snapshot " + snapshotId + " is gone"));
                requireNotSmaller(volume, snapshotSize, "snapshot " + snapshotId);
                if (finishedBefore(pool, target, volume, snapshotSize)) {
                    return null;
                }
                protect(opened, name);
                depth = cloneDepth(pool, source);
            }
            boolean flatten = settings.flattenVolumeFromSnapshot() || depth >= settings.maxCloneDepth();
            makeCopy(pool, source, name, target, volume, flatten, () -> { });
            return null;
        });
    }

    @Override
    public void cloneVolume(VolumeSpec target, String sourceVolumeId) {
        String source = RbdNames.volume(sourceVolumeId);
        String image = RbdNames.volume(target.id());
        if (target.id().equals(sourceVolumeId)) {
            throw new IllegalArgumentException("volume " + sourceVolumeId + " cannot be cloned onto itself");
        }
        String temporary = RbdNames.cloneSnapshot(target.id());
        ceph.call("clone volume " + source + " to " + image, pool -> {
            int depth;
            try (RbdImage opened = pool.open(source)) {
                long sourceSize = opened.size();
                requireNotSmaller(target, sourceSize, "volume " + sourceVolumeId);
                if (finishedBefore(pool, image, target, sourceSize)) {
                    return null;
                }
                if (snapshotInfo(opened, temporary).isEmpty()) {
                    try {
                        opened.createSnapshot(temporary);
                    } catch (CephException e) {
                        if (e.errno() != Errno.EEXIST) {
                            throw e;
                        }
                    }
                }
                protect(opened, temporary);
                depth = cloneDepth(pool, source);
            } catch (CephNotFoundException e) {
                throw new VolumeDriverException("cannot clone volume " + sourceVolumeId + ": its image " + source
                        + " does not exist in pool " + settings.pool(), e);
            }
            boolean flatten = depth >= settings.maxCloneDepth();
            makeCopy(pool, source, temporary, image, target, flatten, () -> dropCloneSnapshot(pool, source, temporary));
            return null;
        });
    }

    /** After a flatten: what the copy no longer needs of its source. */
    @FunctionalInterface
    private interface AfterFlatten {
        void run() throws CephException;
    }

    /** Clones {@code source@snapshot} to {@code target}, flattens it if asked, grows it to its size. */
    private void makeCopy(RbdPool pool, String source, String snapshot, String target, VolumeSpec volume,
                          boolean flatten, AfterFlatten afterFlatten) throws CephException {
        int order = Math.max(settings.objectOrder(), pool.stat(source).order());
        try {
            pool.clone(source, snapshot, pool, target, ImageLayout.layering(order));
        } catch (CephException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
        }
        try (RbdImage copy = pool.open(target)) {
            if (flatten && copy.parent().isPresent()) {
                LOG.info("flattening {} (rbd_flatten_volume_from_snapshot, or rbd_max_clone_depth {} reached)", target,
                        settings.maxCloneDepth());
                copy.flatten();
            }
            if (copy.size() < volume.sizeBytes()) {
                copy.resize(volume.sizeBytes());
            }
        } catch (CephException | RuntimeException e) {
            // nothing half-made: a copy that is not complete goes
            try {
                removeImage(pool, target);
            } catch (CephException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        if (flatten) {
            afterFlatten.run();
        }
    }

    /**
     * Whether an earlier delivery of the same request already made {@code target}: it exists with the
     * size asked for. A target that exists at its source's size (grown before the request was done) is
     * grown now; any other size is an error.
     */
    private boolean finishedBefore(RbdPool pool, String target, VolumeSpec volume, long sourceSize) throws CephException {
        try (RbdImage existing = pool.open(target)) {
            long size = existing.size();
            if (size == volume.sizeBytes()) {
                return true;
            }
            if (size == sourceSize && existing.parent().isPresent()) {
                existing.resize(volume.sizeBytes());
                return true;
            }
            throw new VolumeDriverException("volume " + target + " exists with " + size + " bytes, not "
                    + volume.sizeBytes());
        } catch (CephNotFoundException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ manage (ManageCapable)

    @Override
    public List<ManageableVolume> manageableVolumes(Set<String> managedVolumeIds) {
        return ceph.call("list the images of pool " + settings.pool(), pool -> {
            List<ManageableVolume> found = new ArrayList<>();
            for (String image : pool.list()) {
                if (RbdNames.isDeleted(image)) {
                    continue;
                }
                long size;
                try {
                    size = pool.stat(image).size();
                } catch (CephNotFoundException e) {
                    continue; // removed meanwhile
                }
                Optional<String> volumeId = RbdNames.volumeId(image);
                if (volumeId.isPresent() && managedVolumeIds.contains(volumeId.get())) {
                    found.add(new ManageableVolume(image, manageableGib(size), false, "already managed",
                            volumeId.get(), null));
                } else {
                    found.add(new ManageableVolume(image, manageableGib(size), true, null, null, null));
                }
            }
            return found;
        });
    }

    @Override
    public int manageableSize(String reference) {
        String image = manageableImage(reference);
        return ceph.call("look up image " + image, pool -> {
            try {
                return manageableGib(pool.stat(image).size());
            } catch (CephNotFoundException e) {
                throw new InvalidReferenceException("there is no image " + image + " in pool " + settings.pool());
            }
        });
    }

    @Override
    public int manageExisting(String volumeId, String reference) {
        String target = RbdNames.volume(volumeId);
        String source = manageableImage(reference);
        return ceph.call("manage image " + source + " as " + target, pool -> {
            boolean sourceThere = !source.equals(target) && pool.exists(source);
            boolean targetThere = pool.exists(target);
            if (sourceThere && targetThere) {
                throw new InvalidReferenceException("cannot manage " + source + " as volume " + volumeId + ": " + target
                        + " already exists in pool " + settings.pool());
            }
            if (!sourceThere && !targetThere) {
                throw new InvalidReferenceException("there is no image " + source + " in pool " + settings.pool());
            }
            if (sourceThere) {
                pool.rename(source, target);
            }
            try (RbdImage opened = pool.open(target)) {
                int gib = manageableGib(opened.size());
                if (opened.size() < Sizes.gibToBytes(gib)) {
                    opened.resize(Sizes.gibToBytes(gib));
                }
                LOG.info("rbd driver: {} is now volume {} ({} GiB)", source, volumeId, gib);
                return gib;
            }
        });
    }

    @Override
    public void unmanage(String volumeId) {
        String image = RbdNames.volume(volumeId);
        String kept = RbdNames.unmanagedVolume(volumeId);
        ceph.call("unmanage volume " + image, pool -> {
            if (!pool.exists(image)) {
                return null;
            }
            if (pool.exists(kept)) {
                throw new VolumeDriverException("cannot unmanage volume " + volumeId + ": " + kept
                        + " already exists in pool " + settings.pool() + "; rename or remove it first");
            }
            rename(pool, image, kept);
            LOG.info("rbd driver: volume {} unmanaged; its image is now {}", volumeId, kept);
            return null;
        });
    }

    // ------------------------------------------------------------------ manage snapshots (SnapshotManageCapable)

    @Override
    public List<ManageableSnapshot> manageableSnapshots(Map<String, String> managedSnapshots) {
        return ceph.call("list the snapshots in pool " + settings.pool(), pool -> {
            List<ManageableSnapshot> found = new ArrayList<>();
            for (String image : pool.list()) {
                if (!RbdNames.isVolume(image)) {
                    continue;
                }
                List<SnapshotInfo> snapshots;
                try (RbdImage opened = pool.openReadOnly(image)) {
                    snapshots = opened.snapshots();
                } catch (CephNotFoundException e) {
                    continue; // removed meanwhile
                }
                for (SnapshotInfo snapshot : snapshots) {
                    int gib = manageableGib(snapshot.size());
                    Optional<String> id = RbdNames.snapshotId(snapshot.name());
                    if (id.isPresent() && managedSnapshots.containsKey(id.get())) {
                        found.add(new ManageableSnapshot(snapshot.name(), gib, false, "already managed", id.get(),
                                null, image));
                    } else if (RbdNames.isCloneSnapshot(snapshot.name())) {
                        found.add(new ManageableSnapshot(snapshot.name(), gib, false, "used for clone snap", null,
                                null, image));
                    } else {
                        found.add(new ManageableSnapshot(snapshot.name(), gib, true, null, null, null, image));
                    }
                }
            }
            return found;
        });
    }

    @Override
    public int manageableSnapshotSize(String volumeId, String reference) {
        String image = RbdNames.volume(volumeId);
        String name = manageableSnapshotName(reference);
        return ceph.call("look up snapshot " + image + "@" + name, pool -> {
            try (RbdImage opened = pool.openReadOnly(image)) {
                return manageableGib(snapshotInfo(opened, name).orElseThrow(() -> new InvalidReferenceException(
                        "volume " + volumeId + " (image " + image + ") has no snapshot " + name)).size());
            } catch (CephNotFoundException e) {
                throw new InvalidReferenceException("there is no image " + image + " of volume " + volumeId
                        + " in pool " + settings.pool());
            }
        });
    }

    @Override
    public int manageExistingSnapshot(String snapshotId, String volumeId, String reference) {
        String image = RbdNames.volume(volumeId);
        String target = RbdNames.snapshot(snapshotId);
        String source = manageableSnapshotName(reference);
        return ceph.call("manage snapshot " + image + "@" + source + " as " + target, pool -> {
            try (RbdImage opened = pool.open(image)) {
                Optional<SnapshotInfo> sourceThere = source.equals(target) ? Optional.empty()
                        : snapshotInfo(opened, source);
                Optional<SnapshotInfo> targetThere = snapshotInfo(opened, target);
                if (sourceThere.isPresent() && targetThere.isPresent()) {
                    throw new InvalidReferenceException("cannot manage " + source + " as snapshot " + snapshotId
                            + ": " + image + "@" + target + " already exists");
                }
                if (sourceThere.isEmpty() && targetThere.isEmpty()) {
                    throw new InvalidReferenceException("volume " + volumeId + " (image " + image + ") has no"
                            + " snapshot " + source);
                }
                if (sourceThere.isPresent()) {
                    opened.renameSnapshot(source, target);
                }
                int gib = manageableGib(sourceThere.orElseGet(targetThere::get).size());
                LOG.info("rbd driver: {}@{} is now snapshot {} ({} GiB)", image, source, snapshotId, gib);
                return gib;
            } catch (CephNotFoundException e) {
                throw new InvalidReferenceException("there is no image " + image + " of volume " + volumeId
                        + " in pool " + settings.pool());
            }
        });
    }

    @Override
    public void unmanageSnapshot(String snapshotId, String volumeId) {
        String image = RbdNames.volume(volumeId);
        String name = RbdNames.snapshot(snapshotId);
        String kept = RbdNames.unmanagedSnapshot(snapshotId);
        ceph.call("unmanage snapshot " + image + "@" + name, pool -> {
            try (RbdImage opened = pool.open(image)) {
                if (snapshotInfo(opened, name).isEmpty()) {
                    return null;
                }
                if (snapshotInfo(opened, kept).isPresent()) {
                    throw new VolumeDriverException("cannot unmanage snapshot " + snapshotId + ": " + image + "@"
                            + kept + " already exists; rename or remove it first");
                }
                opened.renameSnapshot(name, kept);
                LOG.info("rbd driver: snapshot {} unmanaged; it is now {}@{}", snapshotId, image, kept);
                return null;
            } catch (CephNotFoundException e) {
                return null;
            }
        });
    }

    /** The snapshot a reference names, or an {@link InvalidReferenceException} saying why it names none. */
    private static String manageableSnapshotName(String reference) {
        if (reference == null || reference.isEmpty() || reference.indexOf('/') >= 0 || reference.indexOf('@') >= 0
                || RbdNames.isCloneSnapshot(reference)) {
            throw new InvalidReferenceException("'" + reference + "' is not the name of a snapshot the rbd driver"
                    + " can manage: give the name of a snapshot of the volume's image (not a clone's)");
        }
        return reference;
    }

    /** The image a reference names, or an {@link InvalidReferenceException} saying why it names none. */
    private String manageableImage(String reference) {
        if (reference == null || reference.isEmpty() || reference.indexOf('/') >= 0 || reference.indexOf('@') >= 0
                || RbdNames.isDeleted(reference)) {
            throw new InvalidReferenceException("'" + reference + "' is not the name of an image the rbd driver can"
                    + " manage: give the name of an image in pool " + settings.pool());
        }
        return reference;
    }

    /** A size in bytes as the whole GiB a managed volume gets: rounded up, at least 1. */
    private static int manageableGib(long bytes) {
        return (int) Math.min(Math.max(1, (bytes + Sizes.GIB - 1) / Sizes.GIB), Integer.MAX_VALUE);
    }

    // ------------------------------------------------------------------ extend

    @Override
    public void extendVolume(String volumeId, int newSizeGib) {
        String image = RbdNames.volume(volumeId);
        if (newSizeGib < 1) {
            throw new IllegalArgumentException("a volume's size must be at least 1 GiB, got " + newSizeGib);
        }
        long bytes = Sizes.gibToBytes(newSizeGib);
        ceph.call("extend volume " + image, pool -> {
            try (RbdImage opened = pool.open(image)) {
                long size = opened.size();
                if (bytes < size) {
                    throw new IllegalArgumentException("volume " + volumeId + " is " + size + " bytes: it cannot shrink to "
                            + newSizeGib + " GiB");
                }
                if (bytes > size) {
                    opened.resize(bytes);
                }
            } catch (CephNotFoundException e) {
                throw new VolumeDriverException("cannot extend volume " + volumeId + ": its image " + image
                        + " does not exist in pool " + settings.pool(), e);
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ block I/O

    @Override
    public BlockDevice open(String volumeId) {
        String image = RbdNames.volume(volumeId);
        return ceph.call("open volume " + image, pool -> {
            try {
                return RbdBlockDevice.of(pool.open(image), false);
            } catch (CephNotFoundException e) {
                throw new VolumeDriverException("volume " + volumeId + " has no image " + image + " in pool "
                        + settings.pool(), e);
            }
        });
    }

    @Override
    public BlockDevice openSnapshot(String snapshotId) {
        String name = RbdNames.snapshot(snapshotId);
        return ceph.call("open snapshot " + name, pool -> {
            String image = findSnapshot(pool, snapshotId).orElseThrow(() -> new VolumeDriverException(
                    "snapshot " + snapshotId + " does not exist in pool " + settings.pool()));
            return RbdBlockDevice.of(pool.openSnapshot(image, name), true);
        });
    }

    // ------------------------------------------------------------------ native connections

    @Override
    public String driverVolumeType() {
        return "rbd";
    }

    /**
     * Cinder's RBD connection data: the image as {@code pool/volume-<id>}, the monitors' hosts and ports
     * (ports as text), the cluster, the user (auth only when {@code rbd_user} is set), libvirt's secret,
     * discard; the keyring's contents only when {@code rbd_keyring_conf} names a readable file.
     */
    @Override
    public Map<String, Object> connectionData(String volumeId) {
        String image = RbdNames.volume(volumeId);
        List<MonitorAddress> monitors = ceph.withCluster("connect volume " + image, (cluster, pool) -> {
            if (!pool.exists(image)) {
                throw new VolumeDriverException("volume " + volumeId + " has no image " + image + " in pool "
                        + settings.pool());
            }
            return cluster.monitorAddresses();
        });
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", settings.pool() + "/" + image);
        data.put("hosts", monitors.stream().map(MonitorAddress::host).toList());
        data.put("ports", monitors.stream().map(MonitorAddress::port).toList());
        data.put("cluster_name", settings.clusterName());
        data.put("auth_enabled", settings.user().isPresent());
        data.put("auth_username", settings.user().orElse(null));
        data.put("secret_type", "ceph");
        data.put("secret_uuid", settings.secretUuid().orElse(null));
        data.put("volume_id", volumeId);
        data.put("discard", true);
        keyringContents().ifPresent(keyring -> data.put("keyring", keyring));
        return data;
    }

    private Optional<String> keyringContents() {
        return settings.keyring().flatMap(path -> {
            try {
                return Optional.of(Files.readString(path));
            } catch (IOException e) {
                LOG.warn("rbd_keyring_conf {} cannot be read, so hosts are not given the keyring: {}", path,
                        e.toString());
                return Optional.empty();
            }
        });
    }

    // ------------------------------------------------------------------ capacity

    @Override
    public PoolReport report() {
        return ceph.withCluster("report the capacity of pool " + settings.pool(), (cluster, pool) -> {
            RbdCapacity capacity = RbdCapacity.of(cluster.poolUsage(settings.pool()),
                    cluster.clusterStats().totalBytes(), settings.reportDynamicTotalCapacity());
            Map<String, Object> capabilities = new LinkedHashMap<>();
            capabilities.put(Capabilities.VOLUME_BACKEND_NAME, settings.backendName());
            capabilities.put(Capabilities.VENDOR_NAME, VENDOR_NAME);
            capabilities.put(Capabilities.DRIVER_VERSION, DRIVER_VERSION);
            capabilities.put(Capabilities.STORAGE_PROTOCOL, STORAGE_PROTOCOL);
            capabilities.put(Capabilities.THIN_PROVISIONING_SUPPORT, true);
            capabilities.put(Capabilities.THICK_PROVISIONING_SUPPORT, false);
            capabilities.put(Capabilities.MULTIATTACH, true);
            capabilities.put(Capabilities.COPY_ON_WRITE, true);
            return new PoolReport(settings.backendName(), capacity.totalGb(), capacity.freeGb(),
                    Sizes.bytesToGib(provisionedBytes(pool)), true, capabilities);
        });
    }

    /** The sizes of the pool's volumes and of their snapshots (not of clones' temporary snapshots). */
    private static long provisionedBytes(RbdPool pool) throws CephException {
        long total = 0;
        for (String image : pool.list()) {
            if (!RbdNames.isVolumeOrDeleted(image)) {
                continue;
            }
            try (RbdImage opened = pool.openReadOnly(image)) {
                if (RbdNames.isVolume(image)) {
                    total += opened.size();
                }
                for (SnapshotInfo snapshot : opened.snapshots()) {
                    if (RbdNames.isSnapshot(snapshot.name())) {
                        total += snapshot.size();
                    }
                }
            } catch (CephNotFoundException e) {
                // deleted meanwhile
            }
        }
        return total;
    }

    // ------------------------------------------------------------------ helpers

    /** The image that holds the snapshot: the one last seen holding it, else found among the pool's. */
    private Optional<String> findSnapshot(RbdPool pool, String snapshotId) throws CephException {
        String name = RbdNames.snapshot(snapshotId);
        String known = snapshotImages.get(snapshotId);
        if (known != null && holds(pool, known, name)) {
            return Optional.of(known);
        }
        for (String image : pool.list()) {
            if (RbdNames.isVolumeOrDeleted(image) && holds(pool, image, name)) {
                snapshotImages.put(snapshotId, image);
                return Optional.of(image);
            }
        }
        snapshotImages.remove(snapshotId);
        return Optional.empty();
    }

    private static boolean holds(RbdPool pool, String image, String snapshot) throws CephException {
        try (RbdImage opened = pool.openReadOnly(image)) {
            return snapshotInfo(opened, snapshot).isPresent();
        } catch (CephNotFoundException e) {
            return false;
        }
    }

    private static Optional<SnapshotInfo> snapshotInfo(RbdImage image, String snapshot) throws CephException {
        return image.snapshots().stream().filter(s -> s.name().equals(snapshot)).findFirst();
    }

    private static void protect(RbdImage image, String snapshot) throws CephException {
        if (!image.isSnapshotProtected(snapshot)) {
            try {
                image.protectSnapshot(snapshot);
            } catch (CephBusyException e) {
                // protected meanwhile by a concurrent copy
            }
        }
    }

    /** How many clone parents the image has above it. */
    private static int cloneDepth(RbdPool pool, String image) throws CephException {
        int depth = 0;
        String current = image;
        while (true) {
            Optional<ImageParent> parent;
            try (RbdImage opened = pool.openReadOnly(current)) {
                parent = opened.parent();
            }
            if (parent.isEmpty() || depth > 64) {
                return depth;
            }
            depth++;
            current = parent.get().image().imageName();
        }
    }

    /**
     * What a removed (or flattened) copy leaves behind: its source's temporary clone snapshot goes once no
     * clone needs it, and a deleted source kept for it goes with its last snapshot, up the chain.
     */
    private void releaseParent(RbdPool pool, ImageParent parent) throws CephException {
        String image = parent.image().imageName();
        if (RbdNames.isCloneSnapshot(parent.snapshot())) {
            dropCloneSnapshot(pool, image, parent.snapshot());
        } else if (RbdNames.isDeleted(image)) {
            try (RbdImage opened = pool.openReadOnly(image)) {
                if (!opened.snapshots().isEmpty()) {
                    return;
                }
            } catch (CephNotFoundException e) {
                return;
            }
            removeDeleted(pool, image);
        }
    }

    /** Removes a clone's temporary snapshot of {@code image} unless clones still use it. */
    private void dropCloneSnapshot(RbdPool pool, String image, String snapshot) throws CephException {
        boolean last;
        try (RbdImage opened = pool.open(image)) {
            try (RbdImage atSnapshot = pool.openSnapshot(image, snapshot)) {
                if (!atSnapshot.children().isEmpty()) {
                    return;
                }
            } catch (CephNotFoundException e) {
                return;
            }
            if (opened.isSnapshotProtected(snapshot)) {
                try {
                    opened.unprotectSnapshot(snapshot);
                } catch (CephBusyException e) {
                    return; // a clone was made meanwhile
                }
            }
            try {
                opened.removeSnapshot(snapshot);
            } catch (CephNotFoundException e) {
                // removed meanwhile
            }
            last = opened.snapshots().isEmpty();
        } catch (CephNotFoundException e) {
            return;
        }
        if (last && RbdNames.isDeleted(image)) {
            removeDeleted(pool, image);
        }
    }

    /** Removes a deleted volume kept for its dependents, then releases what it depended on. */
    private void removeDeleted(RbdPool pool, String image) throws CephException {
        Optional<ImageParent> parent;
        try (RbdImage opened = pool.openReadOnly(image)) {
            parent = opened.parent();
        } catch (CephNotFoundException e) {
            return;
        }
        if (removeImage(pool, image) && parent.isPresent()) {
            releaseParent(pool, parent.get());
        }
    }

    /** Removes the image (its objects are deleted: the data is gone); false when it was not there. */
    private boolean removeImage(RbdPool pool, String image) throws CephException {
        for (int attempt = 1; ; attempt++) {
            try {
                pool.remove(image);
                return true;
            } catch (CephNotFoundException e) {
                return false;
            } catch (CephBusyException e) {
                if (attempt == BUSY_ATTEMPTS) {
                    throw busy(image, e);
                }
                // a watch of a moment (another thread of this service reading it): try again shortly
                pause(attempt);
            } catch (CephException e) {
                // ESTALE: another remove of the same image (a redelivered delete) got there first
                if (e.errno() != ESTALE) {
                    throw e;
                }
                if (!pool.exists(image)) {
                    return false;
                }
                if (attempt == BUSY_ATTEMPTS) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(100L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException("interrupted", e);
        }
    }

    private VolumeDriverException busy(String image, CephBusyException e) {
        return new VolumeDriverException("cannot delete " + settings.pool() + "/" + image + ": " + e.getMessage()
                + "; another client (a host that crashed with it attached?) still has it open: retry in 30 s,"
                + " or see rbd status " + settings.pool() + "/" + image, e);
    }

    private void rename(RbdPool pool, String from, String to) throws CephException {
        try {
            pool.rename(from, to);
        } catch (CephNotFoundException e) {
            // renamed meanwhile by a redelivered delete
        }
    }

    private static void requireSize(RbdPool pool, String image, long bytes) throws CephException {
        long size = pool.stat(image).size();
        if (size != bytes) {
            throw new VolumeDriverException("volume " + image + " exists with " + size + " bytes, not " + bytes);
        }
    }

    private static void requireNotSmaller(VolumeSpec volume, long sourceBytes, String source) {
        if (volume.sizeBytes() < sourceBytes) {
            throw new IllegalArgumentException("volume " + volume.id() + " of " + volume.sizeGib() + " GiB would be"
                    + " smaller than its source, " + source + " (" + sourceBytes + " bytes)");
        }
    }

}
