package dev.basalt.server;

import dev.basalt.config.DefaultOptions;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.db.WorkerRepository;
import dev.basalt.scheduler.SchedulerService;
import dev.basalt.scheduler.SchedulerSettings;
import java.time.Duration;

/** Composition root of the scheduler role. */
final class SchedulerRole {
    private static final Duration MESSAGE_TTL = Duration.ofDays(30);
    private static final Duration MESSAGE_REAP_INTERVAL = Duration.ofHours(1);

    private SchedulerRole() {
    }

    static SchedulerService start(Infrastructure infra) {
        DefaultOptions d = infra.config().defaults();
        SchedulerSettings settings = new SchedulerSettings(d.host(), d.schedulerDefaultFilters(),
                d.schedulerDefaultWeighers(), d.capacityWeightMultiplier(), d.allocatedCapacityWeightMultiplier(),
                d.storageAvailabilityZone(), d.reportInterval(), d.serviceDownTime(), d.periodicInterval(),
                MESSAGE_TTL, MESSAGE_REAP_INTERVAL, d.serviceDownTime(), d.periodicInterval());
        SchedulerService scheduler;
        try {
            scheduler = new SchedulerService(settings, new VolumeRepository(infra.database()),
                    new SnapshotRepository(infra.database()),
                    new VolumeTypeRepository(infra.database()), new ServiceRepository(infra.database()),
                    new MessageRepository(infra.database()), new WorkerRepository(infra.database()), infra.bus(),
                    infra.clock(), infra.metrics().registry());
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage(), e);
        }
        scheduler.start();
        return scheduler;
    }
}
