package dev.basalt.driver;

import java.util.List;

/**
 * Makes the drivers of one kind of storage; found through {@link java.util.ServiceLoader}, so a
 * driver module registers its provider in {@code META-INF/services/dev.basalt.driver.VolumeDriverProvider}
 * and plugs in without any change elsewhere. {@link VolumeDrivers} picks the provider a backend's
 * {@code volume_driver} names.
 */
public interface VolumeDriverProvider {

    /** The driver's name in {@code volume_driver}, e.g. {@code file}. */
    String name();

    /** Other values of {@code volume_driver} that select this driver, such as Cinder's class path of its driver. */
    List<String> aliases();

    /** The options the driver reads from its backend's section, beyond those every backend has. */
    List<DriverOption<?>> options();

    /**
     * A driver for the backend, not started yet.
     *
     * @throws IllegalArgumentException when the option values do not go together; the message names
     *     the options and says what to change
     */
    VolumeDriver create(DriverContext context);

    /** What the start-up banner says of the backend, e.g. {@code file driver, volumes in /var/lib/basalt/volumes/b1}. */
    String describe(DriverContext context);
}
