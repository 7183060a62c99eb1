package dev.basalt.api;

import dev.basalt.model.QuotaResources;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Default quotas from configuration, named after the cinder.conf options they come from; the
 * quota class {@code default} overrides each one it sets, when {@code useDefaultQuotaClass}.
 * -1 means unlimited.
 *
 * @param volumes              {@code quota_volumes}
 * @param snapshots            {@code quota_snapshots}
 * @param gigabytes            {@code quota_gigabytes}
 * @param backups              {@code quota_backups}
 * @param backupGigabytes      {@code quota_backup_gigabytes}
 * @param groups               {@code quota_groups}
 * @param perVolumeGigabytes   {@code per_volume_size_limit}: the default of {@code per_volume_gigabytes}
 * @param useDefaultQuotaClass {@code use_default_quota_class}
 */
public record QuotaSettings(int volumes, int snapshots, int gigabytes, int backups, int backupGigabytes, int groups,
                            int perVolumeGigabytes, boolean useDefaultQuotaClass) {

    public QuotaSettings {
        for (int limit : new int[] {volumes, snapshots, gigabytes, backups, backupGigabytes, groups,
                perVolumeGigabytes}) {
            if (limit < -1) {
                throw new IllegalArgumentException("a quota is -1 (unlimited) or at least 0: " + limit);
            }
        }
    }

    /** Cinder's defaults. */
    public static QuotaSettings defaults() {
        return new QuotaSettings(10, 10, 1000, 10, 1000, 10, -1, true);
    }

    /** The configured default of each resource every project has. */
    public Map<String, Integer> byResource() {
        Map<String, Integer> limits = new LinkedHashMap<>();
        limits.put(QuotaResources.VOLUMES, volumes);
        limits.put(QuotaResources.PER_VOLUME_GIGABYTES, perVolumeGigabytes);
        limits.put(QuotaResources.SNAPSHOTS, snapshots);
        limits.put(QuotaResources.GIGABYTES, gigabytes);
        limits.put(QuotaResources.BACKUPS, backups);
        limits.put(QuotaResources.BACKUP_GIGABYTES, backupGigabytes);
        limits.put(QuotaResources.GROUPS, groups);
        return limits;
    }
}
