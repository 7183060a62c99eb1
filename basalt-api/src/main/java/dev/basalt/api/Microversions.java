package dev.basalt.api;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.util.Locale;

/**
 * Every microversion whose behaviour this API implements, by what it changed (the names follow
 * Cinder's), and the negotiation of the {@code OpenStack-API-Version: volume X.Y} header.
 *
 * <p>Basalt claims {@link #MAX} = 3.70: every change up to 3.70 that touches a resource Basalt
 * serves is implemented (volumes, snapshots, backups, the volume and snapshot actions Basalt
 * serves; {@code encryption_key_id} (3.64) of volumes and backups never shows, as Cinder hides the
 * fixed-key manager's key id, the only key Basalt gives). Creating a volume from a backup (3.47)
 * is still refused. Changes to resources
 * Basalt does not serve yet (groups and group snapshots, manageable
 * volumes, pools) have no route at any version, so they cannot be
 * half-done; volume actions Basalt does not serve yet answer 501. 3.71 adds
 * {@code os-extend_volume_completion} (extending attached volumes through Nova), which needs
 * attachments; it will be claimed with them.
 */
public final class Microversions {
    public static final String HEADER = "OpenStack-API-Version";
    public static final String SERVICE = "volume";

    public static final ApiVersion BASE = ApiVersion.of(3, 0);
    /** {@code visibility} and {@code protected} in {@code os-volume_upload_image}. */
    public static final ApiVersion UPLOAD_IMAGE_PARAMS = ApiVersion.of(3, 1);
    /** {@code bootable} list filter accepts only true/false spellings; anything else is a 400. */
    public static final ApiVersion VOLUME_LIST_BOOTABLE = ApiVersion.of(3, 2);
    /** The user messages API. */
    public static final ApiVersion MESSAGES = ApiVersion.of(3, 3);
    /** {@code glance_metadata} volume list filter. */
    public static final ApiVersion VOLUME_LIST_GLANCE_METADATA = ApiVersion.of(3, 4);
    /** Filters, sorting and pagination on the messages list. */
    public static final ApiVersion MESSAGES_PAGINATION = ApiVersion.of(3, 5);
    /** {@code cluster} in the services list; the clusters API. */
    public static final ApiVersion CLUSTER_SUPPORT = ApiVersion.of(3, 7);
    /** {@code PUT /backups/{id}} (name, description). */
    /** The manageable-volume lists and {@code POST /manageable_volumes} (Cinder's MANAGE_EXISTING_LIST). */
    public static final ApiVersion MANAGE_EXISTING_LIST = ApiVersion.of(3, 8);
    /** {@code cluster} in a manage request's body and in os-migrate_volume's, instead of a {@code host}. */
    public static final ApiVersion VOLUME_MIGRATE_CLUSTER = ApiVersion.of(3, 16);
    /** {@code cluster} as a manageable-list parameter (Cinder's MANAGE_EXISTING_CLUSTER). */
    public static final ApiVersion MANAGE_EXISTING_CLUSTER = ApiVersion.of(3, 17);
    public static final ApiVersion BACKUP_UPDATE = ApiVersion.of(3, 9);
    /** {@code group_id} volume list filter. */
    public static final ApiVersion VOLUME_LIST_GROUP = ApiVersion.of(3, 10);
    /** Group types and their group specs ({@code /group_types}). */
    public static final ApiVersion GROUP_TYPE = ApiVersion.of(3, 11);
    /** {@code GET /volumes/summary}. */
    public static final ApiVersion VOLUME_SUMMARY = ApiVersion.of(3, 12);
    /** {@code group_id} in the volume view and in volume create. */
    public static final ApiVersion GROUP_VOLUME = ApiVersion.of(3, 13);
    /** {@code group_snapshot_id} in the snapshot view. */
    public static final ApiVersion GROUP_SNAPSHOTS = ApiVersion.of(3, 14);
    /** The {@code reset_status} group snapshot action. */
    public static final ApiVersion GROUP_SNAPSHOT_RESET_STATUS = ApiVersion.of(3, 19);
    /** Filters, sorting and paging of the group snapshot lists. */
    public static final ApiVersion GROUP_SNAPSHOT_PAGINATION = ApiVersion.of(3, 29);
    /** {@code Etag} on volume metadata, {@code If-Match} on its updates. */
    public static final ApiVersion ETAGS = ApiVersion.of(3, 15);
    /** {@code os-backup-project-attr:project_id} in the backup view (administrators). */
    public static final ApiVersion BACKUP_PROJECT = ApiVersion.of(3, 18);
    /** The {@code reset_status} group action. */
    public static final ApiVersion GROUP_VOLUME_RESET_STATUS = ApiVersion.of(3, 20);
    /** {@code volumes} in the group view when {@code list_volume} is asked. */
    public static final ApiVersion GROUP_VOLUME_LIST = ApiVersion.of(3, 25);
    /** {@code replication_status} in the group view. */
    public static final ApiVersion GROUP_REPLICATION = ApiVersion.of(3, 38);
    /** {@code project_id} in the group view (policy {@code group:group_project_attribute}). */
    public static final ApiVersion GROUP_GROUPSNAPSHOT_PROJECT_ID = ApiVersion.of(3, 58);
    /** {@code provider_id} in the volume view (admin). */
    public static final ApiVersion VOLUME_DETAIL_PROVIDER_ID = ApiVersion.of(3, 21);
    /** {@code metadata} snapshot list filter. */
    public static final ApiVersion SNAPSHOT_LIST_METADATA_FILTER = ApiVersion.of(3, 22);
    /** {@code force} on volume delete. */
    public static final ApiVersion VOLUME_DELETE_FORCE = ApiVersion.of(3, 23);
    /** {@code POST /workers/cleanup}. */
    public static final ApiVersion WORKERS_CLEANUP = ApiVersion.of(3, 24);
    /** {@code failover} service action accepting a cluster (replication; answered 501). */
    public static final ApiVersion REPLICATION_CLUSTER = ApiVersion.of(3, 26);
    /** Snapshot lists sort by {@code name}. */
    public static final ApiVersion SNAPSHOT_SORT = ApiVersion.of(3, 30);
    /** Unknown list filters are rejected (non-admin) instead of dropped. */
    public static final ApiVersion RESOURCE_FILTER = ApiVersion.of(3, 31);
    /** {@code get_pools} filters ({@code name} and capabilities). */
    public static final ApiVersion POOL_FILTER = ApiVersion.of(3, 28);
    /** {@code get_pools} filter {@code volume_type}. */
    public static final ApiVersion POOL_TYPE_FILTER = ApiVersion.of(3, 35);
    /** {@code PUT /os-services/set-log} and {@code get-log}. */
    public static final ApiVersion LOG_LEVEL = ApiVersion.of(3, 32);
    /** {@code GET /resource_filters}. */
    public static final ApiVersion RESOURCE_FILTER_CONFIG = ApiVersion.of(3, 33);
    /** {@code key~=value} substring filters on lists. */
    public static final ApiVersion LIKE_FILTER = ApiVersion.of(3, 34);
    /** {@code metadata} in the volumes summary. */
    public static final ApiVersion VOLUME_SUMMARY_METADATA = ApiVersion.of(3, 36);
    /** Backup lists sort by {@code name}. */
    public static final ApiVersion BACKUP_SORT_NAME = ApiVersion.of(3, 37);
    /** {@code project_id} on {@code GET /limits} for administrators. */
    public static final ApiVersion LIMITS_ADMIN_FILTER = ApiVersion.of(3, 39);
    /** The {@code revert} volume action (revert to the latest snapshot; answered 501 for now). */
    public static final ApiVersion VOLUME_REVERT = ApiVersion.of(3, 40);
    /** {@code user_id} in the snapshot view. */
    public static final ApiVersion SNAPSHOT_LIST_USER_ID = ApiVersion.of(3, 41);
    /** {@code os-extend} of {@code in-use} volumes (not served by Basalt yet: available only). */
    public static final ApiVersion VOLUME_EXTEND_INUSE = ApiVersion.of(3, 42);
    /** Backup metadata: in create, update and the detailed view. */
    public static final ApiVersion BACKUP_METADATA = ApiVersion.of(3, 43);
    /** The attachments API: create, show, list, update, delete. */
    public static final ApiVersion NEW_ATTACH = ApiVersion.of(3, 27);
    /** {@code os-complete} on an attachment. */
    public static final ApiVersion NEW_ATTACH_COMPLETION = ApiVersion.of(3, 44);
    /** {@code mode} ({@code rw}/{@code ro}) when creating an attachment. */
    public static final ApiVersion ATTACHMENT_CREATE_MODE_ARG = ApiVersion.of(3, 54);
    /** {@code with_count} and {@code count} on lists. */
    public static final ApiVersion SUPPORT_COUNT_INFO = ApiVersion.of(3, 45);
    /** {@code backup_id} in volume create. */
    public static final ApiVersion VOLUME_CREATE_FROM_BACKUP = ApiVersion.of(3, 47);
    /** {@code shared_targets} and {@code service_uuid} in the volume view. */
    public static final ApiVersion VOLUME_SHARED_TARGETS_AND_SERVICE_FIELDS = ApiVersion.of(3, 48);
    /** {@code backend_state} of volume services in the services list. */
    public static final ApiVersion BACKEND_STATE_REPORT = ApiVersion.of(3, 49);
    /** {@code availability_zone} in backup create. */
    public static final ApiVersion BACKUP_AZ = ApiVersion.of(3, 51);
    /** Volume types list filter by {@code extra_specs}; {@code RESKEY:availability_zones}. */
    public static final ApiVersion SUPPORT_VOLUME_TYPE_FILTER = ApiVersion.of(3, 52);
    /** Volume create rejects undocumented keys; volume update needs at least one field. */
    public static final ApiVersion SUPPORT_VOLUME_SCHEMA_CHANGES = ApiVersion.of(3, 53);
    /** {@code user_id} in the backup view (administrators). */
    public static final ApiVersion BACKUP_PROJECT_USER_ID = ApiVersion.of(3, 56);
    /** Transfers may leave the volume's snapshots behind ({@code no_snapshots}), shown in the transfer view. */
    public static final ApiVersion TRANSFER_WITH_SNAPSHOTS = ApiVersion.of(3, 55);
    /** {@code source_project_id}, {@code destination_project_id} and {@code accepted} in the transfer view. */
    public static final ApiVersion TRANSFER_WITH_HISTORY = ApiVersion.of(3, 57);
    /** {@code /volume-transfers} lists page and sort ({@code marker}, {@code limit}, {@code offset}, {@code sort}). */
    public static final ApiVersion SUPPORT_TRANSFER_PAGINATION = ApiVersion.of(3, 59);
    /** {@code created_at}/{@code updated_at} time comparison filters on the volume list. */
    public static final ApiVersion VOLUME_TIME_COMPARISON_FILTER = ApiVersion.of(3, 60);
    /** {@code cluster_name} in the volume view (admin). */
    public static final ApiVersion VOLUME_CLUSTER_NAME = ApiVersion.of(3, 61);
    /** The per-project default types API. */
    public static final ApiVersion DEFAULT_TYPE_OVERRIDES = ApiVersion.of(3, 62);
    /** {@code volume_type_id} in the volume view. */
    public static final ApiVersion VOLUME_TYPE_ID_IN_VOLUME_DETAIL = ApiVersion.of(3, 63);
    /** {@code encryption_key_id} in the volume view (only for encrypted volumes). */
    public static final ApiVersion ENCRYPTION_KEY_ID_IN_DETAILS = ApiVersion.of(3, 64);
    /** {@code consumes_quota} in the volume and snapshot views and as a list filter. */
    public static final ApiVersion USE_QUOTA = ApiVersion.of(3, 65);
    /** Snapshots of {@code in-use} volumes without {@code force}; {@code force=false} is a 400. */
    public static final ApiVersion SNAPSHOT_IN_USE = ApiVersion.of(3, 66);
    /** URLs without {@code {project_id}} (served at every version, as Cinder does). */
    public static final ApiVersion PROJECT_ID_OPTIONAL_IN_URL = ApiVersion.of(3, 67);
    /** {@code shared_targets} may be null. */
    public static final ApiVersion SHARED_TARGETS_TRISTATE = ApiVersion.of(3, 69);
    /** Transfers of encrypted volumes (no request or response change). */
    public static final ApiVersion TRANSFER_ENCRYPTED_VOLUME = ApiVersion.of(3, 70);

