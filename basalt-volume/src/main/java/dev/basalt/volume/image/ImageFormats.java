package dev.basalt.volume.image;

import dev.basalt.glance.GlanceImage;
import java.util.Set;

/**
 * Which images a volume can be filled from, as Cinder's format inspector decides: a disk format
 * Basalt converts ({@code raw}, {@code qcow2}, {@code vmdk}, {@code vdi}), content that is what the
 * image declares (a qcow2 declared {@code raw} is refused, and the other way round), no backing or
 * external data file, and a disk that fits the volume.
 */
public final class ImageFormats {
    /** The disk formats Basalt converts to raw. */
    public static final Set<String> CONVERTIBLE = Set.of("raw", "qcow2", "vmdk", "vdi");
    private static final long GIB = 1L << 30;

    private ImageFormats() {
    }

    /** Refuses (with the reason) an image whose content {@code probed} cannot fill a volume of {@code sizeGib}. */
    public static void check(GlanceImage image, QemuImg.Info probed, int sizeGib) {
        String declared = image.diskFormat();
        if (declared == null || !CONVERTIBLE.contains(declared)) {
            throw new ImageUnacceptableException("Image " + image.id() + " is unacceptable: its disk format "
                    + declared + " is not supported; use one of raw, qcow2, vmdk, vdi.");
        }
        if (!declared.equals(probed.format())) {
            throw new ImageUnacceptableException("Image " + image.id() + " is unacceptable: its content is "
                    + probed.format() + " but its disk_format says " + declared + ".");
        }
        if (probed.backingFile() != null || probed.dataFile() != null) {
            throw new ImageUnacceptableException("Image " + image.id() + " is unacceptable: it refers to another file ("
                    + (probed.backingFile() != null ? probed.backingFile() : probed.dataFile()) + ").");
        }
        long virtualGib = (probed.virtualSize() + GIB - 1) / GIB;
        if (virtualGib > sizeGib) {
            throw new ImageUnacceptableException("Image " + image.id() + " is unacceptable: its virtual size is "
                    + virtualGib + "GB and doesn't fit in a volume of size " + sizeGib + "GB.");
        }
    }
}
