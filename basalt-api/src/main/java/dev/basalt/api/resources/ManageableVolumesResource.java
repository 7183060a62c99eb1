package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.QueryParams;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.NewManagedVolume;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.api.service.VolumeManagement;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Json;
import dev.basalt.model.Volume;
import dev.basalt.rpc.ManageableVolumes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Cinder's volume manage API: {@code POST /os-volume-manage} (every microversion) and
 * {@code POST /manageable_volumes} (3.8+) manage existing storage as a new volume (202, the volume
 * as Cinder's v2 view details it); {@code GET /os-volume-manage[/detail]} (every microversion) and
 * {@code GET /manageable_volumes[/detail]} (3.8+) list what a host's storage holds that could be
 * managed, under {@code manageable-volumes}: {@code reference}, {@code size}, {@code safe_to_manage},
 * and in detail {@code reason_not_safe}, {@code cinder_id}, {@code extra_info}. Lists take
 * {@code host} (or, from 3.17, {@code cluster}: one of the two), {@code marker} (a reference as
 * JSON), {@code limit}, {@code offset} and {@code sort} on {@code reference} and {@code size}
 * (default {@code reference:desc}). Policies: {@code volume_extension:volume_manage} and
 * {@code volume_extension:list_manageable} (administrators). The rules are
 * {@link VolumeManagement}'s.
 */
public final class ManageableVolumesResource {
    static final String MANAGE = "volume_extension:volume_manage";
    static final String LIST = "volume_extension:list_manageable";
    private static final Set<String> SORT_KEYS = Set.of("reference", "size");
    private static final String SOURCE_NAME = "source-name";

    private final VolumeManagement management;
    private final VolumeView view;
    private final Schemas schemas;
    private final int maxLimit;

    public ManageableVolumesResource(VolumeManagement management, VolumeView view, Schemas schemas, int maxLimit) {
        this.management = requireNonNull(management, "management");
        this.view = requireNonNull(view, "view");
        this.schemas = requireNonNull(schemas, "schemas");
        this.maxLimit = maxLimit;
    }

    public void register(Router.Builder routes) {
        routes.post("/os-volume-manage", this::manage);
        routes.get("/os-volume-manage", request -> list(request, false));
        routes.get("/os-volume-manage/detail", request -> list(request, true));
        routes.post("/manageable_volumes", request -> manage(requireListVersion(request)));
        routes.get("/manageable_volumes", request -> list(requireListVersion(request), false));
        routes.get("/manageable_volumes/detail", request -> list(requireListVersion(request), true));
    }

    private static ApiRequest requireListVersion(ApiRequest request) {
        if (!request.atLeast(Microversions.MANAGE_EXISTING_LIST)) {
            throw BasaltException.badRequest("API version %s is not supported on this method.", request.version());
        }
        return request;
    }

    ApiResponse manage(ApiRequest request) {
        boolean withCluster = request.atLeast(Microversions.VOLUME_MIGRATE_CLUSTER);
        JsonNode volume = request.validBody(schemas.volumeManage(withCluster)).get("volume");
        request.authorize(MANAGE);
        String cluster = withCluster ? nonEmpty(VolumesResource.text(volume, "cluster", null)) : null;
        String host = nonEmpty(textOf(volume.get("host")));
        requireOneOf(host, cluster, withCluster);
        JsonNode ref = volume.get("ref");
        NewManagedVolume wanted = new NewManagedVolume(host, cluster, sourceName(ref), ref.toString(),
                nonEmpty(VolumesResource.text(volume, "name", null)),
                nonEmpty(VolumesResource.text(volume, "description", null)),
                textOf(volume.get("volume_type")), textOf(volume.get("availability_zone")),
                VolumesResource.stringMap(volume.get("metadata")), Booleans.fromJson(volume.get("bootable"), false));
        Volume managed;
        try {
            managed = management.manage(request.context(), wanted);
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
        return ApiResponse.accepted(view.managed(request, managed));
    }

    ApiResponse list(ApiRequest request, boolean detailed) {
        request.authorize(LIST);
        QueryParams query = request.query();
        boolean withCluster = request.atLeast(Microversions.MANAGE_EXISTING_CLUSTER);
        String cluster = withCluster ? nonEmpty(query.get("cluster")) : null;
        String host = nonEmpty(query.get("host"));
        requireOneOf(host, cluster, withCluster);
        ListParams page = ListParams.parse(withoutSort(query), maxLimit);
        Comparator<ManageableVolumes.Entry> order = order(query);
        List<ManageableVolumes.Entry> sorted = new ArrayList<>(management.manageable(request.context(), host, cluster));
        sorted.sort(order);
        int start = 0;
        if (page.marker() != null) {
            String marker = markerReference(page.marker());
            start = -1;
            for (int i = 0; i < sorted.size(); i++) {
                if (sorted.get(i).reference().equals(marker)) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                throw BasaltException.badRequest("Invalid input received: marker not found: %s", page.marker());
            }
        }
        int from = (int) Math.min((long) start + page.offset(), sorted.size());
        int to = (int) Math.min((long) start + page.offset() + page.limit(), sorted.size());
        List<ManageableVolumes.Entry> shown = sorted.subList(from, to);
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("manageable-volumes");
            for (ManageableVolumes.Entry e : shown) {
                out.writeStartObject();
                out.writeObjectFieldStart("reference");
                out.writeStringField(SOURCE_NAME, e.reference());
                out.writeEndObject();
                out.writeNumberField("size", e.size());
                out.writeBooleanField("safe_to_manage", e.safeToManage());
                if (detailed) {
                    out.writeStringField("reason_not_safe", e.reasonNotSafe());
                    out.writeStringField("cinder_id", e.cinderId());
                    out.writeStringField("extra_info", e.extraInfo());
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    /** Cinder's check of host and cluster: exactly one of them (only host before the cluster's version). */
    private static void requireOneOf(String host, String cluster, boolean withCluster) {
        if ((host != null) == (cluster != null)) {
            throw BasaltException.badRequest("Invalid input received: %s", withCluster
                    ? "One and only one of cluster and host must be set." : "Host field is missing.");
        }
    }

    /** The {@code source-name} a reference gives: the string itself, or the object's member; null otherwise. */
    private static String sourceName(JsonNode ref) {
        if (ref.isTextual()) {
            return ref.textValue();
        }
        JsonNode name = ref.get(SOURCE_NAME);
        return name != null && name.isTextual() ? name.textValue() : null;
    }

    /** The reference a marker names: Cinder takes it as JSON ({@code {"source-name": "…"}}). */
    private static String markerReference(String marker) {
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(marker);
        } catch (JsonProcessingException e) {
            parsed = null;
        }
        if (parsed == null || !(parsed.isObject() || parsed.isTextual())) {
            throw BasaltException.badRequest("Invalid input received: marker %s can not be analysed, please use json"
                    + " like format", marker);
        }
        String name = sourceName(parsed);
        if (name == null) {
            throw BasaltException.badRequest("Invalid input received: marker not found: %s", marker);
        }
        return name;
    }

    /** Cinder's sort of manageable entries: by {@code sort} (or {@code sort_key}/{@code sort_dir}), default reference, desc. */
    private static Comparator<ManageableVolumes.Entry> order(QueryParams query) {
        List<String> keys = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        String sort = query.get("sort");
        if (sort != null) {
            if (query.has("sort_key") || query.has("sort_dir")) {
                throw BasaltException.badRequest("The 'sort_key' and 'sort_dir' parameters are deprecated and"
                        + " cannot be used with the 'sort' parameter.");
            }
            for (String part : sort.trim().split(",")) {
                int colon = part.indexOf(':');
                keys.add((colon < 0 ? part : part.substring(0, colon)).trim());
                dirs.add(colon < 0 ? "desc" : part.substring(colon + 1).trim().toLowerCase(Locale.ROOT));
            }
        } else {
            keys.add(query.get("sort_key") == null ? "reference" : query.get("sort_key").trim());
            dirs.add(query.get("sort_dir") == null ? "desc" : query.get("sort_dir").trim().toLowerCase(Locale.ROOT));
        }
        Set<String> badKeys = new LinkedHashSet<>(keys);
        badKeys.removeAll(SORT_KEYS);
        if (!badKeys.isEmpty()) {
            throw BasaltException.badRequest("Invalid sort keys passed: %s", String.join(", ", badKeys));
        }
        Set<String> badDirs = new LinkedHashSet<>(dirs);
        badDirs.removeAll(Set.of("asc", "desc"));
        if (!badDirs.isEmpty()) {
            throw BasaltException.badRequest("Invalid sort dirs passed: %s", String.join(", ", badDirs));
        }
        Comparator<ManageableVolumes.Entry> order = null;
        for (int i = 0; i < keys.size(); i++) {
            Comparator<ManageableVolumes.Entry> c = keys.get(i).equals("size")
                    ? Comparator.comparingInt(ManageableVolumes.Entry::size)
                    : Comparator.comparing(ManageableVolumes.Entry::reference);
            if (dirs.get(i).equals("desc")) {
                c = c.reversed();
            }
            order = order == null ? c : order.thenComparing(c);
        }
        return order;
    }

    /** The query without its sort parameters, which {@link #order} reads with Cinder's manageable rules. */
    private static QueryParams withoutSort(QueryParams query) {
        Map<String, String> rest = new java.util.LinkedHashMap<>(query.lastValues());
        rest.keySet().removeAll(List.of("sort", "sort_key", "sort_dir"));
        return QueryParams.of(rest);
    }

    private static String textOf(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String nonEmpty(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
