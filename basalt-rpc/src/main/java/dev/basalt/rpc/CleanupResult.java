package dev.basalt.rpc;

import java.util.List;

/**
 * What a scheduler did with a {@link CleanupRequest}: the services whose work is being cleaned up
 * ({@code cleaning}) and those matched whose work nobody could take ({@code unavailable}).
 */
public record CleanupResult(List<CleanedService> cleaning, List<CleanedService> unavailable) {
    public CleanupResult {
        cleaning = List.copyOf(cleaning);
        unavailable = List.copyOf(unavailable);
    }
}
