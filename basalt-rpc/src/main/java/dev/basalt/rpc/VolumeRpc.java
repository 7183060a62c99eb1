package dev.basalt.rpc;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.Address;
import dev.basalt.bus.Bus;
import dev.basalt.bus.Endpoint;
import dev.basalt.bus.RpcMethod;
import dev.basalt.bus.Subscription;
import dev.basalt.common.LogLevels;
import java.time.Duration;

/**
 * The volume service's contract (Cinder's volume rpcapi): what the api and the scheduler send to
 * the volume service of a backend ({@code host@backend}), and how a volume service serves it.
 */
public final class VolumeRpc {
    /** The topic volume services serve; one server per backend, named {@code host@backend}. */
    public static final String TOPIC = "volume";
    /** The binary name volume services register under, as Cinder's. */
    public static final String BINARY = "cinder-volume";

    /** 1.1: {@link CreateVolume#backupId()} and {@link CreateVolume#image()}. */
    static final RpcMethod<CreateVolume, Void> CREATE_VOLUME = RpcMethod.cast("create_volume", "1.1", CreateVolume.class);
    /** {@code create_volume} as sent without a backup, which a 1.0 volume service still serves. */
    static final RpcMethod<CreateVolume, Void> CREATE_VOLUME_1_0 =
            RpcMethod.cast("create_volume", "1.0", CreateVolume.class);
    static final RpcMethod<DeleteVolume, Void> DELETE_VOLUME = RpcMethod.cast("delete_volume", "1.0", DeleteVolume.class);
    static final RpcMethod<ExtendVolume, Void> EXTEND_VOLUME = RpcMethod.cast("extend_volume", "1.0", ExtendVolume.class);
    static final RpcMethod<RevertToSnapshot, Void> REVERT_TO_SNAPSHOT =
            RpcMethod.cast("revert_to_snapshot", "1.0", RevertToSnapshot.class);
    static final RpcMethod<RetypeVolume, Void> RETYPE = RpcMethod.cast("retype", "1.0", RetypeVolume.class);
    static final RpcMethod<MigrateVolume, Void> MIGRATE_VOLUME =
            RpcMethod.cast("migrate_volume", "1.0", MigrateVolume.class);
    static final RpcMethod<ManageExisting, Void> MANAGE_EXISTING =
            RpcMethod.cast("manage_existing", "1.0", ManageExisting.class);
    static final RpcMethod<UnmanageVolume, Void> UNMANAGE_VOLUME =
            RpcMethod.cast("unmanage_volume", "1.0", UnmanageVolume.class);
    static final RpcMethod<ManageableVolumesQuery, ManageableVolumes> GET_MANAGEABLE_VOLUMES =
            RpcMethod.call("get_manageable_volumes", "1.0", ManageableVolumesQuery.class, ManageableVolumes.class);
    static final RpcMethod<ManageExistingSnapshot, Void> MANAGE_EXISTING_SNAPSHOT =
            RpcMethod.cast("manage_existing_snapshot", "1.0", ManageExistingSnapshot.class);
    static final RpcMethod<UnmanageSnapshot, Void> UNMANAGE_SNAPSHOT =
            RpcMethod.cast("unmanage_snapshot", "1.0", UnmanageSnapshot.class);
    static final RpcMethod<ManageableSnapshotsQuery, ManageableSnapshots> GET_MANAGEABLE_SNAPSHOTS =
            RpcMethod.call("get_manageable_snapshots", "1.0", ManageableSnapshotsQuery.class,
                    ManageableSnapshots.class);
    static final RpcMethod<CopyVolumeToImage, Void> COPY_VOLUME_TO_IMAGE =
            RpcMethod.cast("copy_volume_to_image", "1.0", CopyVolumeToImage.class);
    static final RpcMethod<CreateSnapshot, Void> CREATE_SNAPSHOT =
            RpcMethod.cast("create_snapshot", "1.0", CreateSnapshot.class);
    static final RpcMethod<DeleteSnapshot, Void> DELETE_SNAPSHOT =
            RpcMethod.cast("delete_snapshot", "1.0", DeleteSnapshot.class);
    static final RpcMethod<CreateGroupSnapshot, Void> CREATE_GROUP_SNAPSHOT =
            RpcMethod.cast("create_group_snapshot", "1.0", CreateGroupSnapshot.class);
    static final RpcMethod<DeleteGroupSnapshot, Void> DELETE_GROUP_SNAPSHOT =
            RpcMethod.cast("delete_group_snapshot", "1.0", DeleteGroupSnapshot.class);
    /** 2.0: the reply is protocol-neutral ({@link VolumeConnection}: a driver_volume_type and its data). */
    static final RpcMethod<InitializeConnection, VolumeConnection> INITIALIZE_CONNECTION =
            RpcMethod.call("initialize_connection", "2.0", InitializeConnection.class, VolumeConnection.class);
    static final RpcMethod<TerminateConnection, Void> TERMINATE_CONNECTION =
            RpcMethod.call("terminate_connection", "1.0", TerminateConnection.class, Void.class);
    static final RpcMethod<PublishCapabilities, Void> PUBLISH_CAPABILITIES =
            RpcMethod.cast("publish_service_capabilities", "1.0", PublishCapabilities.class);
    static final RpcMethod<BackupDeviceRequest, BackupDevice> GET_BACKUP_DEVICE =
            RpcMethod.call("get_backup_device", "1.1", BackupDeviceRequest.class, BackupDevice.class);
    static final RpcMethod<DropBackupBases, Void> DROP_BACKUP_BASES =
            RpcMethod.cast("drop_backup_bases", "1.0", DropBackupBases.class);
    static final RpcMethod<CleanupRequest, Void> DO_CLEANUP = RpcMethod.cast("do_cleanup", "1.0", CleanupRequest.class);

