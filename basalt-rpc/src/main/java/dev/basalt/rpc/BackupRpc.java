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
 * The backup service's contract (Cinder's backup rpcapi): what the api sends to the backup service
 * of a host, and how a backup service serves it. A backup service reads and writes the volumes of
 * its own host, so the api sends each operation to the backup service on the host of the volume
 * concerned.
 */
public final class BackupRpc {
    /** The topic backup services serve; each as {@code backup.host}. */
    public static final String TOPIC = "backup";
    /** The binary name backup services register under, as Cinder's. */
    public static final String BINARY = "cinder-backup";

    static final RpcMethod<CreateBackup, Void> CREATE_BACKUP = RpcMethod.cast("create_backup", "1.0", CreateBackup.class);
    static final RpcMethod<RestoreBackup, Void> RESTORE_BACKUP =
            RpcMethod.cast("restore_backup", "1.0", RestoreBackup.class);
    static final RpcMethod<DeleteBackup, Void> DELETE_BACKUP = RpcMethod.cast("delete_backup", "1.0", DeleteBackup.class);
    static final RpcMethod<String, BackupRecord> EXPORT_RECORD =
            RpcMethod.call("export_record", "1.0", String.class, BackupRecord.class);
    static final RpcMethod<ImportBackup, Void> IMPORT_RECORD = RpcMethod.cast("import_record", "1.0", ImportBackup.class);

    /** What a backup service does with each message; every handler is idempotent. */
    public interface Server {
        /** Copies a {@code creating} backup's volume or snapshot into the repository. */
        void createBackup(CreateBackup request) throws Exception;

        /** Writes a {@code restoring} backup into its {@code restoring-backup} volume. */
        void restoreBackup(RestoreBackup request) throws Exception;

        /** Removes a {@code deleting} backup from the repository, then its row. */
        void deleteBackup(DeleteBackup request) throws Exception;

        /** The record of an {@code available} backup, for import elsewhere. */
        BackupRecord exportRecord(String backupId) throws Exception;

        /** Finishes importing a record into its {@code creating} backup row. */
        void importRecord(ImportBackup request) throws Exception;
    }

    private final Bus bus;

    public BackupRpc(Bus bus) {
        this.bus = requireNonNull(bus, "bus");
    }

    public void createBackup(String host, CreateBackup request) {
        bus.cast(at(host), CREATE_BACKUP, request);
    }

    public void restoreBackup(String host, RestoreBackup request) {
        bus.cast(at(host), RESTORE_BACKUP, request);
    }

    public void deleteBackup(String host, DeleteBackup request) {
        bus.cast(at(host), DELETE_BACKUP, request);
    }

    public BackupRecord exportRecord(String host, String backupId, Duration timeout) {
        return bus.call(at(host), EXPORT_RECORD, backupId, timeout);
    }

    public void importRecord(String host, ImportBackup request) {
        bus.cast(at(host), IMPORT_RECORD, request);
    }

    /** Serves {@code server} as the backup service of {@code host}, with this process's log levels. */
    public static Subscription serve(Bus bus, String host, Server server, LogLevels levels) {
        Endpoint.Builder endpoint = Endpoint.builder()
                .onCast(CREATE_BACKUP, server::createBackup)
                .onCast(RESTORE_BACKUP, server::restoreBackup)
                .onCast(DELETE_BACKUP, server::deleteBackup)
                .onCall(EXPORT_RECORD, server::exportRecord)
                .onCast(IMPORT_RECORD, server::importRecord);
        return bus.serve(TOPIC, host, ServiceRpc.servedBy(levels, endpoint).build());
    }

    private static Address at(String host) {
        return Address.of(TOPIC, host);
    }
}
