package dev.basalt.volume.manager;

import dev.basalt.driver.VolumeDriver;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backends ({@code host@backend}) whose volume services run in this process, with their drivers:
 * a migration copies a volume to another of them through both drivers' block I/O. One instance per
 * volume role, shared by its services; each adds its backend when it has started and removes it when
 * it stops.
 */
public final class LocalBackends {
    private final Map<String, VolumeDriver> drivers = new ConcurrentHashMap<>();

    void add(String backend, VolumeDriver driver) {
        drivers.put(backend, driver);
    }

    void remove(String backend) {
        drivers.remove(backend);
    }

    /** The driver of {@code backend} when its volume service runs in this process. */
    Optional<VolumeDriver> driver(String backend) {
        return Optional.ofNullable(drivers.get(backend));
    }
}
