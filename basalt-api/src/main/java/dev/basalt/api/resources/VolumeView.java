package dev.basalt.api.resources;

import static dev.basalt.api.resources.Fields.bool;
import static dev.basalt.api.resources.Fields.name;
import static dev.basalt.api.resources.Fields.nullField;
import static dev.basalt.api.resources.Fields.string;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import dev.basalt.api.ApiVersion;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.http.Links;
import dev.basalt.db.AttachmentRepository;
import dev.basalt.db.VolumeImageMetadata;
import dev.basalt.db.VolumeProgress;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeAttachment;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cinder's volume views, written straight to the output. The detailed view's fields depend on
 * the microversion and on whether the caller is an administrator; show and detail-list add the
 * {@code os-vol-*} attributes that Cinder's extensions add (create and update do not).
 *
 * <p>{@code encrypted} is whether the volume has a key id. Its {@code encryption_key_id} (3.64) never
 * shows: Cinder hides the fixed-key manager's key id, the only key Basalt gives.
 *
 * <p>Fields Basalt has no source for yet are written with the value every Basalt volume has:
 * no replication ({@code "disabled"}), no {@code name_id} (a migrated volume keeps its storage's name), no provider id, no
 * cluster, always consuming quota, and {@code shared_targets} true (Cinder's default, the safe
 * choice for os-brick's locking). {@code metadata} shows the user's metadata with the admin
 * metadata users may see merged in ({@code readonly}), as Cinder shows it.
 *
 * <p>A detailed list writes each volume's JSON once and copies it into later lists while the
 * volume, its type's name and the request's shape stay the same ({@link RenderedItems}).
 */
public final class VolumeView {
    public static final String COLLECTION = "volumes";

    private static final SerializableString ID = name("id");
    private static final SerializableString STATUS = name("status");
    private static final SerializableString SIZE = name("size");
    private static final SerializableString AVAILABILITY_ZONE = name("availability_zone");
    private static final SerializableString CREATED_AT = name("created_at");
    private static final SerializableString UPDATED_AT = name("updated_at");
    private static final SerializableString NAME = name("name");
    private static final SerializableString DESCRIPTION = name("description");
    private static final SerializableString VOLUME_TYPE = name("volume_type");
    private static final SerializableString SNAPSHOT_ID = name("snapshot_id");
    private static final SerializableString SOURCE_VOLID = name("source_volid");
    private static final SerializableString METADATA = name("metadata");
    private static final SerializableString USER_ID = name("user_id");
    private static final SerializableString BOOTABLE = name("bootable");
    private static final SerializableString ENCRYPTED = name("encrypted");
    private static final SerializableString REPLICATION_STATUS = name("replication_status");
    private static final SerializableString CONSISTENCYGROUP_ID = name("consistencygroup_id");
    private static final SerializableString MULTIATTACH = name("multiattach");
    private static final SerializableString ATTACHMENTS = name("attachments");
    private static final SerializableString MIGRATION_STATUS = name("migration_status");
    /** Not Cinder's: how far the image work on the volume has got, in percent, while it runs. */
    private static final SerializableString PROGRESS = name("basalt:progress");
    /** The statuses in which image work may run on a volume: creating from an image, uploading to one. */
    private static final java.util.Set<VolumeStatus> PROGRESS_STATUSES = java.util.EnumSet.of(VolumeStatus.CREATING,
            VolumeStatus.DOWNLOADING, VolumeStatus.UPLOADING);
    private static final SerializableString GROUP_ID = name("group_id");
    private static final SerializableString PROVIDER_ID = name("provider_id");
    private static final SerializableString SHARED_TARGETS = name("shared_targets");
    private static final SerializableString SERVICE_UUID = name("service_uuid");
    private static final SerializableString CLUSTER_NAME = name("cluster_name");
    private static final SerializableString VOLUME_TYPE_ID = name("volume_type_id");
    private static final SerializableString CONSUMES_QUOTA = name("consumes_quota");
    private static final SerializableString HOST_ATTR = name("os-vol-host-attr:host");
    private static final SerializableString MIGSTAT_ATTR = name("os-vol-mig-status-attr:migstat");
    private static final SerializableString NAME_ID_ATTR = name("os-vol-mig-status-attr:name_id");
    private static final SerializableString TENANT_ATTR = name("os-vol-tenant-attr:tenant_id");
    private static final SerializableString IMAGE_METADATA = name("volume_image_metadata");

    /** Volumes whose detailed JSON is kept for the next list ({@link RenderedItems}): two pages of the largest size. */
    private static final int RENDERED_DETAILS = 2048;
    /** About how many bytes one volume takes in a list: detailed, and in summary (id, name, links). */
    private static final int DETAIL_SIZE_HINT = 1024;
    private static final int SUMMARY_SIZE_HINT = 320;

    private final VolumeTypeCache types;
    private final AttachmentRepository attachments;
    private final VolumeImageMetadata imageMetadata;
    private final VolumeProgress progress;
    private final RenderedItems<Detail> details = new RenderedItems<>(RENDERED_DETAILS, VolumeView::writeDetail);

    public VolumeView(VolumeTypeCache types, AttachmentRepository attachments, VolumeImageMetadata imageMetadata,
                      VolumeProgress progress) {
        this.imageMetadata = requireNonNull(imageMetadata, "imageMetadata");
        this.progress = requireNonNull(progress, "progress");
        this.types = requireNonNull(types, "types");
        this.attachments = requireNonNull(attachments, "attachments");
    }

    /** Policy deciding whether show and detail carry {@code os-vol-host-attr:host}. */
    public static final String HOST_ATTRIBUTE = "volume_extension:volume_host_attribute";
    /** Policy deciding whether show and detail carry the {@code os-vol-mig-status-attr:*} fields. */
    public static final String MIG_STATUS_ATTRIBUTE = "volume_extension:volume_mig_status_attribute";
    /** Policy deciding whether show and detail carry {@code os-vol-tenant-attr:tenant_id}. */
    public static final String TENANT_ATTRIBUTE = "volume_extension:volume_tenant_attribute";
    /** Policy deciding whether show and detail carry {@code volume_image_metadata}. */
    public static final String IMAGE_METADATA_SHOW = "volume_extension:volume_image_metadata:show";

    /**
     * What the detailed view of one request shows, worked out once per request: the extension
     * attributes as their policies say (host and migration status: administrators; tenant: project
     * readers; the image metadata: project readers), {@code migration_status}, {@code provider_id} and {@code cluster_name} to
     * administrators ({@code context_is_admin}), as Cinder's views decide.
     */
    private record Shape(Links.Collection links, boolean admin, boolean hostAttribute, boolean migStatusAttribute,
                         boolean tenantAttribute, boolean typeIdOnly,
                         boolean groupId, boolean providerId, boolean sharedTargets, boolean clusterName,
                         boolean typeId, boolean consumesQuota, boolean attachedHost, boolean imageMetadata) {
        /** The few shapes requests have, each kept as one instance so kept items compare it by identity. */
        private static final ConcurrentHashMap<Shape, Shape> KNOWN = new ConcurrentHashMap<>();
        private static final int MAX_KNOWN = 256;

        static Shape of(ApiRequest request, boolean extensionAttributes) {
            Shape shape = describe(request, extensionAttributes);
            Shape known = KNOWN.get(shape);
            if (known != null) {
                return known;
            }
            if (KNOWN.size() >= MAX_KNOWN) {
                KNOWN.clear();
            }
            known = KNOWN.putIfAbsent(shape, shape);
            return known != null ? known : shape;
        }

        private static Shape describe(ApiRequest request, boolean extensionAttributes) {
            ApiVersion v = request.version();
            boolean admin = request.context().isAdmin();
            return new Shape(Links.forCollection(request, COLLECTION), admin,
                    extensionAttributes && request.allowed(HOST_ATTRIBUTE),
                    extensionAttributes && request.allowed(MIG_STATUS_ATTRIBUTE),
                    extensionAttributes && request.allowed(TENANT_ATTRIBUTE),
                    v.atLeast(Microversions.VOLUME_TYPE_ID_IN_VOLUME_DETAIL),
                    v.atLeast(Microversions.GROUP_VOLUME),
                    admin && v.atLeast(Microversions.VOLUME_DETAIL_PROVIDER_ID),
                    v.atLeast(Microversions.VOLUME_SHARED_TARGETS_AND_SERVICE_FIELDS),
                    admin && v.atLeast(Microversions.VOLUME_CLUSTER_NAME),
                    v.atLeast(Microversions.VOLUME_TYPE_ID_IN_VOLUME_DETAIL),
                    v.atLeast(Microversions.USE_QUOTA),
                    admin || request.context().roles().contains("service"),
                    extensionAttributes && request.allowed(IMAGE_METADATA_SHOW));
        }
    }

    /**
     * Everything the detailed JSON of one volume is written from: the request's shape, the volume,
     * what its {@code volume_type} field shows (its type's name), its attachments and the metadata
     * of the image it was made from (null when none, or not shown), the progress of the image work
     * running on it (null when none).
     */
    private record Detail(Shape shape, Volume volume, String volumeType, List<VolumeAttachment> attachments,
                          Map<String, String> imageMetadata, Integer progress) {
    }

    /** {@code {"volume": {...}}} in the detailed form. */
    public JsonBody one(ApiRequest request, Volume volume, boolean extensionAttributes) {
        Map<String, List<VolumeAttachment>> attached = attachmentsOf(List.of(volume));
        Shape shape = Shape.of(request, extensionAttributes);
        Map<String, Map<String, String>> images = imagesOf(shape, List.of(volume));
        Map<String, Integer> progress = progressOf(List.of(volume));
        return out -> {
            out.writeStartObject();
            out.writeFieldName("volume");
            writeDetail(out, detail(shape, volume, attached, images, progress));
            out.writeEndObject();
        };
    }

    /** {@code {"volumes": [...], "volumes_links": [...], "count": n}}. */
    public JsonBody list(ApiRequest request, List<Volume> volumes, boolean detailed, Long count, boolean nextLink) {
        int sizeHint = 512 + volumes.size() * (detailed ? DETAIL_SIZE_HINT : SUMMARY_SIZE_HINT);
        Map<String, List<VolumeAttachment>> attached = detailed ? attachmentsOf(volumes) : Map.of();
        Shape shape = Shape.of(request, true);
        Map<String, Map<String, String>> images = detailed ? imagesOf(shape, volumes) : Map.of();
        Map<String, Integer> progress = detailed ? progressOf(volumes) : Map.of();
        return JsonBody.sized(sizeHint, out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("volumes");
            for (Volume v : volumes) {
                if (detailed) {
                    details.write(out, v.id(), detail(shape, v, attached, images, progress));
                } else {
                    writeSummary(out, shape.links(), v);
                }
            }
            out.writeEndArray();
            if (nextLink) {
                Links.writeNext(out, "volumes_links", request, detailed ? COLLECTION + "/detail" : COLLECTION,
                        volumes.get(volumes.size() - 1).id());
            }
            if (count != null && request.atLeast(Microversions.SUPPORT_COUNT_INFO)) {
                out.writeNumberField("count", count);
            }
            out.writeEndObject();
        });
    }

    /**
     * {@code {"volume": {...}}} as Cinder's v2 view details a volume it has just begun to manage: the
     * detailed fields of every microversion, none of the later ones, no extension attributes.
     */
    public JsonBody managed(ApiRequest request, Volume volume) {
        Shape shape = new Shape(Links.forCollection(request, COLLECTION), request.context().isAdmin(), false, false,
                false, false, false, false, false, false, false, false, request.context().isAdmin()
                || request.context().roles().contains("service"), false);
        Map<String, List<VolumeAttachment>> attached = attachmentsOf(List.of(volume));
        return out -> {
            out.writeStartObject();
            out.writeFieldName("volume");
            writeDetail(out, detail(shape, volume, attached, Map.of(), Map.of()));
            out.writeEndObject();
        };
    }

    /**
     * The status the API shows: as Cinder's views, a volume being managed shows {@code creating},
     * one that failed to be {@code error}.
     */
    static String shownStatus(VolumeStatus status) {
        return switch (status) {
            case MANAGING -> VolumeStatus.CREATING.apiName();
            case ERROR_MANAGING -> VolumeStatus.ERROR.apiName();
            default -> status.apiName();
        };
    }

    private static void writeSummary(JsonGenerator out, Links.Collection links, Volume v) throws IOException {
        out.writeStartObject();
        string(out, ID, v.id());
        string(out, NAME, v.name());
        links.write(out, v.id());
        out.writeEndObject();
    }

    /** The attachments of those volumes that have some: one query, and none when no volume is attached. */
    private Map<String, List<VolumeAttachment>> attachmentsOf(List<Volume> volumes) {
        List<String> ids = new java.util.ArrayList<>();
        for (Volume v : volumes) {
            if (v.attachStatus() != AttachStatus.DETACHED) {
                ids.add(v.id());
            }
        }
        return ids.isEmpty() ? Map.of() : attachments.ofVolumes(ids);
    }

    /** The image metadata of those volumes that have some, when the request's shape shows it: one query. */
    private Map<String, Map<String, String>> imagesOf(Shape shape, List<Volume> volumes) {
        if (!shape.imageMetadata() || volumes.isEmpty()) {
            return Map.of();
        }
        return imageMetadata.of(volumes.stream().map(Volume::id).toList());
    }

    /** The progress of those volumes whose status says image work may run on them: one query, none without such volumes. */
    private Map<String, Integer> progressOf(List<Volume> volumes) {
        List<String> ids = new java.util.ArrayList<>();
        for (Volume v : volumes) {
            if (PROGRESS_STATUSES.contains(v.status())) {
                ids.add(v.id());
            }
        }
        return ids.isEmpty() ? Map.of() : progress.of(ids);
    }

    private Detail detail(Shape shape, Volume v, Map<String, List<VolumeAttachment>> attached,
                          Map<String, Map<String, String>> images, Map<String, Integer> progress) {
        Optional<VolumeType> type = types.byId(v.volumeTypeId());
        return new Detail(shape, v, type.map(VolumeType::name).orElse(shape.typeIdOnly() ? null : v.volumeTypeId()),
                List.copyOf(attached.getOrDefault(v.id(), List.of())), images.get(v.id()), progress.get(v.id()));
    }

    private static void writeDetail(JsonGenerator out, Detail detail) throws IOException {
        Shape shape = detail.shape();
        Volume v = detail.volume();
        out.writeStartObject();
        string(out, ID, v.id());
        string(out, STATUS, shownStatus(v.status()));
        out.writeFieldName(SIZE);
        out.writeNumber(v.size());
        string(out, AVAILABILITY_ZONE, v.availabilityZone());
        Timestamps.write(out, CREATED_AT, v.createdAt());
        Timestamps.write(out, UPDATED_AT, v.updatedAt());
        string(out, NAME, v.name());
        string(out, DESCRIPTION, v.description());
        string(out, VOLUME_TYPE, detail.volumeType());
        string(out, SNAPSHOT_ID, v.snapshotId());
        string(out, SOURCE_VOLID, v.sourceVolid());
        writeMetadata(out, v.visibleMetadata());
        shape.links().write(out, v.id());
        string(out, USER_ID, v.userId());
        string(out, BOOTABLE, v.bootable() ? "true" : "false");
        bool(out, ENCRYPTED, v.encrypted());
        string(out, REPLICATION_STATUS, "disabled");
        nullField(out, CONSISTENCYGROUP_ID);
        bool(out, MULTIATTACH, v.multiattach());
        writeAttachments(out, shape, detail.attachments());
        if (shape.admin()) {
            string(out, MIGRATION_STATUS, v.migrationStatus());
        }
        if (shape.groupId()) {
            string(out, GROUP_ID, v.groupId());
        }
        if (shape.providerId()) {
            nullField(out, PROVIDER_ID);
        }
        if (shape.sharedTargets()) {
            bool(out, SHARED_TARGETS, true);
            string(out, SERVICE_UUID, v.serviceUuid());
        }
        if (shape.clusterName()) {
            nullField(out, CLUSTER_NAME);
        }
        if (shape.typeId()) {
            string(out, VOLUME_TYPE_ID, v.volumeTypeId());
        }
        if (shape.consumesQuota()) {
            bool(out, CONSUMES_QUOTA, true);
        }
        if (shape.hostAttribute()) {
            string(out, HOST_ATTR, v.host());
        }
        if (shape.migStatusAttribute()) {
            string(out, MIGSTAT_ATTR, v.migrationStatus());
            // A migrated volume keeps its storage name (its id): Basalt copies under the same id.
            nullField(out, NAME_ID_ATTR);
        }
        if (shape.tenantAttribute()) {
            string(out, TENANT_ATTR, v.projectId());
        }
        if (detail.imageMetadata() != null) {
            out.writeFieldName(IMAGE_METADATA);
            out.writeStartObject();
            for (Map.Entry<String, String> e : new TreeMap<>(detail.imageMetadata()).entrySet()) {
                out.writeStringField(e.getKey(), e.getValue());
            }
            out.writeEndObject();
        }
        if (detail.progress() != null) {
            out.writeFieldName(PROGRESS);
            out.writeNumber(detail.progress());
        }
        out.writeEndObject();
    }

    /**
     * The volume's {@code attached} attachments, as Cinder lists them on a volume; the host name
     * only to administrators and services.
     */
    private static void writeAttachments(JsonGenerator out, Shape shape, List<VolumeAttachment> attachments)
            throws IOException {
        out.writeFieldName(ATTACHMENTS);
        out.writeStartArray();
        for (VolumeAttachment a : attachments) {
            if (a.status() != AttachStatus.ATTACHED) {
                continue;
            }
            out.writeStartObject();
            out.writeStringField("id", a.volumeId());
            out.writeStringField("attachment_id", a.id());
            out.writeStringField("volume_id", a.volumeId());
            out.writeStringField("server_id", a.instanceUuid());
            out.writeStringField("host_name", shape.attachedHost() ? a.attachedHost() : null);
            out.writeStringField("device", a.mountpoint());
            Timestamps.write(out, "attached_at", a.attachTime());
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    static void writeMetadata(JsonGenerator out, Map<String, String> metadata) throws IOException {
        out.writeFieldName(METADATA);
        out.writeStartObject();
        Map<String, String> ordered = metadata.size() <= 1 ? metadata : new TreeMap<>(metadata);
        for (Map.Entry<String, String> e : ordered.entrySet()) {
            out.writeStringField(e.getKey(), e.getValue());
        }
        out.writeEndObject();
    }
}
