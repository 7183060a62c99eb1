package dev.basalt.server;

import dev.basalt.config.BackendOptions;
import dev.basalt.config.DefaultOptions;
import dev.basalt.config.OverSubscriptionRatio;
import dev.basalt.volume.manager.LocalBackends;
import dev.basalt.volume.manager.VolumeService;
import dev.basalt.volume.target.TargetException;
import dev.basalt.volume.manager.VolumeServiceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Composition root of the volume role: one volume service per enabled backend. */
final class VolumeRole {
    private static final Duration MESSAGE_TTL = Duration.ofDays(30);

    private VolumeRole() {
    }

    /**
     * Starts the targets and a volume service per backend; the list closes in reverse: the
     * services first, then the targets.
     */
    static List<AutoCloseable> start(Infrastructure infra) {
        DefaultOptions defaults = infra.config().defaults();
        BackendDrivers drivers = BackendDrivers.onClassPath();
        Targets targets = new Targets(infra.metrics().registry());
        List<AutoCloseable> started = new ArrayList<>();
        started.add(targets);
        LocalBackends local = new LocalBackends();
        try {
            for (BackendOptions backend : infra.config().backends()) {
                VolumeService service = new VolumeService(settings(defaults, backend),
                        drivers.create(infra.config(), backend),
                        targets.forBackend(backend), infra.database(), infra.bus(), infra.clock(),
                        infra.metrics().registry(),
                        infra.config().source().defaults().get(DefaultOptions.IMAGE_CONVERSION_DIR),
                        imageCache(infra, backend), local);
                try {
                    service.start();
                } catch (TargetException e) {
                    throw new StartupException("[" + backend.name() + "] the " + backend.target().helper().name()
                            .toLowerCase(java.util.Locale.ROOT) + " target cannot serve: " + e.getMessage(), e);
                }
                started.add(service);
            }
        } catch (RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                closeQuietly(started.get(i));
            }
            throw e;
        }
        return started;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already failing; the first error is the one to report
        }
    }

    private static VolumeServiceSettings settings(DefaultOptions defaults, BackendOptions backend) {
        if (!(backend.maxOverSubscriptionRatio() instanceof OverSubscriptionRatio.Fixed fixed)) {
            throw new StartupException("[" + backend.name() + "] max_over_subscription_ratio = auto is not supported"
                    + " yet; set a number of at least 1.0 (Cinder's default is 20.0)");
        }
        return new VolumeServiceSettings(defaults.host() + "@" + backend.name(), backend.volumeBackendName(),
                defaults.storageAvailabilityZone(), fixed.ratio(), backend.reservedPercentage(),
                defaults.reportInterval(), defaults.periodicInterval(), MESSAGE_TTL, backend.target().prefix(),
                defaults.serviceDownTime());
    }

    private static VolumeService.ImageCacheSettings imageCache(Infrastructure infra, BackendOptions backend) {
        var defaults = infra.config().source().defaults();
        return new VolumeService.ImageCacheSettings(backend.imageCache().enabled(), backend.imageCache().maxSizeGb(),
                backend.imageCache().maxCount(),
                defaults.find(DefaultOptions.CINDER_INTERNAL_TENANT_PROJECT_ID).orElse(null),
                defaults.find(DefaultOptions.CINDER_INTERNAL_TENANT_USER_ID).orElse(null));
    }
}
