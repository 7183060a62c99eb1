package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.ApiSettings;
import dev.basalt.db.DefaultTypeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.VolumeType;
import java.util.Optional;

/**
 * Which volume type a project's new volumes get when the request names none: the project's
 * default (the default-types API) if it has one, else the configured {@code default_volume_type}.
 */
public final class DefaultTypes {
    private final DefaultTypeRepository projectDefaults;
    private final VolumeTypeRepository types;
    private final ApiSettings settings;

    public DefaultTypes(DefaultTypeRepository projectDefaults, VolumeTypeRepository types, ApiSettings settings) {
        this.projectDefaults = requireNonNull(projectDefaults, "projectDefaults");
        this.types = requireNonNull(types, "types");
        this.settings = requireNonNull(settings, "settings");
    }

    /** The default type for the project; empty if the configured default does not exist. */
    public Optional<VolumeType> forProject(String projectId) {
        return types.defaultFor(projectId, settings.defaultVolumeType());
    }

    public Optional<VolumeType> configured() {
        return types.findByName(settings.defaultVolumeType());
    }

    /** Whether the type is a default anywhere: the configured default or some project's. */
    public boolean isDefaultAnywhere(VolumeType type) {
        return type.name().equals(settings.defaultVolumeType()) || !projectDefaults.projectsUsing(type.id()).isEmpty();
    }
}