    public static final ApiVersion MIN = BASE;
    public static final ApiVersion MAX = TRANSFER_ENCRYPTED_VOLUME;
    /** The version a request without the header gets. */
    public static final ApiVersion DEFAULT = BASE;
    /** When {@link #MAX} last changed, for the versions document. */
    public static final String UPDATED = "2023-03-01T00:00:00Z";

    private Microversions() {
    }

    /**
     * The version a request asks for. {@code headerValue} is the header's value (several headers
     * joined with commas), or null when absent. A malformed header is a 400; a version outside
     * [{@link #MIN}, {@link #MAX}] is a 406.
     */
    public static ApiVersion negotiate(String headerValue) {
        if (headerValue == null) {
            return DEFAULT;
        }
        String requested = null;
        for (String part : headerValue.split(",")) {
            String[] words = part.trim().split("\\s+");
            if (words.length >= 1 && words[0].toLowerCase(Locale.ROOT).equals(SERVICE)) {
                if (words.length != 2) {
                    throw BasaltException.badRequest("Invalid OpenStack-API-Version header '%s': expected"
                            + " 'volume <major>.<minor>' or 'volume latest'.", part.trim());
                }
                requested = words[1];
                break;
            }
        }
        if (requested == null) {
            throw BasaltException.badRequest("API version %s is not supported on this method: the"
                    + " OpenStack-API-Version header names no 'volume' version.", headerValue.trim());
        }
        if (requested.equalsIgnoreCase("latest")) {
            return MAX;
        }
        ApiVersion version = ApiVersion.parseOrNull(requested);
        if (version == null) {
            throw BasaltException.badRequest("API Version String %s is of invalid format. Must be of format"
                    + " MajorNum.MinorNum.", requested);
        }
        if (version.below(MIN) || MAX.below(version)) {
            throw new BasaltException(Fault.NOT_ACCEPTABLE, String.format("Version %s is not supported by the API."
                    + " Minimum is %s and maximum is %s.", version, MIN, MAX));
        }
        return version;
    }
}
