package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.db.VolumeTypeAccessRepository;
import dev.basalt.model.VolumeType;
import java.util.Set;

/**
 * Who may see and use a volume type: everyone a public one; administrators every one; other
 * callers a private one only when their project was given access. To the rest a private type
 * does not exist (404), as in Cinder.
 */
public final class TypeAccess {
    private final VolumeTypeAccessRepository access;

    public TypeAccess(VolumeTypeAccessRepository access) {
        this.access = requireNonNull(access, "access");
    }

    public boolean canUse(RequestContext context, VolumeType type) {
        return type.isPublic() || context.isAdmin() || access.hasAccess(type.id(), context.projectId());
    }

    /** The private types the project was given access to. */
    public Set<String> granted(String projectId) {
        return access.typeIds(projectId);
    }
}
