package dev.basalt.api;

import static java.util.Objects.requireNonNull;

import dev.basalt.config.KeyManagerOptions;
import java.time.Duration;

/**
 * What the REST API needs from configuration, named after the cinder.conf options they come from.
 *
 * @param listenAddress                  {@code osapi_volume_listen}
 * @param port                           {@code osapi_volume_listen_port}; 0 binds an ephemeral port
 * @param authStrategy                   {@code auth_strategy}: {@code noauth} or {@code keystone} (which needs its authenticator)
 * @param maxLimit                       {@code osapi_max_limit}: most items one list response returns
 * @param defaultVolumeType              {@code default_volume_type}: the type of a volume created without one
 * @param defaultAvailabilityZone        {@code default_availability_zone}; null: use the storage zone
 * @param storageAvailabilityZone        {@code storage_availability_zone}
 * @param allowAvailabilityZoneFallback  {@code allow_availability_zone_fallback}
 * @param serviceDownTime                {@code service_down_time}: a service silent this long is down
 * @param host                           {@code host}: this API process's host name, for {@code get-log}
 * @param publicEndpoint                 {@code public_endpoint}: base URL for links; null: the request's
 * @param maxRequestBodySize             {@code osapi_max_request_body_size} in bytes
 * @param createSettleWait               {@code osapi_volume_create_wait}: how long a create request waits for
 *                                       its volume to leave {@code creating} before answering (zero: not at all)
 * @param azCacheDuration                {@code az_cache_duration}: how long volume creation trusts the zones it
 *                                       read (zero: reads them for every create)
 * @param enableForceUpload              {@code enable_force_upload}: whether {@code force} lets an {@code in-use}
 *                                       volume be uploaded to an image (else it is ignored, as Cinder does)
 * @param defaultGroupType               {@code default_group_type}: the group type {@code GET /group_types/default}
 *                                       shows; null: none
 * @param keyManager                     {@code [key_manager]}: where the keys of encrypted volumes come from
 */
public record ApiSettings(
        String listenAddress,
        int port,
        String authStrategy,
        int maxLimit,
        String defaultVolumeType,
        String defaultAvailabilityZone,
        String storageAvailabilityZone,
        boolean allowAvailabilityZoneFallback,
        Duration serviceDownTime,
        String host,
        String publicEndpoint,
        int maxRequestBodySize,
        Duration createSettleWait,
        Duration azCacheDuration,
        boolean enableForceUpload,
        String defaultGroupType,
        KeyManagerOptions keyManager) {

    public static final String NOAUTH = "noauth";

    public ApiSettings {
        requireNonNull(listenAddress, "listenAddress");
        requireNonNull(authStrategy, "authStrategy");
        requireNonNull(defaultVolumeType, "defaultVolumeType");
        requireNonNull(storageAvailabilityZone, "storageAvailabilityZone");
        requireNonNull(serviceDownTime, "serviceDownTime");
        requireNonNull(createSettleWait, "createSettleWait");
        requireNonNull(azCacheDuration, "azCacheDuration");
        requireNonNull(host, "host");
        requireNonNull(keyManager, "keyManager");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxLimit < 1) {
            throw new IllegalArgumentException("osapi_max_limit must be at least 1: " + maxLimit);
        }
        if (maxRequestBodySize < 1) {
            throw new IllegalArgumentException("osapi_max_request_body_size must be positive: " + maxRequestBodySize);
        }
        if (defaultAvailabilityZone != null && defaultAvailabilityZone.isBlank()) {
            defaultAvailabilityZone = null;
        }
        if (publicEndpoint != null && publicEndpoint.isBlank()) {
            publicEndpoint = null;
        }
        if (defaultGroupType != null && defaultGroupType.isBlank()) {
            defaultGroupType = null;
        }
    }

    /** Cinder's defaults, with {@code noauth}, the default type {@code __DEFAULT__} and an ephemeral port. */
    public static ApiSettings defaults() {
        return new ApiSettings("0.0.0.0", 8776, NOAUTH, 1000, "__DEFAULT__", null, "nova", false,
                Duration.ofSeconds(60), "localhost", null, 114688, Duration.ZERO, Duration.ofHours(1), false, null,
                KeyManagerOptions.defaults());
    }

    public ApiSettings withPort(int newPort) {
        return new ApiSettings(listenAddress, newPort, authStrategy, maxLimit, defaultVolumeType,
                defaultAvailabilityZone, storageAvailabilityZone, allowAvailabilityZoneFallback, serviceDownTime,
                host, publicEndpoint, maxRequestBodySize, createSettleWait, azCacheDuration, enableForceUpload, defaultGroupType,
                keyManager);
    }

    public ApiSettings withCreateSettleWait(Duration wait) {
        return new ApiSettings(listenAddress, port, authStrategy, maxLimit, defaultVolumeType,
                defaultAvailabilityZone, storageAvailabilityZone, allowAvailabilityZoneFallback, serviceDownTime,
                host, publicEndpoint, maxRequestBodySize, wait, azCacheDuration, enableForceUpload, defaultGroupType,
                keyManager);
    }

    public ApiSettings withMaxLimit(int newMaxLimit) {
        return new ApiSettings(listenAddress, port, authStrategy, newMaxLimit, defaultVolumeType,
                defaultAvailabilityZone, storageAvailabilityZone, allowAvailabilityZoneFallback, serviceDownTime,
                host, publicEndpoint, maxRequestBodySize, createSettleWait, azCacheDuration, enableForceUpload, defaultGroupType,
                keyManager);
    }

    /** With Cinder's {@code enable_force_upload}: whether {@code force} uploads an {@code in-use} volume. */
    public ApiSettings withEnableForceUpload(boolean enable) {
        return new ApiSettings(listenAddress, port, authStrategy, maxLimit, defaultVolumeType,
                defaultAvailabilityZone, storageAvailabilityZone, allowAvailabilityZoneFallback, serviceDownTime,
                host, publicEndpoint, maxRequestBodySize, createSettleWait, azCacheDuration, enable, defaultGroupType,
                keyManager);
    }

    /** With Cinder's {@code default_group_type} (null: none). */
    public ApiSettings withDefaultGroupType(String name) {
        return new ApiSettings(listenAddress, port, authStrategy, maxLimit, defaultVolumeType,
                defaultAvailabilityZone, storageAvailabilityZone, allowAvailabilityZoneFallback, serviceDownTime,
                host, publicEndpoint, maxRequestBodySize, createSettleWait, azCacheDuration, enableForceUpload, name,
                keyManager);
    }

    /** With {@code [key_manager]}. */
    public ApiSettings withKeyManager(KeyManagerOptions options) {
        return new ApiSettings(listenAddress, port, authStrategy, maxLimit, defaultVolumeType,
                defaultAvailabilityZone, storageAvailabilityZone, allowAvailabilityZoneFallback, serviceDownTime,
                host, publicEndpoint, maxRequestBodySize, createSettleWait, azCacheDuration, enableForceUpload,
                defaultGroupType, options);
    }

    /** The zone a volume lands in when the request names none. */
    public String effectiveDefaultZone() {
        return defaultAvailabilityZone != null ? defaultAvailabilityZone : storageAvailabilityZone;
    }
}
