package dev.basalt.driver;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The drivers this Basalt has, by the names and aliases {@code volume_driver} may give, and the
 * options they declare.
 */
public final class VolumeDrivers {
    /** Cinder's drivers known by name, so that asking for one Basalt lacks says so. */
    private static final List<CinderDriver> CINDER_DRIVERS = List.of(
            new CinderDriver("lvm", "LVM", "cinder.volume.drivers.lvm.LVMVolumeDriver"),
            new CinderDriver("nfs", "NFS", "cinder.volume.drivers.nfs.NfsDriver"),
            new CinderDriver("rbd", "RBD", "cinder.volume.drivers.rbd.RBDDriver"));

    private final List<VolumeDriverProvider> providers;
    private final Map<String, VolumeDriverProvider> byName = new LinkedHashMap<>();

    /**
     * @throws IllegalStateException when two providers answer to the same name, or declare an option
     *     of the same name differently
     */
    public VolumeDrivers(List<VolumeDriverProvider> providers) {
        this.providers = List.copyOf(providers);
        for (VolumeDriverProvider provider : this.providers) {
            List<String> names = new ArrayList<>(List.of(provider.name()));
            names.addAll(provider.aliases());
            for (String name : names) {
                VolumeDriverProvider other = byName.putIfAbsent(name, provider);
                if (other != null) {
                    throw new IllegalStateException("volume_driver = " + name + " would select two drivers: "
                            + other.name() + " and " + provider.name());
                }
            }
        }
        options();
    }

    /** The providers on the class path ({@code META-INF/services/dev.basalt.driver.VolumeDriverProvider}). */
    public static VolumeDrivers onClassPath() {
        List<VolumeDriverProvider> found = new ArrayList<>();
        ServiceLoader.load(VolumeDriverProvider.class, VolumeDrivers.class.getClassLoader()).forEach(found::add);
        return new VolumeDrivers(found);
    }

    /**
     * The provider {@code volumeDriver} names.
     *
     * @throws IllegalArgumentException naming the value and the drivers there are, when none answers to it
     */
    public VolumeDriverProvider resolve(String volumeDriver) {
        requireNonNull(volumeDriver, "volumeDriver");
        VolumeDriverProvider provider = byName.get(volumeDriver.strip());
        if (provider != null) {
            return provider;
        }
        String problem = CINDER_DRIVERS.stream()
                .filter(known -> known.name().equals(volumeDriver.strip()) || known.classPath().equals(volumeDriver.strip()))
                .findFirst()
                .map(known -> "Basalt has no " + known.label() + " driver")
                .orElse("unknown driver");
        throw new IllegalArgumentException("volume_driver = " + volumeDriver + ": " + problem + "; available: "
                + String.join(", ", names()));
    }

    /** The drivers' names, in the order they were found. */
    public List<String> names() {
        return providers.stream().map(VolumeDriverProvider::name).toList();
    }

    public List<VolumeDriverProvider> providers() {
        return providers;
    }

    /**
     * Every option the drivers declare, each once: two drivers may share an option (a setting of the
     * same thing under Cinder's one name) when they declare it alike.
     */
    public List<DriverOption<?>> options() {
        Map<String, DriverOption<?>> options = new LinkedHashMap<>();
        for (VolumeDriverProvider provider : providers) {
            for (DriverOption<?> option : provider.options()) {
                DriverOption<?> other = options.putIfAbsent(option.name(), option);
                if (other != null && !other.kind().equals(option.kind())) {
                    throw new IllegalStateException("option " + option.name() + " is declared as " + other.kind()
                            + " and as " + option.kind() + " by the drivers " + declaring(option.name()));
                }
            }
        }
        return List.copyOf(options.values());
    }

    private String declaring(String option) {
        return providers.stream().filter(p -> p.options().stream().anyMatch(o -> o.name().equals(option)))
                .map(VolumeDriverProvider::name).collect(Collectors.joining(", "));
    }

    /** A driver of Cinder's, by its name and its class path. */
    private record CinderDriver(String name, String label, String classPath) {
    }
}
