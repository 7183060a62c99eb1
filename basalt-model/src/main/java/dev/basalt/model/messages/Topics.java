package dev.basalt.model.messages;

/**
 * Bus topics, method names and the service binary names each role registers under (Cinder's
 * names, so {@code cinder service-list} reads as operators expect).
 */
public final class Topics {
    public static final String SCHEDULER = "scheduler";
    public static final String VOLUME = "volume";
    public static final String API = "api";

    public static final String SCHEDULER_BINARY = "cinder-scheduler";
    public static final String VOLUME_BINARY = "cinder-volume";

    /** api → scheduler (cast): place a volume that is {@code creating}; {@link ScheduleVolume}. */
    public static final String SCHEDULE_CREATE_VOLUME = "create_volume";
    /** volume → scheduler (fanout): pool capacity; {@link CapacityReport}. */
    public static final String UPDATE_CAPABILITIES = "update_service_capabilities";
    /** scheduler → volume (fanout): report capacity now; {@link PublishCapabilities}. */
    public static final String PUBLISH_CAPABILITIES = "publish_service_capabilities";
    /** scheduler → volume.host@backend (cast): make the placed volume; {@link CreateVolume}. */
    public static final String CREATE_VOLUME = "create_volume";
    /** api → volume.host@backend (cast): wipe and remove a {@code deleting} volume; {@link DeleteVolume}. */
    public static final String DELETE_VOLUME = "delete_volume";
    /** api → volume.host@backend (cast): take a {@code creating} snapshot; {@link CreateSnapshot}. */
    public static final String CREATE_SNAPSHOT = "create_snapshot";
    /** api → volume.host@backend (cast): wipe and remove a {@code deleting} snapshot; {@link DeleteSnapshot}. */
    public static final String DELETE_SNAPSHOT = "delete_snapshot";
    /** api → volume.host@backend (cast): grow an {@code extending} volume; {@link ExtendVolume}. */
    public static final String EXTEND_VOLUME = "extend_volume";

    /** api → volume.host@backend (call): export a volume for a host; {@link InitializeConnection} → {@link IscsiConnection}. */
    public static final String INITIALIZE_CONNECTION = "initialize_connection";
    /** api → volume.host@backend (call): a host is done with a volume; {@link TerminateConnection}. */
    public static final String TERMINATE_CONNECTION = "terminate_connection";

    /**
     * volume or scheduler → api (fanout): a creating volume reached {@code available} or
     * {@code error}; {@link VolumeSettled}. Lets the API answer a create with the settled volume.
     */
    public static final String VOLUME_SETTLED = "volume_settled";

    private Topics() {
    }
}
