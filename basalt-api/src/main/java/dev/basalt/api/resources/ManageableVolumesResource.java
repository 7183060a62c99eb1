package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.NewManagedVolume;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.api.service.VolumeManagement;
import dev.basalt.api.validation.Schemas;
import dev.basalt.model.Volume;
import dev.basalt.rpc.ManageableVolumes;
import java.util.List;

/**
 * Cinder's volume manage API: {@code POST /os-volume-manage} (every microversion) and
 * {@code POST /manageable_volumes} (3.8+) manage existing storage as a new volume (202, the volume
 * as Cinder's v2 view details it); {@code GET /os-volume-manage[/detail]} (every microversion) and
 * {@code GET /manageable_volumes[/detail]} (3.8+) list what a host's storage holds that could be
 * managed, under {@code manageable-volumes}: {@code reference}, {@code size}, {@code safe_to_manage},
 * and in detail {@code reason_not_safe}, {@code cinder_id}, {@code extra_info}. Lists take
 * {@code host} (or, from 3.17, {@code cluster}: one of the two), {@code marker} (a reference as
 * JSON), {@code limit}, {@code offset} and {@code sort} on {@code reference} and {@code size}
 * (default {@code reference:desc}). Policies: {@code volume_extension:volume_manage} and
 * {@code volume_extension:list_manageable} (administrators). The rules are
 * {@link VolumeManagement}'s.
 */
public final class ManageableVolumesResource {
    static final String MANAGE = "volume_extension:volume_manage";
    static final String LIST = "volume_extension:list_manageable";

    private final VolumeManagement management;
    private final VolumeView view;
    private final Schemas schemas;
    private final int maxLimit;

    public ManageableVolumesResource(VolumeManagement management, VolumeView view, Schemas schemas, int maxLimit) {
        this.management = requireNonNull(management, "management");
        this.view = requireNonNull(view, "view");
        this.schemas = requireNonNull(schemas, "schemas");
        this.maxLimit = maxLimit;
    }

    public void register(Router.Builder routes) {
        routes.post("/os-volume-manage", this::manage);
        routes.get("/os-volume-manage", request -> list(request, false));
        routes.get("/os-volume-manage/detail", request -> list(request, true));
        routes.post("/manageable_volumes", request -> manage(ManageableLists.requireListVersion(request)));
        routes.get("/manageable_volumes", request -> list(ManageableLists.requireListVersion(request), false));
        routes.get("/manageable_volumes/detail", request -> list(ManageableLists.requireListVersion(request), true));
    }

    ApiResponse manage(ApiRequest request) {
        boolean withCluster = request.atLeast(Microversions.VOLUME_MIGRATE_CLUSTER);
        JsonNode volume = request.validBody(schemas.volumeManage(withCluster)).get("volume");
        request.authorize(MANAGE);
        String cluster = withCluster ? ManageableLists.nonEmpty(VolumesResource.text(volume, "cluster", null)) : null;
        String host = ManageableLists.nonEmpty(textOf(volume.get("host")));
        ManageableLists.requireOneOf(host, cluster, withCluster);
        JsonNode ref = volume.get("ref");
        NewManagedVolume wanted = new NewManagedVolume(host, cluster, ManageableLists.sourceName(ref), ref.toString(),
                ManageableLists.nonEmpty(VolumesResource.text(volume, "name", null)),
                ManageableLists.nonEmpty(VolumesResource.text(volume, "description", null)),
                textOf(volume.get("volume_type")), textOf(volume.get("availability_zone")),
                VolumesResource.stringMap(volume.get("metadata")), Booleans.fromJson(volume.get("bootable"), false));
        Volume managed;
        try {
            managed = management.manage(request.context(), wanted);
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
        return ApiResponse.accepted(view.managed(request, managed));
    }

    ApiResponse list(ApiRequest request, boolean detailed) {
        request.authorize(LIST);
        ManageableLists.Location location = ManageableLists.location(request);
        List<ManageableVolumes.Entry> shown = ManageableLists.page(() -> management.manageable(request.context(),
                location.host(), location.cluster()), request.query(), maxLimit, ManageableVolumes.Entry::reference,
                ManageableVolumes.Entry::size);
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("manageable-volumes");
            for (ManageableVolumes.Entry e : shown) {
                out.writeStartObject();
                out.writeObjectFieldStart("reference");
                out.writeStringField(ManageableLists.SOURCE_NAME, e.reference());
                out.writeEndObject();
                out.writeNumberField("size", e.size());
                out.writeBooleanField("safe_to_manage", e.safeToManage());
                if (detailed) {
                    out.writeStringField("reason_not_safe", e.reasonNotSafe());
                    out.writeStringField("cinder_id", e.cinderId());
                    out.writeStringField("extra_info", e.extraInfo());
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    private static String textOf(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

}
