package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The options of {@code [DEFAULT]} that Basalt uses, read and checked. */
public record DefaultOptions(
        Path statePath,
        String osapiVolumeListen,
        int osapiVolumeListenPort,
        AuthStrategy authStrategy,
        List<String> enabledBackends,
        String defaultVolumeType,
        String storageAvailabilityZone,
        String defaultAvailabilityZone,
        String host,
        Duration reportInterval,
        Duration serviceDownTime,
        Duration periodicInterval,
        int osapiMaxLimit,
        Duration rpcResponseTimeout,
        boolean allowAvailabilityZoneFallback,
        List<String> schedulerDefaultFilters,
        List<String> schedulerDefaultWeighers,
        double capacityWeightMultiplier,
        double allocatedCapacityWeightMultiplier) {

    public static final OptionGroup GROUP = new OptionGroup(ConfigSource.DEFAULT, "Options of every Basalt service.");

    private static final OptionType<String> NAME = OptionType.matching("[^@#\\s\\[\\]]+",
            "a name without spaces, '@', '#', '[' or ']'");

    public static final Option<Path> STATE_PATH = GROUP.add(Option.computed("state_path", OptionType.path(), section -> OptionDefault.escape(System.getProperty("user.home")) + "/.local/share/basalt", "Top-level directory for Basalt's state (volumes of the file driver, the embedded database)."));
    public static final Option<String> OSAPI_VOLUME_LISTEN = GROUP.add(Option.of("osapi_volume_listen", OptionType.matching("\\S+", "a host name or IP address"), "127.0.0.1", "IP address on which the Block Storage API listens."));
    public static final Option<Integer> OSAPI_VOLUME_LISTEN_PORT = GROUP.add(Option.of("osapi_volume_listen_port", OptionType.port(), "8776", "Port on which the Block Storage API listens."));
    public static final Option<String> METRICS_LISTEN = GROUP.add(Option.of("metrics_listen", OptionType.matching("\\S+", "a host name or IP address"), "127.0.0.1", "IP address on which a role without the API (basalt scheduler, basalt volume) serves GET /metrics when metrics_listen_port is set (Basalt only)."));
    public static final Option<Integer> METRICS_LISTEN_PORT = GROUP.add(Option.of("metrics_listen_port", OptionType.integer(0, 65535), "0", "Port on which a role without the API serves GET /metrics in Prometheus text format; 0: no listener (the API serves /metrics on its own port) (Basalt only)."));
    public static final Option<AuthStrategy> AUTH_STRATEGY = GROUP.add(Option.of("auth_strategy", OptionType.choices(AuthStrategy.class), "noauth", "How the API authenticates requests."));
    public static final Option<List<String>> ENABLED_BACKENDS = GROUP.add(Option.of("enabled_backends", OptionType.distinctList(NAME), "file", "Backend names; each has a section of the same name."));
    public static final Option<String> DEFAULT_VOLUME_TYPE = GROUP.add(Option.of("default_volume_type", OptionType.string(), "__DEFAULT__", "Volume type used when a request names none."));
    public static final Option<String> DEFAULT_GROUP_TYPE = GROUP.add(Option.optional("default_group_type", OptionType.string(), "Group type GET /group_types/default answers with; unset: none."));
    public static final Option<String> STORAGE_AVAILABILITY_ZONE = GROUP.add(Option.of("storage_availability_zone", OptionType.matching(".+", "a non-empty name"), "nova", "Availability zone of this node."));
    public static final Option<String> DEFAULT_AVAILABILITY_ZONE = GROUP.add(Option.of("default_availability_zone", OptionType.matching(".+", "a non-empty name"), "$storage_availability_zone", "Availability zone of new volumes when a request names none."));
    public static final Option<String> HOST = GROUP.add(Option.computed("host", NAME, section -> OptionDefault.escape(HostName.local()), "Name of this node, the host of host@backend#pool."));
    public static final Option<Duration> REPORT_INTERVAL = GROUP.add(Option.of("report_interval", OptionType.seconds(1), "10", "Seconds between a service's heartbeats in the database."));
    public static final Option<Duration> SERVICE_DOWN_TIME = GROUP.add(Option.of("service_down_time", OptionType.seconds(1), "60", "Seconds without a heartbeat after which a service counts as down."));
    public static final Option<Duration> PERIODIC_INTERVAL = GROUP.add(Option.of("periodic_interval", OptionType.seconds(1), "60", "Seconds between a volume service's capacity reports."));
    public static final Option<List<String>> GLANCE_API_SERVERS = GROUP.add(Option.of("glance_api_servers", OptionType.list(), "", "Image service (Glance) API servers, [http://]host:port, comma-separated; empty: the image endpoint of the caller's Keystone catalog."));
    public static final Option<Boolean> ENABLE_FORCE_UPLOAD = GROUP.add(Option.of("enable_force_upload", OptionType.bool(), "false", "Let 'force' upload an in-use (attached) volume to an image; otherwise 'force' is ignored."));
    public static final Option<String> CINDER_INTERNAL_TENANT_PROJECT_ID = GROUP.add(Option.optional("cinder_internal_tenant_project_id", OptionType.matching("\\S+", "a project id"), "Project that owns the volumes Cinder keeps for itself (the image-volume cache's)."));
    public static final Option<String> CINDER_INTERNAL_TENANT_USER_ID = GROUP.add(Option.optional("cinder_internal_tenant_user_id", OptionType.matching("\\S+", "a user id"), "User that owns the volumes Cinder keeps for itself (the image-volume cache's)."));
    public static final Option<Path> IMAGE_CONVERSION_DIR = GROUP.add(Option.of("image_conversion_dir", OptionType.path(), "$state_path/conversion", "Directory where a volume service keeps an image it downloads while it converts it into a volume."));
    public static final Option<Integer> OSAPI_VOLUME_CREATE_WAIT_MS = GROUP.add(Option.of("osapi_volume_create_wait_ms", OptionType.integer(0, 60_000), "500", "Milliseconds a volume create request waits for the volume to leave 'creating' before answering; 0 answers at once (Basalt only)."));
    public static final Option<Integer> OSAPI_MAX_LIMIT = GROUP.add(Option.of("osapi_max_limit", OptionType.atLeast(1), "1000", "Most items a collection request returns."));
    public static final Option<String> TRANSPORT_URL = GROUP.add(Option.optional("transport_url", OptionType.matching("\\S+", "a URL like rabbit://user:password@host:5672/vhost"), "Message broker the roles talk through, as oslo.messaging takes it (rabbit://user:password@host:5672/vhost; several hosts comma-separated). Unset: the roles of this process talk in memory (basalt all only).").asSecret());
    public static final Option<String> CONTROL_EXCHANGE = GROUP.add(Option.of("control_exchange", NAME, "basalt", "Name of the broker's exchange Basalt's messages go through."));
    public static final Option<Duration> RPC_RESPONSE_TIMEOUT = GROUP.add(Option.of("rpc_response_timeout", OptionType.seconds(1), "60", "Seconds to wait for the reply to a call on the bus."));
    public static final Option<Boolean> ALLOW_AVAILABILITY_ZONE_FALLBACK = GROUP.add(Option.of("allow_availability_zone_fallback", OptionType.bool(), "false", "Create a volume in default_availability_zone when the requested zone does not exist."));
    public static final Option<Duration> AZ_CACHE_DURATION = GROUP.add(Option.of("az_cache_duration", OptionType.seconds(0), "3600", "Seconds volume creation trusts the availability zones it read; a zone it does not know makes it read them again."));
    public static final Option<List<String>> SCHEDULER_DEFAULT_FILTERS = GROUP.add(Option.of("scheduler_default_filters", OptionType.list(), "AvailabilityZoneFilter,CapacityFilter,CapabilitiesFilter", "Filters the scheduler applies, in order."));
    public static final Option<List<String>> SCHEDULER_DEFAULT_WEIGHERS = GROUP.add(Option.of("scheduler_default_weighers", OptionType.list(), "CapacityWeigher", "Weighers the scheduler uses to rank backends."));
    public static final Option<Double> CAPACITY_WEIGHT_MULTIPLIER = GROUP.add(Option.of("capacity_weight_multiplier", OptionType.floating(), "1.0", "Multiplier of free capacity in weighing; negative spreads volumes, positive stacks them."));
    public static final Option<Double> ALLOCATED_CAPACITY_WEIGHT_MULTIPLIER = GROUP.add(Option.of("allocated_capacity_weight_multiplier", OptionType.floating(), "-1.0", "Multiplier of allocated capacity in weighing; negative spreads volumes."));

    public static final Option<Boolean> ALLOW_ATTACHMENT_DELETE_WITHOUT_COMPUTE = GROUP.add(Option.of("allow_attachment_delete_without_compute", OptionType.bool(), "false", "With auth_strategy = keystone and no compute service in the catalog to ask, let users remove attachments made for an instance without the compute service's token (Basalt only; unsafe where instances use Basalt's volumes)."));

    private static final OptionType<Integer> QUOTA_LIMIT = OptionType.integer(-1, Integer.MAX_VALUE);
    public static final Option<Integer> QUOTA_VOLUMES = GROUP.add(Option.of("quota_volumes", QUOTA_LIMIT, "10", "Number of volumes allowed per project (-1: unlimited), unless the default quota class sets it."));
    public static final Option<Integer> QUOTA_SNAPSHOTS = GROUP.add(Option.of("quota_snapshots", QUOTA_LIMIT, "10", "Number of volume snapshots allowed per project (-1: unlimited), unless the default quota class sets it."));
    public static final Option<Integer> QUOTA_GROUPS = GROUP.add(Option.of("quota_groups", QUOTA_LIMIT, "10", "Number of groups allowed per project (-1: unlimited), unless the default quota class sets it."));
    public static final Option<Integer> QUOTA_GIGABYTES = GROUP.add(Option.of("quota_gigabytes", QUOTA_LIMIT, "1000", "Gigabytes of volumes and snapshots allowed per project (-1: unlimited), unless the default quota class sets it."));
    public static final Option<Integer> QUOTA_BACKUPS = GROUP.add(Option.of("quota_backups", QUOTA_LIMIT, "10", "Number of volume backups allowed per project (-1: unlimited), unless the default quota class sets it."));
    public static final Option<Integer> QUOTA_BACKUP_GIGABYTES = GROUP.add(Option.of("quota_backup_gigabytes", QUOTA_LIMIT, "1000", "Gigabytes of backups allowed per project (-1: unlimited), unless the default quota class sets it."));
    public static final Option<Integer> PER_VOLUME_SIZE_LIMIT = GROUP.add(Option.of("per_volume_size_limit", QUOTA_LIMIT, "-1", "Largest volume allowed, in gigabytes (-1: no limit): the default of the per_volume_gigabytes quota."));
    public static final Option<Boolean> USE_DEFAULT_QUOTA_CLASS = GROUP.add(Option.of("use_default_quota_class", OptionType.bool(), "true", "Take default quotas from the quota class named 'default' where it sets them, before the quota_* options."));

    static {
        BackupOptions.ALL.forEach(GROUP::add);
    }

    public DefaultOptions {
        requireNonNull(statePath, "statePath");
        requireNonNull(osapiVolumeListen, "osapiVolumeListen");
        requireNonNull(authStrategy, "authStrategy");
        enabledBackends = List.copyOf(enabledBackends);
        requireNonNull(defaultVolumeType, "defaultVolumeType");
        requireNonNull(storageAvailabilityZone, "storageAvailabilityZone");
        requireNonNull(defaultAvailabilityZone, "defaultAvailabilityZone");
        requireNonNull(host, "host");
        requireNonNull(reportInterval, "reportInterval");
        requireNonNull(serviceDownTime, "serviceDownTime");
        requireNonNull(periodicInterval, "periodicInterval");
        requireNonNull(rpcResponseTimeout, "rpcResponseTimeout");
        schedulerDefaultFilters = List.copyOf(schedulerDefaultFilters);
        schedulerDefaultWeighers = List.copyOf(schedulerDefaultWeighers);
    }

    /** Reads {@code [DEFAULT]}. */
    public static DefaultOptions from(ConfigSection section) {
        return new DefaultOptions(
                section.get(STATE_PATH),
                section.get(OSAPI_VOLUME_LISTEN),
                section.get(OSAPI_VOLUME_LISTEN_PORT),
                section.get(AUTH_STRATEGY),
                section.get(ENABLED_BACKENDS),
                section.get(DEFAULT_VOLUME_TYPE),
                section.get(STORAGE_AVAILABILITY_ZONE),
                section.get(DEFAULT_AVAILABILITY_ZONE),
                section.get(HOST),
                section.get(REPORT_INTERVAL),
                section.get(SERVICE_DOWN_TIME),
                section.get(PERIODIC_INTERVAL),
                section.get(OSAPI_MAX_LIMIT),
                section.get(RPC_RESPONSE_TIMEOUT),
                section.get(ALLOW_AVAILABILITY_ZONE_FALLBACK),
                section.get(SCHEDULER_DEFAULT_FILTERS),
                section.get(SCHEDULER_DEFAULT_WEIGHERS),
                section.get(CAPACITY_WEIGHT_MULTIPLIER),
                section.get(ALLOCATED_CAPACITY_WEIGHT_MULTIPLIER));
    }

    /** A copy with another service_down_time. */
    public DefaultOptions withServiceDownTime(Duration downTime) {
        return new DefaultOptions(statePath, osapiVolumeListen, osapiVolumeListenPort, authStrategy, enabledBackends,
                defaultVolumeType, storageAvailabilityZone, defaultAvailabilityZone, host, reportInterval, downTime,
                periodicInterval, osapiMaxLimit, rpcResponseTimeout, allowAvailabilityZoneFallback,
                schedulerDefaultFilters, schedulerDefaultWeighers, capacityWeightMultiplier,
                allocatedCapacityWeightMultiplier);
    }
}
