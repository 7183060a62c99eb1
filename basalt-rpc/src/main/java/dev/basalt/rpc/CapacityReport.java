package dev.basalt.rpc;

import dev.basalt.model.PoolCapacity;
import java.util.List;

/** A volume service's periodic report of its pools, fanned out to every scheduler. */
public record CapacityReport(String backend, String serviceUuid, List<PoolCapacity> pools) {
    public CapacityReport {
        pools = List.copyOf(pools);
    }
}
