package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.ApiSettings;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.NewSnapshot;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.api.service.SnapshotChanges;
import dev.basalt.api.service.SnapshotService;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.Page;
import dev.basalt.db.SnapshotQuery;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.model.Snapshot;
import dev.basalt.model.Volume;
import java.util.List;

/**
 * {@code /snapshots}: list (summary and detail), show, create, update and delete. Parses the
 * requests, checks policy and renders the views; {@link SnapshotService} holds the rules. Create
 * allows an {@code in-use} volume with {@code force} before 3.66 and always from 3.66, where
 * {@code force=false} is a 400.
 */
public final class SnapshotsResource {
    static final String FORCE_AFTER_366 = "Since microversion 3.66 the 'force' flag is invalid for this request."
            + "  For backward compatibility, however, when the 'force' flag is passed with a value evaluating to"
            + " True, it is silently ignored.";

    private final ApiSettings settings;
    private final SnapshotRepository snapshots;
    private final SnapshotService service;
    private final VolumeService volumes;
    private final SnapshotView view;
    private final Schemas schemas;

    public SnapshotsResource(ApiSettings settings, SnapshotRepository snapshots, SnapshotService service,
                             VolumeService volumes, Schemas schemas) {
        this.settings = requireNonNull(settings, "settings");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.service = requireNonNull(service, "service");
        this.volumes = requireNonNull(volumes, "volumes");
        this.schemas = requireNonNull(schemas, "schemas");
        this.view = new SnapshotView();
    }

    public void register(Router.Builder routes) {
        routes.get("/snapshots", r -> list(r, false))
                .get("/snapshots/detail", r -> list(r, true))
                .get("/snapshots/{id}", this::show)
                .post("/snapshots", this::create)
                .put("/snapshots/{id}", this::update)
                .delete("/snapshots/{id}", this::delete);
    }

    ApiResponse list(ApiRequest request, boolean detailed) {
        request.authorize("volume:get_all_snapshots");
        ListRequest.Result<SnapshotQuery> parsed = SnapshotFilters.parse(request.query(), request.version(),
                request.context(), settings.maxLimit());
        if (parsed.query() == null) {
            return ApiResponse.ok(view.list(request, List.of(), detailed, parsed.withCount() ? 0L : null, false));
        }
        Page<Snapshot> page = snapshots.list(parsed.query());
        boolean next = parsed.page().hasNext(page.items().size(), page.total());
        return ApiResponse.ok(view.list(request, page.items(), detailed, page.total(), next));
    }

    ApiResponse show(ApiRequest request) {
        Snapshot snapshot = service.visible(request.context(), request.path("id"));
        request.authorize("volume:get_snapshot", snapshot.projectId(), snapshot.userId());
        return ApiResponse.ok(view.one(request, snapshot, true));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode snapshot = request.validBody(schemas.snapshotCreate()).get("snapshot");
        RequestContext context = request.context();
        String volumeId = VolumesResource.text(snapshot, "volume_id", null);
        if (volumeId == null) {
            throw BasaltException.notFound("Volume None could not be found.");
        }
        Volume volume = volumes.visible(context, volumeId);
        request.authorize("volume:create_snapshot", volume.projectId(), volume.userId());
        boolean allowInUse = request.atLeast(Microversions.SNAPSHOT_IN_USE);
        JsonNode forceNode = snapshot.get("force");
        if (forceNode != null && !forceNode.isNull()) {
            boolean force = Booleans.fromJson(forceNode, false);
            if (allowInUse && !force) {
                throw BasaltException.badRequest("%s", FORCE_AFTER_366);
            }
            allowInUse |= force;
        }
        NewSnapshot wanted = new NewSnapshot(
                VolumesResource.text(snapshot, "name", VolumesResource.text(snapshot, "display_name", null)),
                VolumesResource.text(snapshot, "description", null), VolumesResource.stringMap(snapshot.get("metadata")));
        Snapshot created;
        try {
            created = service.create(context, volume, wanted, allowInUse);
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
        return ApiResponse.accepted(view.one(request, created, false));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode fields = request.validBody(schemas.snapshotUpdate()).get("snapshot");
        Snapshot snapshot = service.visible(request.context(), request.path("id"));
        request.authorize("volume:update_snapshot", snapshot.projectId(), snapshot.userId());
        // name wins over display_name, description over display_description (as Cinder maps them).
        boolean setName = fields.has("name") || fields.has("display_name");
        String name = VolumesResource.text(fields, "name", VolumesResource.text(fields, "display_name", null));
        boolean setDescription = fields.has("description") || fields.has("display_description");
        String description = VolumesResource.text(fields, "description",
                VolumesResource.text(fields, "display_description", null));
        Snapshot updated = service.update(request.context(), snapshot,
                new SnapshotChanges(setName, name, setDescription, description));
        return ApiResponse.ok(view.one(request, updated, false));
    }

    ApiResponse delete(ApiRequest request) {
        Snapshot snapshot = service.visible(request.context(), request.path("id"));
        request.authorize("volume:delete_snapshot", snapshot.projectId(), snapshot.userId());
        service.delete(request.context(), snapshot, false);
        return ApiResponse.status(202);
    }
}
