package dev.basalt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code volume_driver} values resolve to the drivers Basalt has, and any other says what there is. */
class VolumeDriversTest {
    private static final DriverOption<Boolean> SPARSE = DriverOption.of("disk_sparse", OptionKind.bool(), "true", "Sparse.");
    private static final DriverOption<String> POOL = DriverOption.of("rbd_pool", OptionKind.text(), "rbd", "Pool.");

    private static final VolumeDriverProvider DISK = new NamedProvider("disk", List.of("vendor.DiskDriver"), List.of(SPARSE));
    private static final VolumeDriverProvider RBD =
            new NamedProvider("rbd", List.of("cinder.volume.drivers.rbd.RBDDriver"), List.of(POOL, SPARSE));

    @Test
    void aDriverIsFoundByItsNameAndItsAliases() {
        VolumeDrivers drivers = new VolumeDrivers(List.of(DISK, RBD));

        assertThat(drivers.resolve("disk")).isSameAs(DISK);
        assertThat(drivers.resolve("vendor.DiskDriver")).isSameAs(DISK);
        assertThat(drivers.resolve("rbd")).isSameAs(RBD);
        assertThat(drivers.resolve("cinder.volume.drivers.rbd.RBDDriver")).isSameAs(RBD);
        assertThat(drivers.names()).containsExactly("disk", "rbd");
    }

    @Test
    void anUnknownDriverNamesWhatThereIs() {
        VolumeDrivers drivers = new VolumeDrivers(List.of(DISK, RBD));

        assertThatThrownBy(() -> drivers.resolve("cinder.volume.drivers.nosuch.Driver"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("volume_driver = cinder.volume.drivers.nosuch.Driver: unknown driver; available: disk, rbd");
    }

    @Test
    void aCinderDriverBasaltLacksIsNamedAsSuch() {
        VolumeDrivers drivers = new VolumeDrivers(List.of(DISK));

        assertThatThrownBy(() -> drivers.resolve("cinder.volume.drivers.lvm.LVMVolumeDriver"))
                .hasMessage("volume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver: Basalt has no LVM driver;"
                        + " available: disk");
        assertThatThrownBy(() -> drivers.resolve("cinder.volume.drivers.nfs.NfsDriver"))
                .hasMessage("volume_driver = cinder.volume.drivers.nfs.NfsDriver: Basalt has no NFS driver; available: disk");
        assertThatThrownBy(() -> drivers.resolve("cinder.volume.drivers.rbd.RBDDriver"))
                .hasMessage("volume_driver = cinder.volume.drivers.rbd.RBDDriver: Basalt has no RBD driver; available: disk");
        assertThatThrownBy(() -> drivers.resolve("rbd"))
                .hasMessage("volume_driver = rbd: Basalt has no RBD driver; available: disk");
    }

    @Test
    void twoDriversAnsweringToOneNameAreRefused() {
        VolumeDriverProvider other = new NamedProvider("other", List.of("disk"), List.of());

        assertThatThrownBy(() -> new VolumeDrivers(List.of(DISK, other)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("volume_driver = disk would select two drivers: disk and other");
    }

    @Test
    void theDriversOptionsAreListedOnceEach() {
        assertThat(new VolumeDrivers(List.of(DISK, RBD)).options()).containsExactly(SPARSE, POOL);
    }

    @Test
    void anOptionTwoDriversDeclareDifferentlyIsRefused() {
        DriverOption<Integer> sparseNumber = DriverOption.of("disk_sparse", OptionKind.atLeast(0), "1", "Sparse, counted.");
        VolumeDriverProvider other = new NamedProvider("other", List.of(), List.of(sparseNumber));

        assertThatThrownBy(() -> new VolumeDrivers(List.of(DISK, other)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("option disk_sparse is declared as").hasMessageEndingWith("by the drivers disk, other");
    }

    @Test
    void aContextGivesTheDriverItsValuesTyped() {
        DriverOption<String> secret = DriverOption.optional("rbd_secret_uuid", OptionKind.text(), "Secret.");
        DriverContext context = new DriverContext("ceph", "ceph", VolumeClear.ZERO, 0, java.nio.file.Path.of("/s"),
                java.util.Map.of("rbd_pool", "volumes"));

        assertThat(context.option(POOL)).isEqualTo("volumes");
        assertThat(context.find(secret)).isEmpty();
        assertThatThrownBy(() -> context.option(secret)).isInstanceOf(IllegalStateException.class)
                .hasMessage("[ceph] rbd_secret_uuid is not set, and the option has no default");
    }

    @Test
    void anOptionIsNamedAndDocumented() {
        assertThatThrownBy(() -> DriverOption.of("Bad Name", OptionKind.bool(), "true", "Help."))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DriverOption.of("no_help", OptionKind.bool(), "true", " "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DriverOption.literal("a$b")).isEqualTo("a$$b");
    }

    /** A provider that only answers to names and declares options; it makes no drivers. */
    private record NamedProvider(String name, List<String> aliases, List<DriverOption<?>> options)
            implements VolumeDriverProvider {
        @Override
        public VolumeDriver create(DriverContext context) {
            throw new UnsupportedOperationException("no driver here");
        }

        @Override
        public String describe(DriverContext context) {
            return name + " driver";
        }
    }
}
