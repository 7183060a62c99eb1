package dev.basalt.api.resources;

import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.common.Fault;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.model.QuotaResources;

/**
 * Cinder's answer to a request over quota: 413 {@code overLimit} with {@code retryAfter} and a
 * {@code Retry-After: 0} header, its message led by the name of Cinder's exception
 * ({@code VolumeLimitExceeded: Maximum number of volumes allowed (10) exceeded for quota 'volumes'.}).
 */
final class QuotaFaults {
    static final String RETRY_AFTER = "0";

    private QuotaFaults() {
    }

    /** The answer to a request a service refused over quota. */
    static ApiResponse overLimit(OverQuotaException e) {
        return overLimit(e.exceeded(), e.resource());
    }

    /** The answer to a request over quota on {@code resource} (its API name). */
    static ApiResponse overLimit(QuotaExceededException e, String resource) {
        Fault fault = Fault.OVER_LIMIT;
        String message = message(e, resource);
        return ApiResponse.of(fault.status(), out -> {
            out.writeStartObject();
            out.writeObjectFieldStart(fault.faultName());
            out.writeNumberField("code", fault.status());
            out.writeStringField("message", message);
            out.writeStringField("retryAfter", RETRY_AFTER);
            out.writeEndObject();
            out.writeEndObject();
        }).withHeader("Retry-After", RETRY_AFTER);
    }

    static String message(QuotaExceededException e, String resource) {
        if (resource.equals(QuotaResources.PER_VOLUME_GIGABYTES)) {
            return String.format("VolumeSizeExceedsLimit: Requested volume size %dG is larger than maximum allowed"
                    + " limit %dG.", e.requested(), e.limit());
        }
        if (resource.equals(QuotaResources.BACKUP_GIGABYTES)) {
            return String.format("VolumeBackupSizeExceedsAvailableQuota: Requested backup exceeds allowed Backup"
                    + " gigabytes quota. Requested %dG, quota is %dG and %dG has been consumed.", e.requested(),
                    e.limit(), e.consumed());
        }
        if (resource.equals(QuotaResources.BACKUPS)) {
            return String.format("BackupLimitExceeded: Maximum number of backups allowed (%d) exceeded", e.limit());
        }
        if (resource.equals(QuotaResources.GROUPS)) {
            return String.format("GroupLimitExceeded: Maximum number of groups allowed (%d) exceeded", e.limit());
        }
        if (isOf(resource, QuotaResources.GIGABYTES)) {
            return String.format("VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed %s"
                    + " quota. Requested %dG, quota is %dG and %dG has been consumed.", resource, e.requested(),
                    e.limit(), e.consumed());
        }
        if (isOf(resource, QuotaResources.VOLUMES)) {
            return String.format("VolumeLimitExceeded: Maximum number of volumes allowed (%d) exceeded for quota"
                    + " '%s'.", e.limit(), resource);
        }
        if (isOf(resource, QuotaResources.SNAPSHOTS)) {
            return String.format("SnapshotLimitExceeded: Maximum number of snapshots allowed (%d) exceeded",
                    e.limit());
        }
        return String.format("UnexpectedOverQuota: Unexpected over quota on %s.", resource);
    }

    /** {@code gigabytes} itself or one of its per-type resources ({@code gigabytes_<type>}). */
    private static boolean isOf(String resource, String kind) {
        return resource.equals(kind) || resource.startsWith(kind + "_");
    }
}
