package dev.basalt.scheduler;

import dev.basalt.model.PoolCapabilities;
import dev.basalt.model.PoolCapacity;
import java.util.Map;

/**
 * Passes pools whose capabilities satisfy every extra spec of the volume's type that speaks about
 * capabilities. A key without a scope ({@code volume_backend_name}) or in the {@code capabilities:}
 * scope ({@code capabilities:compression}) names a capability, nested scopes reaching into nested
 * maps ({@code capabilities:a:b}); keys in any other scope ({@code provisioning:type},
 * {@code RESKEY:availability_zones}, vendor scopes) are left to others. A capability the pool does
 * not report fails the pool. Values are matched with {@link ExtraSpecs}.
 *
 * <p>Besides what the driver reports, a pool's capabilities include Cinder's standard figures:
 * {@code volume_backend_name}, {@code pool_name}, the capacities, {@code reserved_percentage},
 * {@code max_over_subscription_ratio}, {@code thin_provisioning_support} and
 * {@code thick_provisioning_support}.
 */
public final class CapabilitiesFilter implements BackendFilter {
    private static final String SCOPE = "capabilities";

    @Override
    public boolean passes(PoolCapacity pool, RequestSpec request) {
        if (request.extraSpecs().isEmpty()) {
            return true;
        }
        Map<String, Object> capabilities = capabilitiesOf(pool);
        for (Map.Entry<String, String> spec : request.extraSpecs().entrySet()) {
            String[] scope = spec.getKey().split(":", -1);
            int first = 0;
            if (scope.length > 1 && !SCOPE.equals(scope[0])) {
                continue;
            }
            if (SCOPE.equals(scope[0])) {
                first = 1;
            }
            Object capability = capabilities;
            for (int i = first; i < scope.length; i++) {
                if (!(capability instanceof Map<?, ?> map) || !map.containsKey(scope[i])) {
                    return false;
                }
                capability = map.get(scope[i]);
            }
            if (!ExtraSpecs.satisfies(capability, spec.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The pool's capabilities as extra specs see them: the driver's, then the standard figures. */
    public static Map<String, Object> capabilitiesOf(PoolCapacity pool) {
        return PoolCapabilities.of(pool);
    }
}
