package dev.basalt.scheduler;

import dev.basalt.model.PoolCapacity;

/**
 * The capacity figures Cinder derives from a pool's report (its "provisioning improvements"
 * terms), all in GiB and rounded to two decimals as Cinder rounds them:
 * <ul>
 *   <li>{@code reservedCapacity}: {@code floor(total × reserved%)}, kept back from use;</li>
 *   <li>{@code totalReservedAvailable}: total minus the reserved capacity;</li>
 *   <li>{@code totalAvailable}: for a thin volume on a thin pool, {@code totalReservedAvailable ×
 *       max_over_subscription_ratio}, else {@code totalReservedAvailable};</li>
 *   <li>{@code calculatedFree}: {@code totalAvailable − provisioned};</li>
 *   <li>{@code virtualFree}: what can still be given out: {@code calculatedFree} for thin, and for
 *       thick the smaller of that and the free space the backend reports;</li>
 *   <li>{@code provisionedRatio}: {@code provisioned / totalAvailable} (0 when nothing is available).</li>
 * </ul>
 */
public record CapacityFactors(
        double reservedCapacity,
        double totalReservedAvailable,
        double totalAvailable,
        double calculatedFree,
        double virtualFree,
        double provisionedRatio,
        boolean thin) {

    /**
     * The factors of a pool for a volume that is thin ({@code thin}) or thick. A pool without thin
     * provisioning support gives thick volumes only, with an over-subscription ratio of 1.
     */
    public static CapacityFactors of(double total, double free, double provisioned, boolean thinSupport,
                                     double maxOverSubscriptionRatio, int reservedPercentage, boolean thin) {
        double reservedCapacity = Math.floor(total * (reservedPercentage / 100.0));
        double totalReservedAvailable = total - reservedCapacity;
        boolean thinVolume = thin && thinSupport;
        double totalAvailable = thinVolume ? totalReservedAvailable * maxOverSubscriptionRatio : totalReservedAvailable;
        double calculatedFree = totalAvailable - provisioned;
        double virtualFree = thinVolume ? calculatedFree : Math.min(free, calculatedFree);
        double provisionedRatio = totalAvailable != 0 ? provisioned / totalAvailable : 0;
        return new CapacityFactors(reservedCapacity, round2(totalReservedAvailable), round2(totalAvailable),
                round2(calculatedFree), round2(virtualFree), round2(provisionedRatio), thinVolume);
    }

    /**
     * The factors of {@code pool} for {@code request}. The over-subscription ratio counts only where
     * the pool supports thin provisioning (Cinder passes 1 otherwise).
     */
    public static CapacityFactors of(PoolCapacity pool, RequestSpec request) {
        double ratio = pool.thinProvisioningSupport() ? pool.maxOverSubscriptionRatio() : 1.0;
        return of(pool.totalCapacityGb(), pool.freeCapacityGb(), pool.provisionedCapacityGb(),
                pool.thinProvisioningSupport(), ratio, pool.reservedPercentage(), request.wantsThin());
    }

    /**
     * Whether a figure is a number Basalt can compute with. A backend that cannot tell its size
     * reports {@code Infinity} (Cinder's {@code 'infinite'}) or {@code NaN} (Cinder's {@code 'unknown'}).
     */
    public static boolean isKnown(double gib) {
        return Double.isFinite(gib);
    }

    private static double round2(double value) {
        if (!Double.isFinite(value)) {
            return value;
        }
        return Math.round(value * 100.0) / 100.0;
    }
}
