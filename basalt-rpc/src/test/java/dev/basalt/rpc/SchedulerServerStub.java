package dev.basalt.rpc;

import dev.basalt.model.PoolCapacity;
import java.util.List;

/**
 * A stand-in for a scheduler in tests: placements fail as unexpected until a test overrides them;
 * capacity reports are ignored and no pools are known.
 */
public class SchedulerServerStub implements SchedulerRpc.Server {
    @Override
    public void createVolume(ScheduleVolume request) {
        throw VolumeServerStub.unexpected(request);
    }

    @Override
    public void updateServiceCapabilities(CapacityReport report) {
    }

    @Override
    public List<PoolCapacity> pools(PoolsQuery query) {
        return List.of();
    }

    @Override
    public CleanupResult workCleanup(CleanupRequest request) {
        throw VolumeServerStub.unexpected(request);
    }

    @Override
    public void retype(RetypeVolume request) {
        throw VolumeServerStub.unexpected(request);
    }

    @Override
    public void migrateVolume(MigrateVolume request) {
        throw VolumeServerStub.unexpected(request);
    }
}
