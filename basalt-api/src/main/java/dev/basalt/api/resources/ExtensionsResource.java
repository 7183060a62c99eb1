package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.common.BasaltException;
import java.io.IOException;
import java.util.List;

/**
 * {@code /extensions[/{alias}]}: the Cinder API extensions Basalt serves in full (those it
 * serves in part, such as scheduler hints, are not claimed).
 */
public final class ExtensionsResource {
    record Extension(String name, String alias, String updated, String description) {
    }

    /** In the order Cinder loads them (by module name), as it lists them. */
    static final List<Extension> SERVED = List.of(
            new Extension("AvailabilityZones", "os-availability-zone", "2013-06-27T00:00:00+00:00",
                    "Describe Availability Zones."),
            new Extension("Backups", "backups", "2012-12-12T00:00:00+00:00",
                    "Backups support."),
            new Extension("Capabilities", "capabilities", "2015-08-31T00:00:00+00:00",
                    "Capabilities support."),
            new Extension("ExtendedServices", "os-extended-services", "2014-01-10T00:00:00-00:00",
                    "Extended services support."),
            new Extension("ExtendedSnapshotAttributes", "os-extended-snapshot-attributes", "2012-06-19T00:00:00+00:00",
                    "Extended SnapshotAttributes support."),
            new Extension("Hosts", "os-hosts", "2011-06-29T00:00:00+00:00",
                    "Admin-only host administration."),
            new Extension("Qos_specs_manage", "qos-specs", "2013-08-02T00:00:00+00:00",
                    "QoS specs support."),
            new Extension("QuotaClasses", "os-quota-class-sets", "2012-03-12T00:00:00+00:00",
                    "Quota classes management support."),
            new Extension("Quotas", "os-quota-sets", "2011-08-08T00:00:00+00:00",
                    "Quota management support."),
            new Extension("Scheduler_stats", "scheduler-stats", "2014-09-07T00:00:00+00:00",
                    "Scheduler stats support."),
            new Extension("Services", "os-services", "2012-10-28T00:00:00-00:00",
                    "Services support."),
            new Extension("SnapshotActions", "os-snapshot-actions", "2013-07-16T00:00:00+00:00",
                    "Enable snapshot manager actions."),
            new Extension("TypesExtraSpecs", "os-types-extra-specs", "2011-08-24T00:00:00+00:00",
                    "Type extra specs support."),
            new Extension("TypesManage", "os-types-manage", "2011-08-24T00:00:00+00:00",
                    "Types manage support."),
            new Extension("UsedLimits", "os-used-limits", "2013-10-03T00:00:00+00:00",
                    "Provide data on limited resources that are being used."),
            new Extension("VolumeActions", "os-volume-actions", "2012-05-31T00:00:00+00:00",
                    "Enable volume actions."),
            new Extension("VolumeHostAttribute", "os-vol-host-attr", "2011-11-03T00:00:00+00:00",
                    "Expose host as an attribute of a volume."),
            new Extension("VolumeImageMetadata", "os-vol-image-meta", "2012-12-07T00:00:00+00:00",
                    "Show image metadata associated with the volume."),
            new Extension("VolumeMigStatusAttribute", "os-vol-mig-status-attr", "2013-08-08T00:00:00+00:00",
                    "Expose migration_status as an attribute of a volume."),
            new Extension("VolumeTenantAttribute", "os-vol-tenant-attr", "2011-11-03T00:00:00+00:00",
                    "Expose the internal project_id as an attribute of a volume."),
            new Extension("VolumeTransfer", "os-volume-transfer", "2013-05-29T00:00:00+00:00",
                    "Volume transfer management support."),
            new Extension("VolumeTypeAccess", "os-volume-type-access", "2014-06-26T00:00:00Z",
                    "Volume type access support."));

    public void register(Router.Builder routes) {
        routes.get("/extensions", this::list).get("/extensions/{alias}", this::show);
    }

    ApiResponse list(ApiRequest request) {
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("extensions");
            for (Extension e : SERVED) {
                write(out, e);
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    ApiResponse show(ApiRequest request) {
        String alias = request.path("alias");
        Extension found = SERVED.stream().filter(e -> e.alias().equals(alias)).findFirst()
                .orElseThrow(() -> BasaltException.notFound("The resource could not be found."));
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeFieldName("extension");
            write(out, found);
            out.writeEndObject();
        });
    }

    private static void write(JsonGenerator out, Extension e) throws IOException {
        out.writeStartObject();
        out.writeStringField("name", e.name());
        out.writeStringField("alias", e.alias());
        out.writeStringField("description", e.description());
        out.writeStringField("updated", e.updated());
        out.writeArrayFieldStart("links");
        out.writeEndArray();
        out.writeEndObject();
    }
}
