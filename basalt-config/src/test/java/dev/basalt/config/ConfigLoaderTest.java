package dev.basalt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void withNoFileEverythingHasAWorkingDefault() {
        BasaltConfig config = BasaltConfig.load(List.of());

        Path statePath = Path.of(System.getProperty("user.home"), ".local/share/basalt");
        DefaultOptions d = config.defaults();
        assertThat(d.statePath()).isEqualTo(statePath);
        assertThat(d.osapiVolumeListen()).isEqualTo("127.0.0.1");
        assertThat(d.osapiVolumeListenPort()).isEqualTo(8776);
        assertThat(d.authStrategy()).isEqualTo(AuthStrategy.NOAUTH);
        assertThat(d.enabledBackends()).containsExactly("file");
        assertThat(d.defaultVolumeType()).isEqualTo("__DEFAULT__");
        assertThat(d.storageAvailabilityZone()).isEqualTo("nova");
        assertThat(d.defaultAvailabilityZone()).isEqualTo("nova");
        assertThat(d.host()).isNotBlank().doesNotContain("@", "#");
        assertThat(d.reportInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.serviceDownTime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.periodicInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.osapiMaxLimit()).isEqualTo(1000);
        assertThat(d.rpcResponseTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.allowAvailabilityZoneFallback()).isFalse();
        assertThat(d.schedulerDefaultFilters())
                .containsExactly("AvailabilityZoneFilter", "CapacityFilter", "CapabilitiesFilter");
        assertThat(d.schedulerDefaultWeighers()).containsExactly("CapacityWeigher");
        assertThat(d.capacityWeightMultiplier()).isEqualTo(1.0);
        assertThat(d.allocatedCapacityWeightMultiplier()).isEqualTo(-1.0);

        assertThat(config.backends()).containsExactly(new BackendOptions("file", "file", "file",
                new OverSubscriptionRatio.Fixed(20.0), 0, VolumeClear.ZERO, 0, TargetOptions.defaults(),
                BackendOptions.ImageCache.OFF));
        assertThat(config.database().connection()).isEqualTo("jdbc:h2:file:" + statePath + "/basalt");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void aLaterFileOverridesAnEarlierOneOptionByOption() {
        Path first = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]",
                "osapi_volume_listen = 0.0.0.0",
                "osapi_volume_listen_port = 9000",
                "[lvm]",
                "reserved_percentage = 5",
                "volume_clear = none",
                "[DEFAULT]",
                "enabled_backends = lvm");
        Path second = ConfFiles.write(dir, "override.conf",
                "[DEFAULT]",
                "osapi_volume_listen_port = 9001",
                "[lvm]",
                "reserved_percentage = 10");

        BasaltConfig config = BasaltConfig.load(List.of(first, second));

        assertThat(config.defaults().osapiVolumeListen()).isEqualTo("0.0.0.0");
        assertThat(config.defaults().osapiVolumeListenPort()).isEqualTo(9001);
        BackendOptions lvm = config.backend("lvm").orElseThrow();
        assertThat(lvm.reservedPercentage()).isEqualTo(10);
        assertThat(lvm.volumeClear()).isEqualTo(VolumeClear.NONE);
    }

    @Test
    void aBackendFallsBackToBackendDefaultsThenToTheBuiltInDefault() {
        Path file = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]",
                "enabled_backends = fast, slow",
                "[backend_defaults]",
                "max_over_subscription_ratio = auto",
                "reserved_percentage = 15",
                "[fast]",
                "reserved_percentage = 0",
                "example_sparse = false");

        BasaltConfig config = DriverDeclaredOptions.load(file);

        assertThat(config.backends()).extracting(BackendOptions::name).containsExactly("fast", "slow");
        BackendOptions fast = config.backend("fast").orElseThrow();
        BackendOptions slow = config.backend("slow").orElseThrow();
        assertThat(fast.reservedPercentage()).isZero();
        assertThat(slow.reservedPercentage()).isEqualTo(15);
        assertThat(fast.maxOverSubscriptionRatio()).isEqualTo(OverSubscriptionRatio.AUTO);
        assertThat(slow.maxOverSubscriptionRatio()).isEqualTo(OverSubscriptionRatio.AUTO);
        assertThat(DriverDeclaredOptions.get(config, "fast", DriverDeclaredOptions.SPARSE)).isFalse();
        assertThat(DriverDeclaredOptions.get(config, "slow", DriverDeclaredOptions.SPARSE)).isTrue();
        assertThat(slow.volumeBackendName()).isEqualTo("slow");
        assertThat(DriverDeclaredOptions.get(config, "slow", DriverDeclaredOptions.VOLUMES_DIR))
                .isEqualTo(config.defaults().statePath().resolve("volumes/slow"));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void aBackendSectionNameIsMatchedWithoutRegardToCase() {
        Path file = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]",
                "enabled_backends = LVM-1",
                "[lvm-1]",
                "volume_backend_name = LVM_iSCSI");

        BasaltConfig config = BasaltConfig.load(List.of(file));

        assertThat(config.backend("LVM-1").orElseThrow().volumeBackendName()).isEqualTo("LVM_iSCSI");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void aMissingFileIsAnErrorThatNamesIt() {
        Path missing = dir.resolve("nope.conf");

        assertThatThrownBy(() -> BasaltConfig.load(List.of(missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": configuration file not found");
    }

    @Test
    void unknownOptionsAndSectionsAreWarningsThatNameFileSectionAndOption() {
        Path file = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]",
                "debug = true",
                "volume_driver = file",
                "enabled_backends = lvm",
                "[lvm]",
                "lvm_type = thin",
                "[coordination]",
                "backend_url = file:///var/lib/cinder",
                "[ceph]",
                "rbd_pool = volumes");

        BasaltConfig config = BasaltConfig.load(List.of(file));

        assertThat(config.warnings()).containsExactly(
                file + ": [DEFAULT] debug: unknown option, ignored",
                file + ": [DEFAULT] volume_driver: unknown option, ignored"
                        + " (it belongs in a backend section or [backend_defaults])",
                file + ": [lvm] lvm_type: unknown option, ignored",
                file + ": [coordination]: unknown section (not a backend named in enabled_backends), ignored",
                file + ": [ceph]: unknown section (not a backend named in enabled_backends), ignored");
    }

    @Test
    void everyMalformedValueIsReportedAtOnce() {
        Path file = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]",
                "report_interval = soon",
                "[database]",
                "connection = mysql://u:p@h/ db",
                "[backend_defaults]",
                "reserved_percentage = -1");

        assertThatThrownBy(() -> BasaltConfig.load(List.of(file)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        file + ": [DEFAULT] report_interval = \"soon\": not an integer",
                        file + ": [database] connection = (secret): not a database URL",
                        file + ": [backend_defaults] reserved_percentage = \"-1\": must be between 0 and 100"))
                .hasMessageStartingWith("3 problems in the configuration:");
    }

    @Test
    void aBackendMayNotTakeTheNameOfAnotherSection() {
        Path file = ConfFiles.write(dir, "cinder.conf", "[DEFAULT]", "enabled_backends = file, database");

        assertThatThrownBy(() -> BasaltConfig.load(List.of(file)))
                .hasMessage("[DEFAULT] enabled_backends: \"database\" is the name of another section, not a backend");
    }

    @Test
    void noBackendsIsAllowed() {
        Path file = ConfFiles.write(dir, "cinder.conf", "[DEFAULT]", "enabled_backends =");

        assertThat(BasaltConfig.load(List.of(file)).backends()).isEmpty();
    }

    @Test
    void defaultAvailabilityZoneFollowsStorageAvailabilityZone() {
        Path file = ConfFiles.write(dir, "cinder.conf", "[DEFAULT]", "storage_availability_zone = az1");

        DefaultOptions defaults = BasaltConfig.load(List.of(file)).defaults();

        assertThat(defaults.storageAvailabilityZone()).isEqualTo("az1");
        assertThat(defaults.defaultAvailabilityZone()).isEqualTo("az1");
    }

    @Test
    void serviceDownTimeNotAboveReportIntervalBecomesTwoAndAHalfIntervals() {
        Path file = ConfFiles.write(dir, "cinder.conf", "[DEFAULT]", "report_interval = 30", "service_down_time = 30");

        BasaltConfig config = BasaltConfig.load(List.of(file));

        assertThat(config.defaults().serviceDownTime()).isEqualTo(Duration.ofSeconds(75));
        assertThat(config.warnings()).containsExactly(
                "[DEFAULT] service_down_time (30 s) must be greater than report_interval (30 s): using 75 s");
    }

    @Test
    void theDatabaseConnectionIsKeptAsGivenAndItsPasswordIsNotPrinted() {
        Path file = ConfFiles.write(dir, "cinder.conf",
                "[database]", "connection = mysql+pymysql://cinder:s3cret@db.example/cinder?charset=utf8");

        DatabaseOptions database = BasaltConfig.load(List.of(file)).database();

        assertThat(database.connection()).isEqualTo("mysql+pymysql://cinder:s3cret@db.example/cinder?charset=utf8");
        assertThat(database.toString()).doesNotContain("s3cret").contains("cinder:****@db.example");
    }

    @Test
    void laterModulesReadTheirOwnOptionsThroughTheSource() {
        Path file = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]",
                "transport_url = rabbit://guest:guest@$osapi_volume_listen:5672/",
                "[keystone_authtoken]",
                "memcache_pool_maxsize = 20");
        Option<Integer> maxSize = Option.of("memcache_pool_maxsize", OptionType.atLeast(1), "10", "Pool size.");
        Option<String> region = Option.optional("region_name", OptionType.string(), "Region.");

        ConfigSource source = BasaltConfig.load(List.of(file)).source();

        assertThat(source.get("DEFAULT", "transport_url")).contains("rabbit://guest:guest@127.0.0.1:5672/");
        assertThat(source.get("keystone_authtoken", maxSize)).isEqualTo(20);
        assertThat(source.section("keystone_authtoken").find(region)).isEmpty();
        assertThatThrownBy(() -> source.section("keystone_authtoken").get(region))
                .hasMessage("[keystone_authtoken] region_name: not set, and the option has no default");
    }

    @Test
    void aGroupPassedToTheLoaderMakesItsSectionKnownAndChecked() {
        OptionGroup keystone = new OptionGroup("keystone_authtoken", "Keystone token validation.");
        Option<Integer> maxSize = keystone.add(
                Option.of("memcache_pool_maxsize", OptionType.atLeast(1), "10", "Pool size."));
        List<OptionGroup> groups = List.of(DefaultOptions.GROUP, BackendOptions.GROUP, DatabaseOptions.GROUP, keystone);
        Path good = ConfFiles.write(dir, "good.conf", "[keystone_authtoken]", "memcache_pool_maxsize = 20");
        Path bad = ConfFiles.write(dir, "bad.conf", "[keystone_authtoken]", "memcache_pool_maxsize = 0");

        BasaltConfig config = new ConfigLoader(groups).load(List.of(good));

        assertThat(config.warnings()).isEmpty();
        assertThat(config.source().get("keystone_authtoken", maxSize)).isEqualTo(20);
        assertThatThrownBy(() -> new ConfigLoader(groups).load(List.of(bad)))
                .hasMessage(bad + ": [keystone_authtoken] memcache_pool_maxsize = \"0\": must be at least 1");
    }

    @Test
    void optionsGivenForBackendsAreKnownAndCheckedInEveryBackendSectionAndInBackendDefaults() {
        Path file = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]",
                "enabled_backends = a, b",
                "[backend_defaults]",
                "example_sparse = no",
                "[a]",
                "example_volumes_dir = /srv/a");
        Path bad = ConfFiles.write(dir, "bad.conf",
                "[DEFAULT]",
                "enabled_backends = a",
                "[a]",
                "example_sparse = sometimes");

        BasaltConfig config = DriverDeclaredOptions.load(file);

        assertThat(config.warnings()).isEmpty();
        assertThat(DriverDeclaredOptions.get(config, "a", DriverDeclaredOptions.VOLUMES_DIR)).isEqualTo(Path.of("/srv/a"));
        assertThat(DriverDeclaredOptions.get(config, "b", DriverDeclaredOptions.SPARSE)).isFalse();
        assertThatThrownBy(() -> DriverDeclaredOptions.load(bad)).isInstanceOf(ConfigException.class)
                .hasMessage(bad + ": [a] example_sparse = \"sometimes\": not a boolean (expected true/false, yes/no, on/off"
                        + " or 1/0)");
        assertThat(BasaltConfig.load(List.of(file)).warnings()).containsExactly(
                file + ": [backend_defaults] example_sparse: unknown option, ignored",
                file + ": [a] example_volumes_dir: unknown option, ignored");
    }
}