    /** What a volume service does with each message; every handler is idempotent. */
    public interface Server {
        /** Makes the placed {@code creating} volume. */
        void createVolume(CreateVolume request) throws Exception;

        /** Wipes and removes a {@code deleting} volume, row included. */
        void deleteVolume(DeleteVolume request) throws Exception;

        /** Grows an {@code extending} volume. */
        void extendVolume(ExtendVolume request) throws Exception;

        /** Makes a {@code reverting} volume's data its {@code restoring} snapshot's again. */
        void revertToSnapshot(RevertToSnapshot request) throws Exception;

        /** Changes a {@code retyping} volume's type in place, or migrates it with its new type. */
        void retype(RetypeVolume request) throws Exception;

        /** Copies a volume being migrated to its destination backend and moves it there. */
        void migrateVolume(MigrateVolume request) throws Exception;

        /** Adopts existing storage as a {@code managing} volume, or fails it ({@code error_managing}). */
        void manageExisting(ManageExisting request) throws Exception;

        /** Lets go of an {@code unmanaging} volume, its bytes kept, and removes its row. */
        void unmanageVolume(UnmanageVolume request) throws Exception;

        /** What the backend's storage holds that could be managed. */
        ManageableVolumes manageableVolumes(ManageableVolumesQuery request) throws Exception;

        /** Adopts an existing snapshot on the storage as a {@code creating} managed snapshot, or fails it. */
        void manageExistingSnapshot(ManageExistingSnapshot request) throws Exception;

        /** Lets go of an {@code unmanaging} snapshot, its bytes kept, and removes its row. */
        void unmanageSnapshot(UnmanageSnapshot request) throws Exception;

        /** What snapshots the backend's storage holds that could be managed. */
        ManageableSnapshots manageableSnapshots(ManageableSnapshotsQuery request) throws Exception;

        /** Writes an {@code uploading} volume into its queued Glance image, then puts the volume back. */
        void copyVolumeToImage(CopyVolumeToImage request) throws Exception;

        /** Takes a {@code creating} snapshot. */
        void createSnapshot(CreateSnapshot request) throws Exception;

        /** Wipes and removes a {@code deleting} snapshot. */
        void deleteSnapshot(DeleteSnapshot request) throws Exception;

        /** Takes the {@code creating} members of a group snapshot together (one pass of the driver over them). */
        void createGroupSnapshot(CreateGroupSnapshot request) throws Exception;

        /** Wipes and removes the {@code deleting} members of a group snapshot (the last one takes it along). */
        void deleteGroupSnapshot(DeleteGroupSnapshot request) throws Exception;

        /** Exports a volume for a host and says how to reach it. */
        VolumeConnection initializeConnection(InitializeConnection request) throws Exception;

