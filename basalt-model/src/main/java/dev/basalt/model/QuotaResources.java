package dev.basalt.model;

import java.util.List;

/**
 * The names of Cinder's quota resources. {@code per_volume_gigabytes} is a limit on each volume's
 * size, not a count; every other resource has a usage. Volumes, gigabytes and snapshots also have
 * a resource per volume type, named {@code <resource>_<type name>} in the API and stored under
 * {@code <resource>:<type id>}, so that renaming a type changes no quota row.
 */
public final class QuotaResources {
    public static final String VOLUMES = "volumes";
    public static final String PER_VOLUME_GIGABYTES = "per_volume_gigabytes";
    public static final String SNAPSHOTS = "snapshots";
    public static final String GIGABYTES = "gigabytes";
    public static final String BACKUPS = "backups";
    public static final String BACKUP_GIGABYTES = "backup_gigabytes";
    public static final String GROUPS = "groups";

    /** The resources every project has, in Cinder's order. */
    public static final List<String> GLOBAL = List.of(VOLUMES, PER_VOLUME_GIGABYTES, SNAPSHOTS, GIGABYTES, BACKUPS,
            BACKUP_GIGABYTES, GROUPS);

    /** The resources that also exist per volume type. */
    public static final List<String> PER_TYPE = List.of(VOLUMES, GIGABYTES, SNAPSHOTS);

    private QuotaResources() {
    }

    /** The API's name of a per-type resource: {@code volumes_gold} for ({@code volumes}, {@code gold}). */
    public static String ofType(String resource, String typeName) {
        return resource + "_" + typeName;
    }

    /** The stored key of a per-type resource: {@code volumes:<type id>}. */
    public static String keyOfType(String resource, String typeId) {
        return resource + ":" + typeId;
    }
}
