package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.ApiSettings;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Ids;
import dev.basalt.db.Page;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.SnapshotQuery;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CreateSnapshot;
import dev.basalt.rpc.DeleteSnapshot;
import dev.basalt.rpc.VolumeRpc;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /snapshots}: list (summary and detail), show, create, update and delete.
 *
 * <p>Create checks the volume (placed, not in {@code maintenance} or {@code error}, and
 * {@code available}; also {@code in-use} with {@code force} before 3.66 and always from 3.66, where
 * {@code force=false} is a 400), writes the row {@code creating} while holding the volume's row,
 * reserving in the same transaction {@code snapshots}, {@code gigabytes} (the volume's size) and the
 * volume type's {@code snapshots_<type>} and {@code gigabytes_<type>} (over quota: 413
 * {@code overLimit} and no row), and asks the volume's service to take it. Delete moves an {@code available} or {@code error} snapshot
 * (any status when forced) that no volume is being made from to {@code deleting} and asks the
 * volume's service to remove it.
 */
public final class SnapshotsResource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotsResource.class);

    /** Statuses a snapshot may be deleted from without force (Cinder's list). */
    static final Set<SnapshotStatus> DELETABLE = EnumSet.of(SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR);
    static final String FORCE_AFTER_366 = "Since microversion 3.66 the 'force' flag is invalid for this request."
            + "  For backward compatibility, however, when the 'force' flag is passed with a value evaluating to"
            + " True, it is silently ignored.";

    private final ApiSettings settings;
    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final VolumesResource volumesResource;
    private final SnapshotView view;
    private final Schemas schemas;
    private final VolumeRpc volumeServices;
    private final Clock clock;
    private final Quotas quotas;

    public SnapshotsResource(ApiSettings settings, SnapshotRepository snapshots, VolumeRepository volumes,
                             VolumesResource volumesResource, Schemas schemas, VolumeRpc volumeServices, Clock clock, Quotas quotas) {
        this.quotas = requireNonNull(quotas, "quotas");
        this.settings = requireNonNull(settings, "settings");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.volumes = requireNonNull(volumes, "volumes");
        this.volumesResource = requireNonNull(volumesResource, "volumesResource");
        this.schemas = requireNonNull(schemas, "schemas");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
        this.clock = requireNonNull(clock, "clock");
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

    /** The snapshot the caller may see: any project's for an administrator, else only its own; 404 otherwise. */
    Snapshot visible(RequestContext context, String id) {
        Optional<Snapshot> found = context.isAdmin() ? snapshots.find(id) : snapshots.find(id, context.projectId());
        return found.orElseThrow(() -> notFound(id));
    }

    static BasaltException notFound(String id) {
        return BasaltException.notFound("Snapshot %s could not be found.", id);
    }

    SnapshotView view() {
        return view;
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
        Snapshot snapshot = visible(request.context(), request.path("id"));
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
        Volume volume = volumesResource.visible(context, volumeId);
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
        Set<VolumeStatus> allowed = allowInUse ? EnumSet.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE)
                : EnumSet.of(VolumeStatus.AVAILABLE);
        checkSnapshottable(volume, allowed);

        String name = VolumesResource.text(snapshot, "name", VolumesResource.text(snapshot, "display_name", null));
        String description = VolumesResource.text(snapshot, "description", null);
        Snapshot row = new Snapshot(Ids.newId(), volume.id(), context.projectId(), context.userId(), name, description,
                SnapshotStatus.CREATING, "0%", volume.size(), volume.volumeTypeId(), null,
                VolumesResource.stringMap(snapshot.get("metadata")), Timestamps.now(clock), null);
        SnapshotRepository.CreateOutcome created;
        try {
            created = snapshots.create(row, allowed,
                    quotas.forSnapshot(context.projectId(), volume.size(), volume.volumeTypeId()));
        } catch (QuotaExceededException e) {
            LOG.info("{} snapshot of volume {} refused to project {}: {}", context.requestId(), volume.id(),
                    context.projectId(), e.getMessage());
            return QuotaFaults.overLimit(e, quotas.nameOf(e.resource()));
        }
        switch (created) {
            case CREATED -> { }
            case VOLUME_NOT_FOUND -> throw BasaltException.notFound("Volume %s could not be found.", volume.id());
            case VOLUME_STATUS -> checkSnapshottable(volumesResource.visible(context, volume.id()), allowed);
        }
        try {
            volumeServices.createSnapshot(volume.backend(), new CreateSnapshot(row.id(), context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask {} to take snapshot {}", context.requestId(), volume.backend(), row.id(), e);
            snapshots.delete(row.id());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The volume service could not be reached; the snapshot was not created. Try again later.");
        }
        LOG.info("{} snapshot {} of volume {} requested by project {}", context.requestId(), row.id(), volume.id(),
                context.projectId());
        return ApiResponse.accepted(view.one(request, row, false));
    }

    /** Cinder's checks of a volume to snapshot, each a 400 naming the reason. */
    private static void checkSnapshottable(Volume volume, Set<VolumeStatus> allowed) {
        if (volume.host() == null) {
            throw BasaltException.badRequest("Invalid volume: The snapshot cannot be created because volume has not"
                    + " been scheduled to any host.");
        }
        if (volume.status() == VolumeStatus.MAINTENANCE) {
            throw BasaltException.badRequest("Invalid volume: The snapshot cannot be created when the volume is in"
                    + " maintenance mode.");
        }
        if (volume.status() == VolumeStatus.ERROR) {
            throw BasaltException.badRequest("Invalid volume: The snapshot cannot be created when the volume is in"
                    + " error status.");
        }
        if (!allowed.contains(volume.status())) {
            throw BasaltException.badRequest("Invalid volume: Volume %s status must be %s, but current status is: %s.",
                    volume.id(), String.join(", ", allowed.stream().map(VolumeStatus::apiName).toList()),
                    volume.status().apiName());
        }
    }

    ApiResponse update(ApiRequest request) {
        JsonNode fields = request.validBody(schemas.snapshotUpdate()).get("snapshot");
        Snapshot snapshot = visible(request.context(), request.path("id"));
        request.authorize("volume:update_snapshot", snapshot.projectId(), snapshot.userId());
        // name wins over display_name, description over display_description (as Cinder maps them).
        boolean setName = fields.has("name") || fields.has("display_name");
        String name = VolumesResource.text(fields, "name", VolumesResource.text(fields, "display_name", null));
        boolean setDescription = fields.has("description") || fields.has("display_description");
        String description = VolumesResource.text(fields, "description",
                VolumesResource.text(fields, "display_description", null));
        if (!snapshots.rename(snapshot.id(), setName, name, setDescription, description)) {
            throw notFound(snapshot.id());
        }
        return ApiResponse.ok(view.one(request, visible(request.context(), snapshot.id()), false));
    }

    ApiResponse delete(ApiRequest request) {
        Snapshot snapshot = visible(request.context(), request.path("id"));
        request.authorize("volume:delete_snapshot", snapshot.projectId(), snapshot.userId());
        beginDelete(request.context(), snapshot, false);
        return ApiResponse.status(202);
    }

    /** Moves the snapshot to {@code deleting} and asks its volume's service to remove it. */
    void beginDelete(RequestContext context, Snapshot snapshot, boolean force) {
        Set<SnapshotStatus> expected = force ? EnumSet.allOf(SnapshotStatus.class) : DELETABLE;
        switch (snapshots.beginDelete(snapshot.id(), expected)) {
            case STARTED -> { }
            case NOT_FOUND -> throw notFound(snapshot.id());
            case STATUS -> throw BasaltException.badRequest("Invalid snapshot: Snapshot status must be available or"
                    + " error and must not be part of a group.");
            case IN_USE -> throw BasaltException.badRequest("Invalid snapshot: Snapshot %s is in use: a volume is"
                    + " being created from it.", snapshot.id());
        }
        Optional<Volume> volume = volumes.find(snapshot.volumeId());
        try {
            String backend = volume.map(Volume::backend).orElseThrow(() -> new IllegalStateException(
                    "volume " + snapshot.volumeId() + " of snapshot " + snapshot.id() + " is not placed"));
            volumeServices.deleteSnapshot(backend, new DeleteSnapshot(snapshot.id(), context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask the volume service to delete snapshot {}", context.requestId(), snapshot.id(), e);
            snapshots.transition(snapshot.id(), Set.of(SnapshotStatus.DELETING), snapshot.status());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The volume service could not be reached; the snapshot was not deleted. Try again later.");
        }
        LOG.info("{} snapshot {} is being deleted", context.requestId(), snapshot.id());
    }
}
