package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.util.Set;

/**
 * {@code POST /volumes/{id}/action}. The actions {@link VolumeActions} serves are handed to it; any
 * other known Cinder action is a 501 saying so (after the volume is found), an unknown one a 400
 * as Cinder answers it.
 */
public final class VolumeActionsResource {
    private static final Set<String> CINDER_ACTIONS = Set.of("os-attach", "os-detach", "os-reserve", "os-unreserve",
            "os-begin_detaching", "os-roll_detaching", "os-initialize_connection", "os-terminate_connection",
            "os-volume_upload_image", "os-extend", "os-update_readonly_flag", "os-retype", "os-set_bootable",
            "os-reset_status", "os-force_delete", "os-force_detach", "os-migrate_volume",
            "os-migrate_volume_completion", "os-set_image_metadata", "os-unset_image_metadata",
            "os-show_image_metadata", "os-unmanage", "revert", "os-reimage", "os-extend_volume_completion",
            "os-update_snapshot_status");

    private final VolumesResource volumes;
    private final VolumeActions actions;

    public VolumeActionsResource(VolumesResource volumes, VolumeActions actions) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.actions = requireNonNull(actions, "actions");
    }

    public void register(Router.Builder routes) {
        routes.post("/volumes/{id}/action", this::action);
    }

    /** The action an action body names: its one key; a 400 when it has not exactly one. */
    static String actionName(JsonNode body) {
        if (!body.isObject() || body.size() != 1) {
            throw BasaltException.badRequest("Malformed request body: an action body has exactly one key, the"
                    + " action's name.");
        }
        return body.fieldNames().next();
    }

    ApiResponse action(ApiRequest request) {
        String action = actionName(request.json());
        if (VolumeActions.serves(action)) {
            return actions.handle(action, request);
        }
        if (!CINDER_ACTIONS.contains(action)) {
            throw BasaltException.badRequest("There is no such action: %s. Verify the request body and Content-Type"
                    + " header and try again.", action);
        }
        volumes.visible(request.context(), request.path("id"));
        throw new BasaltException(Fault.NOT_IMPLEMENTED,
                String.format("The volume action %s is not implemented in Basalt yet.", action));
    }
}
