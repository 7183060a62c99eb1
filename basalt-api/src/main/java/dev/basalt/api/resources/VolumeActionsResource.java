package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.VolumeManagement;
import dev.basalt.api.service.VolumeService;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.util.Map;

/**
 * {@code POST /volumes/{id}/action}. The actions {@link VolumeActions}, {@link AttachActions},
 * {@link ImageMetadataActions}, {@link UploadImageAction}, {@link RevertAction} and {@link MoveActions} serve are handed to
 * them, {@code os-unmanage} to {@link VolumeManagement} ({@code revert} is a 404 before 3.40, as Cinder routes it); any
 * other known Cinder action is a 501 saying so (after the volume is found), an unknown one a 400
 * as Cinder answers it.
 */
public final class VolumeActionsResource {
    /** Cinder's volume actions and the policy rule each one checks first (on the volume). */
    static final Map<String, String> CINDER_ACTIONS = Map.ofEntries(
            Map.entry("os-attach", "volume_extension:volume_actions:attach"),
            Map.entry("os-detach", "volume_extension:volume_actions:detach"),
            Map.entry("os-reserve", "volume_extension:volume_actions:reserve"),
            Map.entry("os-unreserve", "volume_extension:volume_actions:unreserve"),
            Map.entry("os-begin_detaching", "volume_extension:volume_actions:begin_detaching"),
            Map.entry("os-roll_detaching", "volume_extension:volume_actions:roll_detaching"),
            Map.entry("os-initialize_connection", "volume_extension:volume_actions:initialize_connection"),
            Map.entry("os-terminate_connection", "volume_extension:volume_actions:terminate_connection"),
            Map.entry("os-volume_upload_image", "volume_extension:volume_actions:upload_image"),
            Map.entry("os-extend", "volume:extend"),
            Map.entry("os-update_readonly_flag", "volume:update_readonly_flag"),
            Map.entry("os-retype", "volume:retype"),
            Map.entry("os-set_bootable", "volume:update"),
            Map.entry("os-reset_status", "volume_extension:volume_admin_actions:reset_status"),
            Map.entry("os-force_delete", "volume_extension:volume_admin_actions:force_delete"),
            Map.entry("os-force_detach", "volume_extension:volume_admin_actions:force_detach"),
            Map.entry("os-migrate_volume", "volume_extension:volume_admin_actions:migrate_volume"),
            Map.entry("os-migrate_volume_completion", "volume_extension:volume_admin_actions:migrate_volume_completion"),
            Map.entry("os-set_image_metadata", "volume_extension:volume_image_metadata:set"),
            Map.entry("os-unset_image_metadata", "volume_extension:volume_image_metadata:remove"),
            Map.entry("os-show_image_metadata", "volume:get_volume_metadata"),
            Map.entry("os-unmanage", "volume_extension:volume_unmanage"),
            Map.entry("revert", "volume:revert_to_snapshot"),
            Map.entry("os-reimage", "volume:reimage"),
            Map.entry("os-extend_volume_completion", "volume_extension:volume_admin_actions:extend_volume_completion"),
            Map.entry("os-update_snapshot_status", "snapshot_extension:snapshot_actions:update_snapshot_status"));

    /** {@code os-unmanage}: the volume leaves Basalt, its storage kept ({@link VolumeManagement#unmanage}). */
    static final String UNMANAGE = "os-unmanage";

    private final VolumeService volumes;
    private final VolumeActions actions;
    private final AttachActions attachActions;
    private final ImageMetadataActions imageMetadataActions;
    private final UploadImageAction uploadImage;
    private final RevertAction revert;
    private final MoveActions moves;
    private final VolumeManagement management;

    public VolumeActionsResource(VolumeService volumes, VolumeActions actions, AttachActions attachActions,
                                 ImageMetadataActions imageMetadataActions, UploadImageAction uploadImage,
                                 RevertAction revert, MoveActions moves, VolumeManagement management) {
        this.management = requireNonNull(management, "management");
        this.volumes = requireNonNull(volumes, "volumes");
        this.actions = requireNonNull(actions, "actions");
        this.attachActions = requireNonNull(attachActions, "attachActions");
        this.imageMetadataActions = requireNonNull(imageMetadataActions, "imageMetadataActions");
        this.uploadImage = requireNonNull(uploadImage, "uploadImage");
        this.revert = requireNonNull(revert, "revert");
        this.moves = requireNonNull(moves, "moves");
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
        String rule = CINDER_ACTIONS.get(action);
        if (rule == null) {
            throw BasaltException.badRequest("There is no such action: %s. Verify the request body and Content-Type"
                    + " header and try again.", action);
        }
        if (RevertAction.ACTION.equals(action) && !request.atLeast(Microversions.VOLUME_REVERT)) {
            throw BasaltException.notFound("The resource could not be found.");
        }
        var volume = VolumesResource.readable(volumes, request, request.path("id"));
        request.authorize(rule, volume.projectId(), volume.userId());
        if (VolumeActions.serves(action)) {
            return actions.handle(action, request);
        }
        if (AttachActions.serves(action)) {
            return attachActions.handle(action, request);
        }
        if (ImageMetadataActions.serves(action)) {
            return imageMetadataActions.handle(action, request);
        }
        if (UploadImageAction.ACTION.equals(action)) {
            return uploadImage.handle(request);
        }
        if (RevertAction.ACTION.equals(action)) {
            return revert.handle(request);
        }
        if (MoveActions.serves(action)) {
            return moves.handle(action, request);
        }
        if (UNMANAGE.equals(action)) {
            management.unmanage(request.context(), volumes.visible(request.context(), request.path("id")));
            return ApiResponse.status(202);
        }
        throw new BasaltException(Fault.NOT_IMPLEMENTED,
                String.format("The volume action %s is not implemented in Basalt yet.", action));
    }
}
