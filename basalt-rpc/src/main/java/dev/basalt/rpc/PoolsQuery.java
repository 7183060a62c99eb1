package dev.basalt.rpc;

import java.util.Map;

/**
 * Which pools {@code get_pools} answers with (Cinder's get_pools filters): the pool named
 * {@code name} ({@code host@backend#pool}) when not null; pools whose capabilities equal each of
 * {@code capabilities} (compared as Cinder's host manager compares them); and, when
 * {@code volumeTypeExtraSpecs} is not null, pools a volume of a type with those extra specs could
 * be placed on.
 */
public record PoolsQuery(String name, Map<String, String> capabilities, Map<String, String> volumeTypeExtraSpecs) {
    /** Every pool. */
    public static final PoolsQuery ALL = new PoolsQuery(null, Map.of(), null);

    public PoolsQuery {
        capabilities = capabilities == null ? Map.of() : Map.copyOf(capabilities);
        volumeTypeExtraSpecs = volumeTypeExtraSpecs == null ? null : Map.copyOf(volumeTypeExtraSpecs);
    }

    /** True when the query leaves no pool out (what a 1.0 scheduler answers). */
    public boolean isAll() {
        return name == null && capabilities.isEmpty() && volumeTypeExtraSpecs == null;
    }
}
