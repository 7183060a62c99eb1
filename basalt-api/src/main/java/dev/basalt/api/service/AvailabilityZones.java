package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.ApiSettings;
import dev.basalt.common.BasaltException;
import dev.basalt.db.ServiceRepository;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.VolumeRpc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The availability zones Cinder knows: the zones of its volume services (a zone is available
 * while one of its services is enabled), and for volume creation also the configured storage
 * zone. Picks a new volume's zone as Cinder does, honouring a type's
 * {@code RESKEY:availability_zones}.
 */
public final class AvailabilityZones {
    public static final String TYPE_ZONES_SPEC = "RESKEY:availability_zones";

    private final ServiceRepository services;
    private final ApiSettings settings;

    public AvailabilityZones(ServiceRepository services, ApiSettings settings) {
        this.services = requireNonNull(services, "services");
        this.settings = requireNonNull(settings, "settings");
    }

    /** Zone name → available, in the order services list them. */
    public Map<String, Boolean> listed() {
        Map<String, Boolean> zones = new LinkedHashMap<>();
        for (ServiceRecord s : services.list(null, VolumeRpc.BINARY)) {
            String zone = s.availabilityZone() == null ? settings.storageAvailabilityZone() : s.availabilityZone();
            zones.merge(zone, !s.disabled(), Boolean::logicalOr);
        }
        return zones;
    }

    /**
     * The zone for a new volume ({@code requested} may be null), or null when the type allows
     * several zones and the request named none (the scheduler then picks among them).
     * An unknown zone is a 400 unless {@code allow_availability_zone_fallback} is set.
     */
    public String choose(String requested, VolumeType type) {
        Set<String> known = new LinkedHashSet<>(listed().keySet());
        known.add(settings.storageAvailabilityZone());
        List<String> typeZones = typeZones(type);
        Set<String> safe = known;
        if (typeZones != null) {
            safe = new LinkedHashSet<>(typeZones);
            safe.retainAll(known);
            if (safe.isEmpty()) {
                throw BasaltException.badRequest("Volume type is only supported in these availability zones: %s",
                        typeZones);
            }
        }
        String zone = requested;
        if (zone == null && typeZones == null) {
            zone = settings.effectiveDefaultZone();
        }
        if (zone != null && !safe.contains(zone)) {
            if (!settings.allowAvailabilityZoneFallback()) {
                throw BasaltException.badRequest("Availability zone '%s' is invalid.", zone);
            }
            zone = settings.effectiveDefaultZone();
        }
        if (zone == null && safe.size() == 1) {
            zone = safe.iterator().next();
        }
        return zone;
    }

    /** The zones a type is limited to, or null when it names none. */
    static List<String> typeZones(VolumeType type) {
        if (type == null || !type.extraSpecs().containsKey(TYPE_ZONES_SPEC)) {
            return null;
        }
        List<String> zones = new ArrayList<>();
        for (String z : type.extraSpecs().get(TYPE_ZONES_SPEC).split(",")) {
            if (!z.isEmpty() && !z.isBlank()) {
                zones.add(z.strip());
            }
        }
        return zones;
    }
}
