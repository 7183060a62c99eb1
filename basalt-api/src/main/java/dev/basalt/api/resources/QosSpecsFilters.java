package dev.basalt.api.resources;

import dev.basalt.model.QosSpecs;
import java.util.Map;

/**
 * The filters of {@code GET /qos-specs}, as Cinder applies them: on the columns of its QoS specs
 * table, where a set of specs is a row whose {@code key} is {@code QoS_Specs_Name} and whose
 * {@code value} is the name. So {@code id} and {@code value} filter; a filter on anything else
 * that table has no column for ({@code name}, {@code consumer}, …) matches nothing.
 */
final class QosSpecsFilters {
    private static final String ROOT_KEY = "QoS_Specs_Name";

    private QosSpecsFilters() {
    }

    static boolean matches(QosSpecs specs, Map<String, String> filters) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
            boolean ok = switch (f.getKey()) {
                case "id" -> specs.id().equals(f.getValue());
                case "value" -> specs.name().equals(f.getValue());
                case "key" -> ROOT_KEY.equals(f.getValue());
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
