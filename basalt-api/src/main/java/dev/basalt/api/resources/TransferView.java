package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.http.Links;
import dev.basalt.model.Transfer;
import java.io.IOException;
import java.util.List;

/**
 * Cinder's transfer views (its {@code views/transfers.py}), each under {@code transfer}:
 * <ul>
 *   <li>summary (the plain list, and the answer to an accept): {@code id, volume_id, name, links};</li>
 *   <li>detail (show, the detailed list): {@code id, created_at, name, volume_id, links}, from 3.55
 *       {@code no_snapshots}, from 3.57 {@code destination_project_id, source_project_id, accepted};</li>
 *   <li>create: the detail with {@code auth_key}, the only time it is shown.</li>
 * </ul>
 * Links name the {@code os-volume-transfer} collection whichever path was asked, as Cinder's do;
 * a list has {@code transfers_links} when there is a next page.
 */
final class TransferView {
    static final String COLLECTION = "os-volume-transfer";

    private TransferView() {
    }

    static JsonBody summary(ApiRequest request, Transfer transfer) {
        return JsonBody.under("transfer", out -> writeSummary(out, request, transfer));
    }

    static JsonBody detail(ApiRequest request, Transfer transfer) {
        return JsonBody.under("transfer", out -> writeDetail(out, request, transfer, null));
    }

    static JsonBody created(ApiRequest request, Transfer transfer, String authKey) {
        return JsonBody.under("transfer", out -> writeDetail(out, request, transfer, authKey));
    }

    static JsonBody list(ApiRequest request, List<Transfer> page, boolean detailed, boolean nextLink) {
        return out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("transfers");
            for (Transfer transfer : page) {
                if (detailed) {
                    writeDetail(out, request, transfer, null);
                } else {
                    writeSummary(out, request, transfer);
                }
            }
            out.writeEndArray();
            if (nextLink) {
                Links.writeNext(out, "transfers_links", request, COLLECTION, page.get(page.size() - 1).id());
            }
            out.writeEndObject();
        };
    }

    private static void writeSummary(JsonGenerator out, ApiRequest request, Transfer transfer) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", transfer.id());
        out.writeStringField("volume_id", transfer.volumeId());
        out.writeStringField("name", transfer.name());
        Links.write(out, request, COLLECTION, transfer.id());
        out.writeEndObject();
    }

    private static void writeDetail(JsonGenerator out, ApiRequest request, Transfer transfer, String authKey)
            throws IOException {
        out.writeStartObject();
        out.writeStringField("id", transfer.id());
        Timestamps.write(out, "created_at", transfer.createdAt());
        out.writeStringField("name", transfer.name());
        out.writeStringField("volume_id", transfer.volumeId());
        if (authKey != null) {
            out.writeStringField("auth_key", authKey);
        }
        Links.write(out, request, COLLECTION, transfer.id());
        if (request.atLeast(Microversions.TRANSFER_WITH_SNAPSHOTS)) {
            out.writeBooleanField("no_snapshots", transfer.noSnapshots());
        }
        if (request.atLeast(Microversions.TRANSFER_WITH_HISTORY)) {
            out.writeStringField("destination_project_id", transfer.destinationProjectId());
            out.writeStringField("source_project_id", transfer.sourceProjectId());
            out.writeBooleanField("accepted", transfer.accepted());
        }
        out.writeEndObject();
    }
}
