package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.QueryParams;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.GroupService;
import dev.basalt.api.service.GroupSnapshotService;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.model.Group;
import dev.basalt.model.GroupSnapshot;
import dev.basalt.model.GroupSnapshotStatus;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Group snapshots at {@code /group_snapshots} (from 3.14; below, the routes do not exist, a 404 as
 * in Cinder): create (202 with {@code id, name, group_type_id}), list, detailed list (from 3.29
 * filtered, sorted and paged; before, the project's, newest first), show, delete (202), and from
 * 3.19 an administrator's {@code reset_status} action. Policies: Cinder's
 * {@code group:create_group_snapshot}, {@code group:get_group_snapshot},
 * {@code group:get_all_group_snapshots}, {@code group:delete_group_snapshot},
 * {@code group:reset_group_snapshot_status}.
 */
public final class GroupSnapshotsResource {
    static final String CREATE = "group:create_group_snapshot";
    static final String GET = "group:get_group_snapshot";
    static final String GET_ALL = "group:get_all_group_snapshots";
    static final String DELETE = "group:delete_group_snapshot";
    static final String RESET_STATUS = "group:reset_group_snapshot_status";

    /** Filters a non-administrator may use from 3.31 (Cinder's resource_filters for group snapshots). */
    private static final List<String> USER_FILTERS = List.of("name", "status", "group_id");
    private static final Map<String, Function<GroupSnapshot, Comparable<?>>> SORT_KEYS = Map.of(
            "created_at", GroupSnapshot::createdAt,
            "updated_at", GroupSnapshot::updatedAt,
            "name", GroupSnapshot::name,
            "description", GroupSnapshot::description,
            "status", g -> g.status().apiName(),
            "group_id", GroupSnapshot::groupId,
            "group_type_id", GroupSnapshot::groupTypeId,
            "project_id", GroupSnapshot::projectId,
            "user_id", GroupSnapshot::userId);

    private final GroupSnapshotService groupSnapshots;
    private final GroupService groups;
    private final Schemas schemas;
    private final int maxLimit;

    public GroupSnapshotsResource(GroupSnapshotService groupSnapshots, GroupService groups, Schemas schemas,
                                  int maxLimit) {
        this.groupSnapshots = requireNonNull(groupSnapshots, "groupSnapshots");
        this.groups = requireNonNull(groups, "groups");
        this.schemas = requireNonNull(schemas, "schemas");
        this.maxLimit = maxLimit;
    }

    public void register(Router.Builder routes) {
        routes.add("GET", "/group_snapshots", Microversions.GROUP_SNAPSHOTS, r -> list(r, false))
                .add("GET", "/group_snapshots/detail", Microversions.GROUP_SNAPSHOTS, r -> list(r, true))
                .add("POST", "/group_snapshots", Microversions.GROUP_SNAPSHOTS, this::create)
                .add("GET", "/group_snapshots/{id}", Microversions.GROUP_SNAPSHOTS, this::show)
                .add("DELETE", "/group_snapshots/{id}", Microversions.GROUP_SNAPSHOTS, this::delete)
                .add("POST", "/group_snapshots/{id}/action", Microversions.GROUP_SNAPSHOTS, this::action);
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.validBody(schemas.groupSnapshotCreate()).get("group_snapshot");
        Group group = groups.visible(request.context(), body.get("group_id").asText());
        request.authorize(GroupsResource.GET, group.projectId(), group.userId());
        request.authorize(CREATE, group.projectId(), group.userId());
        GroupSnapshot created;
        try {
            created = groupSnapshots.create(request.context(), group, VolumesResource.text(body, "name", null),
                    VolumesResource.text(body, "description", null));
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
        return ApiResponse.accepted(GroupSnapshotView.created(created));
    }

    ApiResponse list(ApiRequest request, boolean detailed) {
        request.authorize(GET_ALL);
        RequestContext context = request.context();
        boolean paged = request.atLeast(Microversions.GROUP_SNAPSHOT_PAGINATION);
        QueryParams query = paged ? request.query() : QueryParams.empty();
        ListParams page = ListParams.parse(query, maxLimit);
        Map<String, String> filters = ListRequest.filters(query, request.version());
        boolean allTenants = context.isAdmin() && query.has("all_tenants");
        if (!context.isAdmin() && query.has("all_tenants") && request.version().below(Microversions.RESOURCE_FILTER)) {
            // As Cinder: a filter on no column (nothing listed); from 3.31 silently dropped (Cinder's bug 1917574).
            filters.put("all_tenants", query.get("all_tenants"));
        }
        if (request.atLeast(Microversions.RESOURCE_FILTER)) {
            ListRequest.checkUserFilters(request.version(), context, USER_FILTERS, filters);
        }
        List<GroupSnapshot> matching = groupSnapshots.list(context, allTenants).stream()
                .filter(g -> GroupSnapshotFilters.matches(g, filters)).toList();
        List<GroupSnapshot> items = InMemoryPages.page(matching, page, SORT_KEYS, GroupSnapshot::id,
                GroupSnapshotService::notFound).items();
        boolean next = page.hasNext(items.size(), null);
        return ApiResponse.ok(GroupSnapshotView.list(request, items, detailed, next));
    }

    ApiResponse show(ApiRequest request) {
        GroupSnapshot found = groupSnapshots.visible(request.context(), request.path("id"));
        request.authorize(GET, found.projectId(), found.userId());
        groupSnapshots.usable(request.context(), found.id());
        return ApiResponse.ok(GroupSnapshotView.detail(request, found));
    }

    ApiResponse delete(ApiRequest request) {
        GroupSnapshot found = groupSnapshots.visible(request.context(), request.path("id"));
        request.authorize(GET, found.projectId(), found.userId());
        request.authorize(DELETE, found.projectId(), found.userId());
        groupSnapshots.delete(request.context(), found);
        return ApiResponse.status(202);
    }

    ApiResponse action(ApiRequest request) {
        String action = VolumeActionsResource.actionName(request.json());
        if (!action.equals("reset_status")) {
            throw BasaltException.badRequest("There is no such action: %s. Verify the request body and Content-Type"
                    + " header and try again.", action);
        }
        if (!request.atLeast(Microversions.GROUP_SNAPSHOT_RESET_STATUS)) {
            throw BasaltException.notFound("The resource could not be found.");
        }
        JsonNode body = request.validBody(schemas.groupSnapshotResetStatus()).get("reset_status");
        GroupSnapshot found = groupSnapshots.visible(request.context(), request.path("id"));
        request.authorize(GET, found.projectId(), found.userId());
        request.authorize(RESET_STATUS, found.projectId(), found.userId());
        GroupSnapshotStatus status = GroupSnapshotStatus.fromApiName(body.get("status").asText()).orElseThrow();
        groupSnapshots.resetStatus(found, status);
        return ApiResponse.status(202);
    }
}
