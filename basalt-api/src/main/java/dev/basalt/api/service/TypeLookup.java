package dev.basalt.api.service;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Ids;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.VolumeType;
import java.util.Optional;
import java.util.function.Predicate;

/** Finds a volume type by id or name the way Cinder does, with Cinder's not-found messages. */
public final class TypeLookup {
    private TypeLookup() {
    }

    /** By id when it looks like one (falling back to a name of that form), else by name; 404 otherwise. */
    public static VolumeType byNameOrId(VolumeTypeRepository types, String nameOrId) {
        return byNameOrId(types, nameOrId, t -> true);
    }

    /** As {@link #byNameOrId(VolumeTypeRepository, String)}, where a type {@code visible} refuses does not exist. */
    public static VolumeType byNameOrId(VolumeTypeRepository types, String nameOrId, Predicate<VolumeType> visible) {
        if (Ids.isUuidLike(nameOrId)) {
            Optional<VolumeType> byId = types.find(nameOrId).filter(visible);
            if (byId.isPresent()) {
                return byId.get();
            }
            return types.findByName(nameOrId).filter(visible)
                    .orElseThrow(() -> BasaltException.notFound("Volume type %s could not be found.", nameOrId));
        }
        return types.findByName(nameOrId).filter(visible).orElseThrow(
                () -> BasaltException.notFound("Volume type with name %s could not be found.", nameOrId));
    }

    /** By id only; 404 otherwise. */
    public static VolumeType byId(VolumeTypeRepository types, String id) {
        return types.find(id).orElseThrow(() -> BasaltException.notFound("Volume type %s could not be found.", id));
    }
}
