package dev.basalt.iscsi;

import static java.util.Objects.requireNonNull;

import dev.basalt.iscsi.scsi.BackingFile;
import dev.basalt.iscsi.scsi.BackingStoreOpener;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One logical unit of an export: its number, what holds its blocks (512 bytes each; a raw file as a
 * {@link BackingFile}, or any {@link BackingStoreOpener}: the store's size, rounded down to a block,
 * is the capacity), whether initiators may write it, and
 * the stable serial that identifies it (unit serial number VPD page, and the source of its NAA
 * identifier in the device identification page). Give each LUN its own serial and keep it for the
 * life of the data: initiators (multipath, udev's /dev/disk/by-id) recognise a disk by it.
 * {@code limits} caps the rate of its reads and writes ({@link IoLimits#NONE}: none).
 */
public record Lun(int number, BackingStoreOpener store, boolean readOnly, String serial, IoLimits limits) {
    public static final int MAX_NUMBER = 16383;
    private static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public Lun {
        requireNonNull(store, "store");
        requireNonNull(serial, "serial");
        requireNonNull(limits, "limits");
        if (number < 0 || number > MAX_NUMBER) {
            throw new IllegalArgumentException("LUN number must be 0.." + MAX_NUMBER + ": " + number);
        }
        if (!SERIAL.matcher(serial).matches()) {
            throw new IllegalArgumentException("serial must be 1 to 64 of A-Z a-z 0-9 . _ : -: " + serial);
        }
    }

    /** A logical unit on a raw file. */
    public Lun(int number, Path path, boolean readOnly, String serial, IoLimits limits) {
        this(number, new BackingFile(path), readOnly, serial, limits);
    }

    /** A logical unit on a raw file, without rate limits. */
    public Lun(int number, Path path, boolean readOnly, String serial) {
        this(number, path, readOnly, serial, IoLimits.NONE);
    }

    public Lun withLimits(IoLimits newLimits) {
        return new Lun(number, store, readOnly, serial, newLimits);
    }

    public static Lun readWrite(int number, Path path, String serial) {
        return new Lun(number, path, false, serial);
    }

    public static Lun readOnly(int number, Path path, String serial) {
        return new Lun(number, path, true, serial);
    }
}
