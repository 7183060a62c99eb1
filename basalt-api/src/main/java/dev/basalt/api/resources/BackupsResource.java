package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.ApiSettings;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.BackupChanges;
import dev.basalt.api.service.BackupService;
import dev.basalt.api.service.NewBackup;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.db.BackupQuery;
import dev.basalt.db.BackupRecords;
import dev.basalt.db.Page;
import dev.basalt.model.Backup;
import dev.basalt.model.Volume;
import java.util.List;

/**
 * {@code /backups}: list (summary and detail), show, create (202), update (3.9), delete (202),
 * restore (202), export_record and import_record (201). Parses the requests, checks Cinder's
 * backup policies (each after the backup is found, as Cinder's {@code get} does) and renders
 * {@link BackupView}; {@link BackupService} holds the rules.
 */
public final class BackupsResource {
    static final String GET = "backup:get";

    private final ApiSettings settings;
    private final BackupRecords backups;
    private final BackupService service;
    private final VolumeService volumes;
    private final BackupView view;
    private final Schemas schemas;

    public BackupsResource(ApiSettings settings, BackupRecords backups, BackupService service, VolumeService volumes,
                           Schemas schemas) {
        this.settings = requireNonNull(settings, "settings");
        this.backups = requireNonNull(backups, "backups");
        this.service = requireNonNull(service, "service");
        this.volumes = requireNonNull(volumes, "volumes");
        this.schemas = requireNonNull(schemas, "schemas");
        this.view = new BackupView();
    }

    public void register(Router.Builder routes) {
        routes.get("/backups", r -> list(r, false))
                .get("/backups/detail", r -> list(r, true))
                .get("/backups/{id}", this::show)
                .post("/backups", this::create)
                .add("PUT", "/backups/{id}", Microversions.BACKUP_UPDATE, this::update)
                .delete("/backups/{id}", this::delete)
                .post("/backups/{id}/restore", this::restore)
                .get("/backups/{id}/export_record", this::exportRecord)
                .post("/backups/import_record", this::importRecord);
    }

    /** The backup the caller may see (404 otherwise), once {@code backup:get} lets it (403), as Cinder's get does. */
    static Backup readable(BackupService service, ApiRequest request) {
        Backup backup = service.visible(request.context(), request.path("id"));
        request.authorize(GET, backup.projectId(), backup.userId());
        return backup;
    }

    ApiResponse list(ApiRequest request, boolean detailed) {
        request.authorize("backup:get_all");
        ListRequest.Result<BackupQuery> parsed = BackupFilters.parse(request.query(), request.version(),
                request.context(), settings.maxLimit());
        if (parsed.query() == null) {
            return ApiResponse.ok(view.list(request, List.of(), detailed, parsed.withCount() ? 0L : null, false));
        }
        Page<Backup> page = backups.list(parsed.query());
        boolean next = parsed.page().hasNext(page.items().size(), page.total());
        return ApiResponse.ok(view.list(request, page.items(), detailed, page.total(), next));
    }

    ApiResponse show(ApiRequest request) {
        return ApiResponse.ok(view.one(request, readable(service, request), true));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.validBody(schemas.backupCreate(request.version())).get("backup");
        RequestContext context = request.context();
        Volume volume = volumes.visible(context, body.get("volume_id").asText());
        request.authorize("backup:create", volume.projectId(), volume.userId());
        NewBackup wanted = new NewBackup(volume.id(), VolumesResource.text(body, "snapshot_id", null),
                VolumesResource.text(body, "name", null), VolumesResource.text(body, "description", null),
                VolumesResource.text(body, "container", null), Booleans.fromJson(body.get("incremental"), false),
                Booleans.fromJson(body.get("force"), false),
                request.atLeast(Microversions.BACKUP_AZ) ? VolumesResource.text(body, "availability_zone", null) : null,
                request.atLeast(Microversions.BACKUP_METADATA) ? VolumesResource.stringMap(body.get("metadata")) : null);
        try {
            return ApiResponse.accepted(view.one(request, service.create(context, volume, wanted), false));
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.validBody(schemas.backupUpdate(request.version())).get("backup");
        Backup backup = readable(service, request);
        request.authorize("backup:update", backup.projectId(), backup.userId());
        BackupChanges changes = body == null || body.isNull() ? new BackupChanges(false, null, false, null, null)
                : new BackupChanges(body.has("name"), VolumesResource.text(body, "name", null), body.has("description"),
                        VolumesResource.text(body, "description", null),
                        body.has("metadata") ? VolumesResource.stringMap(body.get("metadata")) : null);
        return ApiResponse.ok(view.one(request, service.update(request.context(), backup, changes), false));
    }

    ApiResponse delete(ApiRequest request) {
        Backup backup = readable(service, request);
        request.authorize("backup:delete", backup.projectId(), backup.userId());
        service.delete(request.context(), backup, false);
        return ApiResponse.status(202);
    }

    ApiResponse restore(ApiRequest request) {
        JsonNode body = request.validBody(schemas.backupRestore()).get("restore");
        Backup backup = readable(service, request);
        request.authorize("backup:restore", backup.projectId(), backup.userId());
        String volumeId = body == null ? null : VolumesResource.text(body, "volume_id", null);
        String name = body == null ? null : VolumesResource.text(body, "name", null);
        try {
            return ApiResponse.accepted(view.restore(service.restore(request.context(), backup, volumeId, name)));
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
    }

    ApiResponse exportRecord(ApiRequest request) {
        Backup backup = readable(service, request);
        request.authorize("backup:export-import", backup.projectId(), backup.userId());
        return ApiResponse.ok(view.record(service.exportRecord(request.context(), backup)));
    }

    ApiResponse importRecord(ApiRequest request) {
        request.authorize("backup:backup-import");
        JsonNode record = request.validBody(schemas.backupImport()).get("backup-record");
        try {
            Backup imported = service.importRecord(request.context(), record.get("backup_service").asText(),
                    record.get("backup_url").asText());
            return ApiResponse.of(201, view.one(request, imported, false));
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
    }
}
