package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.BackupService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import java.util.Locale;

/**
 * {@code POST /backups/{id}/action}, parsed here and served by {@link BackupService}: the
 * administrator's {@code os-reset_status} (to {@code available} or {@code error}, whatever the
 * current status; set at once, where Cinder asks the backup service) and {@code os-force_delete}
 * (delete from any status, incremental backups building on it still refuse). Both answer 202; any
 * other action is a 400.
 */
public final class BackupActionsResource {
    private final BackupService service;
    private final Schemas schemas;

    public BackupActionsResource(BackupService service, Schemas schemas) {
        this.service = requireNonNull(service, "service");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        routes.post("/backups/{id}/action", this::action);
    }

    ApiResponse action(ApiRequest request) {
        String action = VolumeActionsResource.actionName(request.json());
        return switch (action) {
            case "os-reset_status" -> resetStatus(request);
            case "os-force_delete" -> forceDelete(request);
            default -> throw BasaltException.badRequest("There is no such action: %s. Verify the request body and"
                    + " Content-Type header and try again.", action);
        };
    }

    private ApiResponse resetStatus(ApiRequest request) {
        JsonNode body = request.validBody(schemas.backupResetStatus()).get("os-reset_status");
        Backup backup = BackupsResource.readable(service, request);
        request.authorize("volume_extension:backup_admin_actions:reset_status", backup.projectId(), backup.userId());
        BackupStatus status = BackupStatus.fromApiName(body.get("status").asText().toLowerCase(Locale.ROOT))
                .orElseThrow();
        service.resetStatus(request.context(), backup, status);
        return ApiResponse.status(202);
    }

    private ApiResponse forceDelete(ApiRequest request) {
        request.validBody(schemas.forceDelete());
        Backup backup = BackupsResource.readable(service, request);
        request.authorize("volume_extension:backup_admin_actions:force_delete", backup.projectId(), backup.userId());
        request.authorize("backup:delete", backup.projectId(), backup.userId());
        service.delete(request.context(), backup, true);
        return ApiResponse.status(202);
    }
}
