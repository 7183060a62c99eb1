package dev.basalt.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of resource whose work in flight is recorded in the workers table, named as Cinder
 * names them there ({@code resource_type}: the versioned object's class name), and the statuses of
 * each that mean work is in flight.
 */
public enum CleanableResource {
    VOLUME("Volume"),
    SNAPSHOT("Snapshot");

    private final String typeName;

    CleanableResource(String typeName) {
        this.typeName = typeName;
    }

    /** The name in the workers table and in {@code POST /workers/cleanup}: {@code Volume}, {@code Snapshot}. */
    public String typeName() {
        return typeName;
    }

    /** The kind named exactly {@code name} ({@code Volume}, {@code Snapshot}), if there is one. */
    public static Optional<CleanableResource> fromTypeName(String name) {
        return Arrays.stream(values()).filter(r -> r.typeName.equals(name)).findFirst();
    }
}
