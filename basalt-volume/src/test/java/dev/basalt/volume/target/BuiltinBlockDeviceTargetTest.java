package dev.basalt.volume.target;

import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.file.FileDriverSettings;
import dev.basalt.driver.file.FileVolumeDriver;
import java.nio.file.Path;

/**
 * Basalt's own target serving volumes through their driver's block device (as it serves RBD images)
 * rather than their files: the whole target compliance suite, with real initiators and libiscsi's
 * conformance tests, through {@link DriverDeviceOpener} and {@link BlockDeviceStore} on the file
 * driver's device.
 */
class BuiltinBlockDeviceTargetTest extends BuiltinTargetTest {
    private FileVolumeDriver driver;

    @Override
    protected ExportSource source(String id, Path file) {
        if (driver == null) {
            driver = new FileVolumeDriver(new FileDriverSettings(file.getParent(), true, VolumeClear.ZERO, 0, "file"));
            driver.start();
        }
        return new ExportSource.Device(new DriverDeviceOpener(driver, id));
    }
}
