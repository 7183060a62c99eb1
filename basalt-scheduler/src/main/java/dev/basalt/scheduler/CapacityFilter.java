package dev.basalt.scheduler;

import dev.basalt.model.PoolCapacity;

/**
 * Passes pools with room for the volume, by Cinder's rules:
 * <ul>
 *   <li>a zero-size request always fits;</li>
 *   <li>a pool that cannot tell its free space (infinite or unknown) is assumed to fit; one that
 *       cannot tell its total fits only when it reserves nothing; a total of zero or less never fits;</li>
 *   <li>a thin volume on a pool with thin provisioning: the provisioned ratio after adding the volume
 *       must not exceed {@code max_over_subscription_ratio}, and the virtual free capacity
 *       (total less the reserved part, times the ratio, less what is provisioned) must hold the
 *       volume; a ratio below 1 rejects the pool;</li>
 *   <li>otherwise (thick type or pool without thin provisioning): the smaller of the reported free
 *       space and the unreserved, unprovisioned space must hold the volume.</li>
 * </ul>
 * A volume larger than the pool could ever hold fails on every path.
 */
public final class CapacityFilter implements BackendFilter {

    @Override
    public boolean passes(PoolCapacity pool, RequestSpec request) {
        int requested = request.sizeGib();
        if (requested == 0) {
            return true;
        }
        if (!CapacityFactors.isKnown(pool.freeCapacityGb())) {
            return true;
        }
        if (!CapacityFactors.isKnown(pool.totalCapacityGb())) {
            return pool.reservedPercentage() == 0;
        }
        if (pool.totalCapacityGb() <= 0) {
            return false;
        }
        CapacityFactors factors = CapacityFactors.of(pool, request);
        boolean thin = request.wantsThin() && pool.thinProvisioningSupport();
        if (thin) {
            if (pool.maxOverSubscriptionRatio() < 1) {
                return false;
            }
            // As in Cinder, the ratio is taken against the over-subscribed total.
            double provisionedRatio = (pool.provisionedCapacityGb() + requested) / factors.totalAvailable();
            if (!(provisionedRatio <= pool.maxOverSubscriptionRatio())) {
                return false;
            }
        }
        return factors.virtualFree() >= requested;
    }
}
