package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.Ids;
import dev.basalt.db.ImageCacheEntries;
import dev.basalt.db.VolumeImageMetadata;
import dev.basalt.db.VolumeRepository;
import dev.basalt.glance.GlanceImage;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.ImageCacheEntry;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.ImageSource;
import dev.basalt.driver.CloneCapable;
import dev.basalt.driver.ExportCapable;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.volume.image.ImageUnacceptableException;
import dev.basalt.volume.image.VolumeImageFiller;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image-volume cache of one backend, with Cinder's semantics: the first volume made from an
 * image here makes a cache volume first (a volume of the internal tenant, {@code image-<image id>},
 * as large as the image's disk), filled from Glance once; that volume and every later one of the
 * same image (not updated since) is a clone of it — on XFS or btrfs a reflink, whatever the image's
 * size. Before a new entry, the least recently used entries are evicted (their volumes wiped and
 * removed) until it fits {@code image_volume_cache_max_count} and {@code _max_size_gb}; an image
 * larger than the whole cache is not cached. An entry whose volume is gone or not {@code available}
 * is forgotten. Without {@code cinder_internal_tenant_project_id} and {@code _user_id} there is no
 * cache, as in Cinder.
 */
final class ImageVolumeCache {
    private static final Logger LOG = LoggerFactory.getLogger(ImageVolumeCache.class);
    private static final long GIB = 1L << 30;

    private final String backend;
    private final VolumeService.ImageCacheSettings settings;
    private final VolumeDriver driver;
    private final VolumeRepository volumes;
    private final ImageCacheEntries entries;
    private final VolumeImageFiller filler;
    private final VolumeImageMetadata imageMetadata;
    private final Clock clock;

    ImageVolumeCache(String backend, VolumeService.ImageCacheSettings settings, VolumeDriver driver, VolumeRepository volumes,
                     ImageCacheEntries entries, VolumeImageFiller filler, VolumeImageMetadata imageMetadata,
                     Clock clock) {
        this.backend = requireNonNull(backend, "backend");
        this.settings = requireNonNull(settings, "settings");
        this.driver = requireNonNull(driver, "driver");
        this.volumes = requireNonNull(volumes, "volumes");
        this.entries = requireNonNull(entries, "entries");
        this.filler = requireNonNull(filler, "filler");
        this.imageMetadata = requireNonNull(imageMetadata, "imageMetadata");
        this.clock = requireNonNull(clock, "clock");
        if (settings.enabled() && !usable()) {
            LOG.warn("image_volume_cache_enabled on {} but the cache is off: it needs cinder_internal_tenant_project_id,"
                    + " cinder_internal_tenant_user_id and a driver that clones volumes", backend);
        }
    }

    private boolean usable() {
        return settings.internalProjectId() != null && settings.internalUserId() != null
                && driver instanceof CloneCapable && driver instanceof ExportCapable;
    }

    /** Whether volumes made from images on this backend go through the cache. */
    boolean enabled() {
        return settings.enabled() && usable();
    }

    /**
     * Makes {@code volume} (still without storage) from the image through the cache; the image's
     * metadata to record with it. Throws {@link ImageUnacceptableException} when the image cannot
     * fill a volume.
     */
    Map<String, String> create(Volume volume, ImageSource source) {
        GlanceImage image = filler.describe(source);
        Optional<ImageCacheEntry> hit = usableEntry(image, volume.size());
        CloneCapable clones = (CloneCapable) driver;
        VolumeSpec spec = new VolumeSpec(volume.id(), volume.size());
        if (hit.isPresent()) {
            entries.touch(hit.get().id(), clock.instant());
            clones.cloneVolume(spec, hit.get().volumeId());
            LOG.info("volume {} made from image {} by cloning cache volume {}", volume.id(), image.id(),
                    hit.get().volumeId());
            return VolumeImageFiller.metadata(image);
        }
        int cacheSize = cacheSize(image, volume.size());
        if (!makeRoom(cacheSize)) {
            LOG.info("image {} ({} GiB) is larger than the image-volume cache of {}: not cached", image.id(), cacheSize,
                    backend);
            driver.createVolume(spec);
            return filler.fill(volume.id(), source, image, ((ExportCapable) driver).exportPath(volume.id()),
                    volume.size());
        }
        String cacheVolume = fillCacheVolume(volume, source, image, cacheSize);
        clones.cloneVolume(spec, cacheVolume);
        LOG.info("volume {} made from image {} through new cache volume {}", volume.id(), image.id(), cacheVolume);
        return VolumeImageFiller.metadata(image);
    }

    /** An entry of this image as it is now, small enough for the volume; stale entries are evicted. */
    private Optional<ImageCacheEntry> usableEntry(GlanceImage image, int sizeGib) {
        Optional<ImageCacheEntry> found = entries.find(backend, image.id());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ImageCacheEntry entry = found.get();
        Optional<Volume> cached = volumes.find(entry.volumeId());
        boolean current = Objects.equals(entry.imageUpdatedAt(), Timestamps.parse(image.updatedAt()));
        if (cached.isEmpty() || cached.get().status() != VolumeStatus.AVAILABLE || !current) {
            LOG.info("image-volume cache entry of image {} on {} is stale: evicting it", image.id(), backend);
            evict(entry);
            return Optional.empty();
        }
        return entry.size() <= sizeGib ? Optional.of(entry) : Optional.empty();
    }

    /** The GiB of the image's disk (its virtual size, else its data), at most the volume's size. */
    private static int cacheSize(GlanceImage image, int volumeSize) {
        Long bytes = image.virtualSize() != null ? image.virtualSize() : image.size();
        int gib = bytes == null ? volumeSize : (int) Math.max(1, (bytes + GIB - 1) / GIB);
        return Math.min(gib, volumeSize);
    }

    /** Evicts least recently used entries until one of {@code sizeGib} fits; false if it never can. */
    private boolean makeRoom(int sizeGib) {
        if (settings.maxSizeGb() > 0 && sizeGib > settings.maxSizeGb()) {
            return false;
        }
        List<ImageCacheEntry> present = new ArrayList<>(entries.onHost(backend));
        long used = present.stream().mapToLong(ImageCacheEntry::size).sum();
        while (!present.isEmpty() && (settings.maxCount() > 0 && present.size() + 1 > settings.maxCount()
                || settings.maxSizeGb() > 0 && used + sizeGib > settings.maxSizeGb())) {
            ImageCacheEntry oldest = present.remove(0);
            used -= oldest.size();
            LOG.info("evicting image {} (volume {}, {} GiB) from the image-volume cache of {}", oldest.imageId(),
                    oldest.volumeId(), oldest.size(), backend);
            evict(oldest);
        }
        return true;
    }

    /** Makes, fills and records a cache volume of the image; removes what it made when that fails. */
    private String fillCacheVolume(Volume requester, ImageSource source, GlanceImage image, int sizeGib) {
        Volume cache = new Volume(Ids.newId(), settings.internalProjectId(), settings.internalUserId(),
                "image-" + image.id(), null, sizeGib, VolumeStatus.CREATING, AttachStatus.DETACHED,
                requester.availabilityZone(), requester.host(), requester.volumeTypeId(), false, false, null, null,
                requester.serviceUuid(), null, Map.of(), clock.instant(), null, null);
        volumes.create(cache);
        try {
            driver.createVolume(new VolumeSpec(cache.id(), sizeGib));
            Map<String, String> metadata = filler.fill(cache.id(), source, image,
                    ((ExportCapable) driver).exportPath(cache.id()), sizeGib);
            imageMetadata.recordBootableImage(cache.id(), metadata);
            if (!volumes.markAvailable(cache.id())) {
                throw new IllegalStateException("cache volume " + cache.id() + " changed status while it was filled");
            }
        } catch (RuntimeException e) {
            remove(cache.id());
            throw e;
        }
        entries.add(new ImageCacheEntry(Ids.newId(), backend, image.id(), Timestamps.parse(image.updatedAt()),
                cache.id(), sizeGib, clock.instant()));
        return cache.id();
    }

    /** Forgets the entry and, if it still is an available cache volume, wipes and removes its volume. */
    private void evict(ImageCacheEntry entry) {
        if (!entries.remove(entry.id())) {
            return;
        }
        Optional<Volume> cached = volumes.find(entry.volumeId());
        if (cached.isPresent() && cached.get().status() == VolumeStatus.AVAILABLE
                && volumes.transition(entry.volumeId(), Set.of(VolumeStatus.AVAILABLE), VolumeStatus.DELETING)) {
            remove(entry.volumeId());
        }
    }

    private void remove(String volumeId) {
        try {
            driver.deleteVolume(volumeId);
            volumes.delete(volumeId);
        } catch (RuntimeException e) {
            LOG.error("could not remove cache volume {} on {}", volumeId, backend, e);
            volumes.markError(volumeId, Set.of(VolumeStatus.CREATING, VolumeStatus.DELETING),
                    "the image-volume cache could not remove it: " + SnapshotManager.describe(e));
        }
    }

    /** Glance's timestamps ({@code 2026-01-01T00:00:00Z}) as instants; null stays null. */
    private static final class Timestamps {
        static java.time.Instant parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (java.time.format.DateTimeParseException notOffset) {
                try {
                    return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
                } catch (java.time.format.DateTimeParseException unreadable) {
                    return null;
                }
            }
        }
    }
}
