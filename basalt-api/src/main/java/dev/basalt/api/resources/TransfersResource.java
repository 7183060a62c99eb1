package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.api.service.TransferService;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.model.Transfer;
import dev.basalt.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Volume transfers at {@code /os-volume-transfer} (Cinder's extension, every version) and
 * {@code /volume-transfers} (its v3 resource): create (the auth key shown once), list, detailed
 * list, show, accept by another project, delete. As in Cinder, only {@code /volume-transfers}
 * takes {@code no_snapshots} (from 3.55) and pages and sorts its lists (from 3.59); both show the
 * fields of the request's microversion. Policies: {@code volume:create_transfer},
 * {@code volume:get_all_transfers}, {@code volume:get_transfer}, {@code volume:accept_transfer},
 * {@code volume:delete_transfer}.
 */
public final class TransfersResource {
    static final String CREATE = "volume:create_transfer";
    static final String GET_ALL = "volume:get_all_transfers";
    static final String GET = "volume:get_transfer";
    static final String ACCEPT = "volume:accept_transfer";
    static final String DELETE = "volume:delete_transfer";

    private static final String EXTENSION = "/os-volume-transfer";
    private static final String V3 = "/volume-transfers";
    private static final Map<String, Function<Transfer, Comparable<?>>> SORT_KEYS = Map.of(
            "created_at", Transfer::createdAt,
            "updated_at", t -> t.updatedAt(),
            "name", t -> t.name(),
            "display_name", t -> t.name(),
            "volume_id", Transfer::volumeId);

    private final TransferService transfers;
    private final VolumeService volumes;
    private final Schemas schemas;
    private final int maxLimit;

    public TransfersResource(TransferService transfers, VolumeService volumes, Schemas schemas, int maxLimit) {
        this.transfers = requireNonNull(transfers, "transfers");
        this.volumes = requireNonNull(volumes, "volumes");
        this.schemas = requireNonNull(schemas, "schemas");
        this.maxLimit = maxLimit;
    }

    public void register(Router.Builder routes) {
        for (String base : List.of(EXTENSION, V3)) {
            boolean v3 = base.equals(V3);
            routes.get(base, r -> list(r, false, v3))
                    .get(base + "/detail", r -> list(r, true, v3))
                    .post(base, r -> create(r, v3))
                    .get(base + "/{id}", this::show)
                    .delete(base + "/{id}", this::delete)
                    .post(base + "/{id}/accept", this::accept);
        }
    }

    ApiResponse create(ApiRequest request, boolean v3) {
        boolean withSnapshotChoice = v3 && request.atLeast(Microversions.TRANSFER_WITH_SNAPSHOTS);
        JsonNode body = request.validBody(withSnapshotChoice ? schemas.transferCreateV355() : schemas.transferCreate())
                .get("transfer");
        String volumeId = body.get("volume_id").asText();
        JsonNode nameNode = body.get("name");
        String name = nameNode == null || nameNode.isNull() ? null : nameNode.asText().strip();
        boolean noSnapshots = withSnapshotChoice && Booleans.fromJson(body.get("no_snapshots"), false);
        Volume volume = volumes.visible(request.context(), volumeId);
        request.authorize(CREATE, volume.projectId(), volume.userId());
        TransferService.Created created = transfers.create(request.context(), volume, name, noSnapshots,
                v3 && request.atLeast(Microversions.TRANSFER_ENCRYPTED_VOLUME));
        return ApiResponse.accepted(TransferView.created(request, created.transfer(), created.authKey()));
    }

    ApiResponse list(ApiRequest request, boolean detailed, boolean v3) {
        request.authorize(GET_ALL);
        Map<String, String> filters = new LinkedHashMap<>(request.query().lastValues());
        // Cinder reads all_tenants leniently: anything but a true spelling is false.
        boolean allTenants = Boolean.TRUE.equals(Booleans.parseOrNull(filters.remove("all_tenants")));
        String projectFilter = filters.remove("project_id");
        boolean paged = v3 && request.atLeast(Microversions.SUPPORT_TRANSFER_PAGINATION);
        ListParams page = ListParams.parse(request.query(), maxLimit);
        if (paged) {
            ListParams.KEYS.forEach(filters::remove);
        }
        List<Transfer> matching = new ArrayList<>();
        for (Transfer t : transfers.list(request.context(), allTenants, projectFilter)) {
            if (TransferFilters.matches(t, filters)) {
                matching.add(t);
            }
        }
        // Cinder counts what its query returned for the next link: the page itself when it pages
        // (3.59), every match when it only cuts the list (limit and offset) afterwards.
        List<Transfer> items;
        if (paged) {
            items = InMemoryPages.page(matching, page, SORT_KEYS, Transfer::id, TransferService::notFound).items();
        } else {
            int from = Math.min(page.offset(), matching.size());
            items = matching.subList(from, Math.min(from + page.limit(), matching.size()));
        }
        boolean next = page.hasNext(items.size(), (long) (paged ? items.size() : matching.size()));
        return ApiResponse.ok(TransferView.list(request, items, detailed, next));
    }

    ApiResponse show(ApiRequest request) {
        request.authorize(GET);
        return ApiResponse.ok(TransferView.detail(request, transfers.visible(request.context(), request.path("id"))));
    }

    ApiResponse accept(ApiRequest request) {
        JsonNode body = request.validBody(schemas.transferAccept()).get("accept");
        request.authorize(ACCEPT);
        Transfer accepted;
        try {
            accepted = transfers.accept(request.context(), request.path("id"), body.get("auth_key").asText());
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
        return ApiResponse.accepted(TransferView.summary(request, accepted));
    }

    ApiResponse delete(ApiRequest request) {
        Transfer transfer = transfers.visible(request.context(), request.path("id"));
        request.authorize(DELETE, transfers.ownerOf(transfer), null);
        transfers.delete(request.context(), transfer);
        return ApiResponse.status(202);
    }
}
