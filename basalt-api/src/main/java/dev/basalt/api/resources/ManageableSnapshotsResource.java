package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.NewManagedSnapshot;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.api.service.SnapshotManagement;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.model.Snapshot;
import dev.basalt.model.Volume;
import dev.basalt.rpc.ManageableSnapshots;
import java.util.List;

/**
 * Cinder's snapshot manage API: {@code POST /os-snapshot-manage} (every microversion) and
 * {@code POST /manageable_snapshots} (3.8+) manage an existing snapshot of a volume as a new snapshot
 * (202, the snapshot as Cinder's v2 view shows it); {@code GET /os-snapshot-manage[/detail]} (every
 * microversion) and {@code GET /manageable_snapshots[/detail]} (3.8+) list what snapshots a host's
 * storage holds that could be managed, under {@code manageable-snapshots}: {@code reference},
 * {@code size}, {@code safe_to_manage}, {@code source_reference} (the volume's storage), and in
 * detail {@code reason_not_safe}, {@code cinder_id}, {@code extra_info}; the lists take what
 * {@link ManageableLists} reads. Policies: {@code snapshot_extension:snapshot_manage} and
 * {@code snapshot_extension:list_manageable} (administrators); the volume must be the caller's to
 * see (404). The rules are {@link SnapshotManagement}'s.
 */
public final class ManageableSnapshotsResource {
    static final String MANAGE = "snapshot_extension:snapshot_manage";
    static final String LIST = "snapshot_extension:list_manageable";

    private final SnapshotManagement management;
    private final VolumeService volumes;
    private final SnapshotView view;
    private final Schemas schemas;
    private final int maxLimit;

    public ManageableSnapshotsResource(SnapshotManagement management, VolumeService volumes, Schemas schemas,
                                       int maxLimit) {
        this.management = requireNonNull(management, "management");
        this.volumes = requireNonNull(volumes, "volumes");
        this.view = new SnapshotView();
        this.schemas = requireNonNull(schemas, "schemas");
        this.maxLimit = maxLimit;
    }

    public void register(Router.Builder routes) {
        routes.post("/os-snapshot-manage", this::manage);
        routes.get("/os-snapshot-manage", request -> list(request, false));
        routes.get("/os-snapshot-manage/detail", request -> list(request, true));
        routes.post("/manageable_snapshots", request -> manage(ManageableLists.requireListVersion(request)));
        routes.get("/manageable_snapshots", request -> list(ManageableLists.requireListVersion(request), false));
        routes.get("/manageable_snapshots/detail", request -> list(ManageableLists.requireListVersion(request), true));
    }

    ApiResponse manage(ApiRequest request) {
        JsonNode snapshot = request.validBody(schemas.snapshotManage()).get("snapshot");
        Volume volume = volumes.visible(request.context(), snapshot.get("volume_id").textValue());
        request.authorize(MANAGE);
        NewManagedSnapshot wanted = new NewManagedSnapshot(ManageableLists.sourceName(snapshot.get("ref")),
                VolumesResource.text(snapshot, "name", null), VolumesResource.text(snapshot, "description", null),
                VolumesResource.stringMap(snapshot.get("metadata")));
        Snapshot managed;
        try {
            managed = management.manage(request.context(), volume, wanted);
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
        return ApiResponse.accepted(view.managed(managed));
    }

    ApiResponse list(ApiRequest request, boolean detailed) {
        request.authorize(LIST);
        ManageableLists.Location location = ManageableLists.location(request);
        List<ManageableSnapshots.Entry> shown = ManageableLists.page(() -> management.manageable(request.context(),
                location.host(), location.cluster()), request.query(), maxLimit, ManageableSnapshots.Entry::reference,
                ManageableSnapshots.Entry::size);
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("manageable-snapshots");
            for (ManageableSnapshots.Entry e : shown) {
                out.writeStartObject();
                out.writeObjectFieldStart("reference");
                out.writeStringField(ManageableLists.SOURCE_NAME, e.reference());
                out.writeEndObject();
                out.writeNumberField("size", e.size());
                out.writeBooleanField("safe_to_manage", e.safeToManage());
                if (detailed) {
                    out.writeStringField("reason_not_safe", e.reasonNotSafe());
                    out.writeStringField("extra_info", e.extraInfo());
                    out.writeStringField("cinder_id", e.cinderId());
                }
                out.writeObjectFieldStart("source_reference");
                out.writeStringField(ManageableLists.SOURCE_NAME, e.sourceReference());
                out.writeEndObject();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

}