        /** A host is done with a volume: drops the export unless another attachment uses it. */
        void terminateConnection(TerminateConnection request) throws Exception;

        /** Reports the backend's capacity to the schedulers now. */
        void publishCapabilities(PublishCapabilities request) throws Exception;

        /**
         * Where the volume's (or its snapshot's) bytes are on this host, for a backup service here
         * to read or restore into.
         */
        BackupDevice backupDevice(BackupDeviceRequest request) throws Exception;

        /** Drops backup bases of a volume, as {@link DropBackupBases} says. */
        void dropBackupBases(DropBackupBases request) throws Exception;

        /**
         * Finishes or fails the work in flight on this backend that the request's service
         * ({@link CleanupRequest#serviceId()}) left, as a restart does for its own.
         */
        void doCleanup(CleanupRequest request) throws Exception;
    }

    private final Bus bus;

    public VolumeRpc(Bus bus) {
        this.bus = requireNonNull(bus, "bus");
    }

    /**
     * Asks the volume service of {@code backend} to create the volume: as 1.1 when it is made from a
     * backup (a volume service too old to know backups refuses it instead of making a blank volume),
     * else as 1.0.
     */
    public void createVolume(String backend, CreateVolume request) {
        bus.cast(at(backend), request.needsSource() ? CREATE_VOLUME : CREATE_VOLUME_1_0, request);
    }

    public void deleteVolume(String backend, DeleteVolume request) {
        bus.cast(at(backend), DELETE_VOLUME, request);
    }

    public void extendVolume(String backend, ExtendVolume request) {
        bus.cast(at(backend), EXTEND_VOLUME, request);
    }

    /** Asks the volume service of {@code backend} to revert the volume to its snapshot. */
    public void revertToSnapshot(String backend, RevertToSnapshot request) {
        bus.cast(at(backend), REVERT_TO_SNAPSHOT, request);
    }

    /** Asks the volume service of {@code backend} to retype the volume (in place or by migrating it). */
    public void retype(String backend, RetypeVolume request) {
        bus.cast(at(backend), RETYPE, request);
    }

    /** Asks the volume service of {@code backend} (the volume's) to migrate the volume. */
    public void migrateVolume(String backend, MigrateVolume request) {
        bus.cast(at(backend), MIGRATE_VOLUME, request);
    }

    /** Asks the volume service of {@code backend} to adopt existing storage as the volume. */
    public void manageExisting(String backend, ManageExisting request) {
        bus.cast(at(backend), MANAGE_EXISTING, request);
    }

    /** Asks the volume service of {@code backend} to let go of the volume, keeping its bytes. */
    public void unmanageVolume(String backend, UnmanageVolume request) {
        bus.cast(at(backend), UNMANAGE_VOLUME, request);
    }

    /** What the storage of {@code backend} holds that could be managed. */
    public ManageableVolumes manageableVolumes(String backend, ManageableVolumesQuery request, Duration timeout) {
        return bus.call(at(backend), GET_MANAGEABLE_VOLUMES, request, timeout);
    }

    /** Asks the volume service of {@code backend} to adopt an existing snapshot as the snapshot. */
    public void manageExistingSnapshot(String backend, ManageExistingSnapshot request) {
        bus.cast(at(backend), MANAGE_EXISTING_SNAPSHOT, request);
    }

    /** Asks the volume service of {@code backend} to let go of the snapshot, keeping its bytes. */
    public void unmanageSnapshot(String backend, UnmanageSnapshot request) {
        bus.cast(at(backend), UNMANAGE_SNAPSHOT, request);
    }

    /** What snapshots the storage of {@code backend} holds that could be managed. */
    public ManageableSnapshots manageableSnapshots(String backend, ManageableSnapshotsQuery request,
                                                   Duration timeout) {
        return bus.call(at(backend), GET_MANAGEABLE_SNAPSHOTS, request, timeout);
    }

    /** Asks the volume service of {@code backend} to upload the volume into its queued image. */
    public void copyVolumeToImage(String backend, CopyVolumeToImage request) {
        bus.cast(at(backend), COPY_VOLUME_TO_IMAGE, request);
    }

    public void createSnapshot(String backend, CreateSnapshot request) {
        bus.cast(at(backend), CREATE_SNAPSHOT, request);
    }

