package dev.basalt.rpc;

/**
 * Retypes a {@code retyping} volume to {@code newTypeId}. To a scheduler ({@code host} null): find the
 * backend for the volume with its new type, the one it is on when that one still passes, another only
 * when {@code migrationPolicy} is {@code on-demand}. To the volume service that owns the volume
 * ({@code host} the chosen {@code host@backend#pool}): change the type in place when {@code host} is
 * its own backend, else migrate the volume there with the new type.
 */
public record RetypeVolume(String volumeId, String newTypeId, String migrationPolicy, String host,
                           String requestId) {
    public static final String NEVER = "never";
    public static final String ON_DEMAND = "on-demand";

    /** The same request, sent on to {@code chosen}. */
    public RetypeVolume to(String chosen) {
        return new RetypeVolume(volumeId, newTypeId, migrationPolicy, chosen, requestId);
    }

    /** Whether the volume may move to another backend to get its new type. */
    public boolean mayMigrate() {
        return ON_DEMAND.equals(migrationPolicy);
    }
}
