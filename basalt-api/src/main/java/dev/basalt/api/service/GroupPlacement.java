package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.PoolCapacity;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.PoolsQuery;
import dev.basalt.rpc.SchedulerRpc;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a new group lives, as Cinder's scheduler places a generic group: a pool that the
 * scheduler's filters pass for a volume of each of the group's volume types, in the group's
 * availability zone; among those, the one with the most free capacity (the default weigher's
 * choice). The scheduler is asked for the pools each type passes ({@code get_pools} with the
 * type's extra specs), so the group is placed by the same filters as its volumes will be.
 */
final class GroupPlacement {
    private final SchedulerRpc schedulers;
    private final Duration timeout;

    GroupPlacement(SchedulerRpc schedulers, Duration timeout) {
        this.schedulers = requireNonNull(schedulers, "schedulers");
        this.timeout = requireNonNull(timeout, "timeout");
    }

    /** The pool ({@code host@backend#pool}) for the group; empty when no pool passes for every type. */
    Optional<String> choose(List<VolumeType> types, String availabilityZone) {
        List<PoolCapacity> candidates = null;
        for (VolumeType type : types) {
            List<PoolCapacity> passed = schedulers.getPools(new PoolsQuery(null, Map.of(), type.extraSpecs()), timeout);
            if (candidates == null) {
                candidates = passed.stream()
                        .filter(p -> availabilityZone == null || Objects.equals(availabilityZone, p.availabilityZone()))
                        .toList();
            } else {
                Set<String> locations = passed.stream().map(PoolCapacity::location).collect(Collectors.toSet());
                candidates = candidates.stream().filter(p -> locations.contains(p.location())).toList();
            }
        }
        return candidates == null ? Optional.empty() : candidates.stream()
                .max(Comparator.comparingDouble(PoolCapacity::freeCapacityGb)
                        .thenComparing(PoolCapacity::location, Comparator.reverseOrder()))
                .map(PoolCapacity::location);
    }
}