    public void deleteSnapshot(String backend, DeleteSnapshot request) {
        bus.cast(at(backend), DELETE_SNAPSHOT, request);
    }

    /** Asks the volume service of the group's {@code backend} to take the group snapshot's members. */
    public void createGroupSnapshot(String backend, CreateGroupSnapshot request) {
        bus.cast(at(backend), CREATE_GROUP_SNAPSHOT, request);
    }

    /** Asks the volume service of the group's {@code backend} to delete the group snapshot's members. */
    public void deleteGroupSnapshot(String backend, DeleteGroupSnapshot request) {
        bus.cast(at(backend), DELETE_GROUP_SNAPSHOT, request);
    }

    public VolumeConnection initializeConnection(String backend, InitializeConnection request, Duration timeout) {
        return bus.call(at(backend), INITIALIZE_CONNECTION, request, timeout);
    }

    public void terminateConnection(String backend, TerminateConnection request, Duration timeout) {
        bus.call(at(backend), TERMINATE_CONNECTION, request, timeout);
    }

    /** Where the volume's (or snapshot's) bytes are on the host of {@code backend}. */
    public BackupDevice backupDevice(String backend, BackupDeviceRequest request, Duration timeout) {
        return bus.call(at(backend), GET_BACKUP_DEVICE, request, timeout);
    }

    /** Asks the volume service of {@code backend} to drop backup bases of a volume. */
    public void dropBackupBases(String backend, DropBackupBases request) {
        bus.cast(at(backend), DROP_BACKUP_BASES, request);
    }

    /** Asks the volume service of {@code backend} to clean up the work in flight the request names. */
    public void doCleanup(String backend, CleanupRequest request) {
        bus.cast(at(backend), DO_CLEANUP, request);
    }

    /** Asks every volume service to report its capacity now. */
    public void publishCapabilities(PublishCapabilities request) {
        bus.fanout(TOPIC, PUBLISH_CAPABILITIES, request);
    }

    /** Serves {@code server} as the volume service of {@code backend}, with this process's log levels. */
    public static Subscription serve(Bus bus, String backend, Server server, LogLevels levels) {
        Endpoint.Builder endpoint = Endpoint.builder()
                .onCast(CREATE_VOLUME, server::createVolume)
                .onCast(DELETE_VOLUME, server::deleteVolume)
                .onCast(EXTEND_VOLUME, server::extendVolume)
                .onCast(REVERT_TO_SNAPSHOT, server::revertToSnapshot)
                .onCast(RETYPE, server::retype)
                .onCast(MIGRATE_VOLUME, server::migrateVolume)
                .onCast(MANAGE_EXISTING, server::manageExisting)
                .onCast(UNMANAGE_VOLUME, server::unmanageVolume)
                .onCall(GET_MANAGEABLE_VOLUMES, server::manageableVolumes)
                .onCast(MANAGE_EXISTING_SNAPSHOT, server::manageExistingSnapshot)
                .onCast(UNMANAGE_SNAPSHOT, server::unmanageSnapshot)
                .onCall(GET_MANAGEABLE_SNAPSHOTS, server::manageableSnapshots)
                .onCast(COPY_VOLUME_TO_IMAGE, server::copyVolumeToImage)
                .onCast(CREATE_SNAPSHOT, server::createSnapshot)
                .onCast(DELETE_SNAPSHOT, server::deleteSnapshot)
                .onCast(CREATE_GROUP_SNAPSHOT, server::createGroupSnapshot)
                .onCast(DELETE_GROUP_SNAPSHOT, server::deleteGroupSnapshot)
                .onCall(INITIALIZE_CONNECTION, server::initializeConnection)
                .onCall(TERMINATE_CONNECTION, request -> {
                    server.terminateConnection(request);
                    return null;
                })
                .onCast(PUBLISH_CAPABILITIES, server::publishCapabilities)
                .onCall(GET_BACKUP_DEVICE, server::backupDevice)
                .onCast(DROP_BACKUP_BASES, server::dropBackupBases)
                .onCast(DO_CLEANUP, server::doCleanup);
        return bus.serve(TOPIC, backend, ServiceRpc.servedBy(levels, endpoint).build());
    }

    private static Address at(String backend) {
        return Address.of(TOPIC, backend);
    }
}
