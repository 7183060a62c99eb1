package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.Quotas;
import dev.basalt.db.QuotaUsage;
import dev.basalt.model.QuotaResources;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /limits}: the caller's absolute limits and what it uses of them (in use, not
 * reserved, as Cinder counts), and no rate limits. From 3.39 an administrator may name another
 * project with {@code project_id} (or the older {@code tenant_id}).
 */
public final class LimitsResource {
    private record Absolute(String resource, String max, String used) {
    }

    private static final List<Absolute> ABSOLUTE = List.of(
            new Absolute(QuotaResources.VOLUMES, "maxTotalVolumes", "totalVolumesUsed"),
            new Absolute(QuotaResources.SNAPSHOTS, "maxTotalSnapshots", "totalSnapshotsUsed"),
            new Absolute(QuotaResources.GIGABYTES, "maxTotalVolumeGigabytes", "totalGigabytesUsed"),
            new Absolute(QuotaResources.BACKUPS, "maxTotalBackups", "totalBackupsUsed"),
            new Absolute(QuotaResources.BACKUP_GIGABYTES, "maxTotalBackupGigabytes", "totalBackupGigabytesUsed"));

    private final Quotas quotas;

    public LimitsResource(Quotas quotas) {
        this.quotas = requireNonNull(quotas, "quotas");
    }

    public void register(Router.Builder routes) {
        routes.get("/limits", this::show);
    }

    ApiResponse show(ApiRequest request) {
        RequestContext context = request.context();
        String project = context.projectId();
        if (context.isAdmin() && request.atLeast(Microversions.LIMITS_ADMIN_FILTER)) {
            String named = request.query().get("project_id");
            if (named == null) {
                named = request.query().get("tenant_id");
            }
            if (named != null) {
                project = named;
            }
        }
        Map<String, Integer> limits = quotas.projectLimits(project);
        Map<String, QuotaUsage> usages = quotas.usages(project, ABSOLUTE.stream().map(Absolute::resource).toList());
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeObjectFieldStart("limits");
            out.writeArrayFieldStart("rate");
            out.writeEndArray();
            out.writeObjectFieldStart("absolute");
            for (Absolute a : ABSOLUTE) {
                out.writeNumberField(a.max(), limits.get(a.resource()));
            }
            for (Absolute a : ABSOLUTE) {
                out.writeNumberField(a.used(), usages.get(a.resource()).inUse());
            }
            out.writeEndObject();
            out.writeEndObject();
            out.writeEndObject();
        });
    }
}
