package dev.basalt.volume.manager;

import dev.basalt.driver.VolumeDriver;

/**
 * Looks up an optional ability (a capability interface such as
 * {@link dev.basalt.driver.SnapshotCapable}) of a backend's driver, and refuses cleanly
 * when the driver lacks it: the work fails with a reason the user can read, instead of a crash.
 */
final class DriverCapabilities {
    private DriverCapabilities() {
    }

    /** The driver as {@code capability}, or a {@link MissingCapability} saying what it cannot do. */
    static <T> T require(VolumeDriver driver, Class<T> capability, String doWhat) {
        if (capability.isInstance(driver)) {
            return capability.cast(driver);
        }
        throw new MissingCapability("the " + driver.name() + " volume driver cannot " + doWhat);
    }

    /** The backend's driver does not have an ability the work needs. */
    static final class MissingCapability extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingCapability(String message) {
            super(message);
        }
    }
}
