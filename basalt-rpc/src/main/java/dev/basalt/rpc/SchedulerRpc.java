package dev.basalt.rpc;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.Address;
import dev.basalt.bus.Bus;
import dev.basalt.bus.Endpoint;
import dev.basalt.bus.RpcMethod;
import dev.basalt.bus.Subscription;
import dev.basalt.common.LogLevels;
import dev.basalt.model.PoolCapacity;
import java.time.Duration;
import java.util.List;

/**
 * The scheduler's contract (Cinder's scheduler rpcapi): placements the api asks any scheduler
 * for, the capacity reports volume services fan out to every scheduler, and the pools a scheduler
 * knows; and how a scheduler serves it.
 */
public final class SchedulerRpc {
    /** The topic schedulers serve; each also as {@code scheduler.host}. */
    public static final String TOPIC = "scheduler";
    /** The binary name schedulers register under, as Cinder's. */
    public static final String BINARY = "cinder-scheduler";

    /** 1.1: {@link ScheduleVolume#backupId()} and {@link ScheduleVolume#image()}. */
    static final RpcMethod<ScheduleVolume, Void> CREATE_VOLUME =
            RpcMethod.cast("create_volume", "1.1", ScheduleVolume.class);
    /** {@code create_volume} as sent without a backup, which a 1.0 scheduler still serves. */
    static final RpcMethod<ScheduleVolume, Void> CREATE_VOLUME_1_0 =
            RpcMethod.cast("create_volume", "1.0", ScheduleVolume.class);
    static final RpcMethod<RetypeVolume, Void> RETYPE = RpcMethod.cast("retype", "1.0", RetypeVolume.class);
    static final RpcMethod<MigrateVolume, Void> MIGRATE_VOLUME =
            RpcMethod.cast("migrate_volume", "1.0", MigrateVolume.class);
    static final RpcMethod<CapacityReport, Void> UPDATE_SERVICE_CAPABILITIES =
            RpcMethod.cast("update_service_capabilities", "1.0", CapacityReport.class);
    /** 1.1: the {@link PoolsQuery} filters. */
    static final RpcMethod<PoolsQuery, PoolCapacity[]> GET_POOLS =
            RpcMethod.call("get_pools", "1.1", PoolsQuery.class, PoolCapacity[].class);
    /** {@code get_pools} without filters, which a 1.0 scheduler still serves. */
    static final RpcMethod<PoolsQuery, PoolCapacity[]> GET_POOLS_1_0 =
            RpcMethod.call("get_pools", "1.0", PoolsQuery.class, PoolCapacity[].class);
    static final RpcMethod<CleanupRequest, CleanupResult> WORK_CLEANUP =
            RpcMethod.call("work_cleanup", "1.0", CleanupRequest.class, CleanupResult.class);

    /** What a scheduler does with each message; every handler is idempotent. */
    public interface Server {
        /** Places a {@code creating} volume and sends it to the chosen backend's volume service. */
        void createVolume(ScheduleVolume request) throws Exception;

        /**
         * Finds the backend for a {@code retyping} volume with its new type and sends the retype to the
         * volume's service; when none fits, puts the volume back as it was and leaves a user message.
         */
        void retype(RetypeVolume request) throws Exception;

        /**
         * Checks that the destination backend of a migration accepts the volume and sends the migration
         * to the volume's service; when it does not, ends the migration in {@code error}.
         */
        void migrateVolume(MigrateVolume request) throws Exception;

        /** Takes a volume service's capacity report. */
        void updateServiceCapabilities(CapacityReport report) throws Exception;

        /** The pools as this scheduler sees them now that {@code query} selects. */
        List<PoolCapacity> pools(PoolsQuery query);

        /**
         * Has the work in flight of the services the request matches cleaned up: by the live volume
         * service of their backend, or failed into error statuses when there is none; says which
         * services are being cleaned and which could not be.
         */
        CleanupResult workCleanup(CleanupRequest request) throws Exception;
    }

    private final Bus bus;

    public SchedulerRpc(Bus bus) {
        this.bus = requireNonNull(bus, "bus");
    }

    /**
     * Asks any one scheduler to place the volume: as 1.1 when it is made from a backup (a scheduler
     * too old to pass the backup on refuses it), else as 1.0.
     */
    public void createVolume(ScheduleVolume request) {
        bus.cast(Address.anyOf(TOPIC), request.needsSource() ? CREATE_VOLUME : CREATE_VOLUME_1_0, request);
    }

    /** Asks any one scheduler to find the backend for a volume being retyped. */
    public void retype(RetypeVolume request) {
        bus.cast(Address.anyOf(TOPIC), RETYPE, request);
    }

    /** Asks any one scheduler to check a migration's destination. */
    public void migrateVolume(MigrateVolume request) {
        bus.cast(Address.anyOf(TOPIC), MIGRATE_VOLUME, request);
    }

    /** Sends a backend's capacity to every scheduler. */
    public void updateServiceCapabilities(CapacityReport report) {
        bus.fanout(TOPIC, UPDATE_SERVICE_CAPABILITIES, report);
    }

    /**
     * The pools as one scheduler sees them that {@code query} selects: asked as 1.1 when it filters
     * (a scheduler too old to filter refuses it), else as 1.0. Every scheduler gets every capacity
     * report, so any one of them answers for all.
     */
    public List<PoolCapacity> getPools(PoolsQuery query, Duration timeout) {
        PoolCapacity[] pools = bus.call(Address.anyOf(TOPIC), query.isAll() ? GET_POOLS_1_0 : GET_POOLS, query,
                timeout);
        return pools == null ? List.of() : List.of(pools);
    }

    /** Asks one scheduler to have the work in flight the request matches cleaned up. */
    public CleanupResult workCleanup(CleanupRequest request, Duration timeout) {
        return bus.call(Address.anyOf(TOPIC), WORK_CLEANUP, request, timeout);
    }

    /** Serves {@code server} as the scheduler {@code host}, with this process's log levels. */
    public static Subscription serve(Bus bus, String host, Server server, LogLevels levels) {
        Endpoint.Builder endpoint = Endpoint.builder()
                .onCast(CREATE_VOLUME, server::createVolume)
                .onCast(RETYPE, server::retype)
                .onCast(MIGRATE_VOLUME, server::migrateVolume)
                .onCast(UPDATE_SERVICE_CAPABILITIES, server::updateServiceCapabilities)
                .onCall(GET_POOLS, query -> server.pools(query == null ? PoolsQuery.ALL : query)
                        .toArray(PoolCapacity[]::new))
                .onCall(WORK_CLEANUP, server::workCleanup);
        return bus.serve(TOPIC, host, ServiceRpc.servedBy(levels, endpoint).build());
    }
}
