package dev.basalt.rpc;

/**
 * A stand-in for a volume service in tests: every message fails as unexpected until a test
 * overrides the ones it expects.
 */
public class VolumeServerStub implements VolumeRpc.Server {
    @Override
    public void createVolume(CreateVolume request) {
        throw unexpected(request);
    }

    @Override
    public void deleteVolume(DeleteVolume request) {
        throw unexpected(request);
    }

    @Override
    public void extendVolume(ExtendVolume request) {
        throw unexpected(request);
    }

    @Override
    public void revertToSnapshot(RevertToSnapshot request) {
        throw unexpected(request);
    }

    @Override
    public void manageExisting(ManageExisting request) {
        throw unexpected(request);
    }

    @Override
    public void unmanageVolume(UnmanageVolume request) {
        throw unexpected(request);
    }

    @Override
    public ManageableVolumes manageableVolumes(ManageableVolumesQuery request) {
        throw unexpected(request);
    }

    @Override
    public void manageExistingSnapshot(ManageExistingSnapshot request) {
        throw unexpected(request);
    }

    @Override
    public void unmanageSnapshot(UnmanageSnapshot request) {
        throw unexpected(request);
    }

    @Override
    public ManageableSnapshots manageableSnapshots(ManageableSnapshotsQuery request) {
        throw unexpected(request);
    }

    @Override
    public void copyVolumeToImage(CopyVolumeToImage request) {
        throw unexpected(request);
    }

    @Override
    public void createSnapshot(CreateSnapshot request) {
        throw unexpected(request);
    }

    @Override
    public void deleteSnapshot(DeleteSnapshot request) {
        throw unexpected(request);
    }

    @Override
    public void createGroupSnapshot(CreateGroupSnapshot request) {
        throw unexpected(request);
    }

    @Override
    public void deleteGroupSnapshot(DeleteGroupSnapshot request) {
        throw unexpected(request);
    }

    @Override
    public VolumeConnection initializeConnection(InitializeConnection request) {
        throw unexpected(request);
    }

    @Override
    public void terminateConnection(TerminateConnection request) {
        throw unexpected(request);
    }

    @Override
    public void publishCapabilities(PublishCapabilities request) {
        throw unexpected(request);
    }

    @Override
    public BackupDevice backupDevice(BackupDeviceRequest request) {
        throw unexpected(request);
    }

    @Override
    public void dropBackupBases(DropBackupBases request) {
        throw unexpected(request);
    }

    @Override
    public void doCleanup(CleanupRequest request) {
        throw unexpected(request);
    }

    static UnsupportedOperationException unexpected(Object request) {
        return new UnsupportedOperationException("this test does not expect " + request);
    }

    @Override
    public void retype(RetypeVolume request) {
        throw unexpected(request);
    }

    @Override
    public void migrateVolume(MigrateVolume request) {
        throw unexpected(request);
    }
}
