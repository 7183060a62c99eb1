package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.ApiSettings;
import dev.basalt.common.BasaltException;
import dev.basalt.db.ServiceRepository;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.VolumeRpc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
 *
 * <p>As Cinder's {@code az_cache_duration}, volume creation checks zones against a list it keeps
 * for {@link ApiSettings#azCacheDuration()} rather than reading the services for every request;
 * a zone the kept list lacks makes it read them again before the request is refused (Cinder
 * refuses that one request and refreshes for the next). Listing zones always reads them.
 */
public final class AvailabilityZones {
    public static final String TYPE_ZONES_SPEC = "RESKEY:availability_zones";

    /** The zone names as read at {@code fetchedAt}. */
    private record Known(Set<String> zones, Instant fetchedAt) {
    }

    /** A zone was not in a kept list: read the services again before deciding. */
    private static final class StaleZones extends RuntimeException {
        StaleZones() {
            super(null, null, false, false);
        }
    }

    private final ServiceRepository services;
    private final ApiSettings settings;
    private final Clock clock;
    private volatile Known known;

    public AvailabilityZones(ServiceRepository services, ApiSettings settings, Clock clock) {
        this.services = requireNonNull(services, "services");
        this.settings = requireNonNull(settings, "settings");
        this.clock = requireNonNull(clock, "clock");
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
        Known kept = known;
        Duration maxAge = settings.azCacheDuration();
        if (kept != null && clock.instant().isBefore(kept.fetchedAt().plus(maxAge))) {
            try {
                return choose(requested, type, kept.zones(), false);
            } catch (StaleZones stale) {
                // read them again below
            }
        }
        return choose(requested, type, fetch(), true);
    }

    private Set<String> fetch() {
        Set<String> zones = new LinkedHashSet<>(listed().keySet());
        zones.add(settings.storageAvailabilityZone());
        Set<String> fresh = Collections.unmodifiableSet(zones);
        known = new Known(fresh, clock.instant());
        return fresh;
    }

    private String choose(String requested, VolumeType type, Set<String> known, boolean fresh) {
        List<String> typeZones = typeZones(type);
        Set<String> safe = known;
        if (typeZones != null) {
            safe = new LinkedHashSet<>(typeZones);
            safe.retainAll(known);
            if (safe.isEmpty() && !fresh) {
                throw new StaleZones();
            }
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
            if (!fresh) {
                throw new StaleZones();
            }
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
