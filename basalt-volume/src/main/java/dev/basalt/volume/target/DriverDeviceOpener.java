package dev.basalt.volume.target;

import static java.util.Objects.requireNonNull;

import dev.basalt.driver.BlockDevice;
import dev.basalt.driver.BlockIoCapable;
import dev.basalt.iscsi.scsi.BackingStore;
import dev.basalt.iscsi.scsi.BackingStoreOpener;
import java.io.IOException;

/**
 * Opens a volume through its driver's block I/O for Basalt's iSCSI target: what makes the target a
 * gateway to volumes that are not files on this host (an RBD image for a host without librbd).
 *
 * @param driver   the volume's driver
 * @param volumeId the volume
 */
public record DriverDeviceOpener(BlockIoCapable driver, String volumeId) implements BackingStoreOpener {
    public DriverDeviceOpener {
        requireNonNull(driver, "driver");
        requireNonNull(volumeId, "volumeId");
    }

    @Override
    public BackingStore open(boolean readOnly) throws IOException {
        BlockDevice device;
        try {
            device = driver.open(volumeId);
        } catch (RuntimeException e) {
            throw new IOException(this + " cannot be opened: " + e.getMessage(), e);
        }
        return new BlockDeviceStore(device, toString());
    }

    @Override
    public String toString() {
        return "volume " + volumeId + " of the " + driver.name() + " driver";
    }
}
