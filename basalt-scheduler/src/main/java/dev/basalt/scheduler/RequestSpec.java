package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a volume asks of the backend it lands on: its size, the availability zones it may live in
 * (empty: any) and its volume type's extra specs.
 */
public record RequestSpec(String volumeId, int sizeGib, List<String> availabilityZones, Map<String, String> extraSpecs) {
    /** The extra spec that asks for thick provisioning ({@code provisioning:type=thick}). */
    public static final String PROVISIONING_TYPE = "provisioning:type";
    /** The extra spec listing the zones a type may be created in, comma separated. */
    public static final String TYPE_AVAILABILITY_ZONES = "RESKEY:availability_zones";

    public RequestSpec {
        requireNonNull(volumeId, "volumeId");
        if (sizeGib < 0) {
            throw new IllegalArgumentException("size must not be negative: " + sizeGib);
        }
        availabilityZones = List.copyOf(requireNonNull(availabilityZones, "availabilityZones"));
        extraSpecs = extraSpecs == null ? Map.of() : Map.copyOf(extraSpecs);
    }

    /**
     * The request for a volume: its own zone when it has one, else the zones its type allows
     * ({@code RESKEY:availability_zones}), else any zone.
     */
    public static RequestSpec forVolume(String volumeId, int sizeGib, String availabilityZone,
                                        Map<String, String> extraSpecs) {
        Map<String, String> specs = extraSpecs == null ? Map.of() : extraSpecs;
        List<String> zones = new ArrayList<>();
        if (availabilityZone != null && !availabilityZone.isBlank()) {
            zones.add(availabilityZone);
        } else if (specs.get(TYPE_AVAILABILITY_ZONES) != null) {
            for (String zone : specs.get(TYPE_AVAILABILITY_ZONES).split(",")) {
                if (!zone.isBlank()) {
                    zones.add(zone.strip());
                }
            }
        }
        return new RequestSpec(volumeId, sizeGib, zones, specs);
    }

    /**
     * Whether the volume is to be thin provisioned where the pool can: true unless the type asks
     * for {@code provisioning:type=thick}.
     */
    public boolean wantsThin() {
        return !"thick".equals(extraSpecs.get(PROVISIONING_TYPE));
    }
}
