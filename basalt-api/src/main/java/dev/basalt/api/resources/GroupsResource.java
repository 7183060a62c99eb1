package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.GroupFromSource;
import dev.basalt.api.service.GroupService;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.model.Group;
import dev.basalt.model.GroupStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Generic volume groups at {@code /groups} (from 3.13; below, the routes do not exist, a 404 as in
 * Cinder): create (202 with the summary), list, detailed list (paged and sorted; from 3.25 with the
 * volumes' ids on {@code ?list_volume=True}), show, update (name, description,
 * {@code add_volumes}/{@code remove_volumes}), and the actions {@code delete} (with
 * {@code delete-volumes}) and, from 3.20, an administrator's {@code reset_status}. Policies:
 * Cinder's {@code group:create}, {@code group:get}, {@code group:get_all}, {@code group:update},
 * {@code group:delete}, {@code group:reset_status}. From 3.14 {@code POST /groups/action} with
 * {@code create-from-src} makes a group from a group snapshot or another group (policy
 * {@code group:create}; see {@link GroupFromSource}). The replication actions (3.38) are refused as
 * Cinder refuses them for a group that cannot replicate (400).
 */
public final class GroupsResource {
    static final String CREATE = "group:create";
    static final String GET = "group:get";
    static final String GET_ALL = "group:get_all";
    static final String UPDATE = "group:update";
    static final String DELETE = "group:delete";
    static final String RESET_STATUS = "group:reset_status";

    /** Filters a non-administrator may use from 3.31 (Cinder's resource_filters for groups). */
    private static final List<String> USER_FILTERS = List.of("name");
    private static final Map<String, Function<Group, Comparable<?>>> SORT_KEYS = Map.of(
            "created_at", Group::createdAt,
            "updated_at", Group::updatedAt,
            "name", Group::name,
            "description", Group::description,
            "status", g -> g.status().apiName(),
            "availability_zone", Group::availabilityZone,
            "group_type_id", Group::groupTypeId,
            "project_id", Group::projectId);

    private final GroupService groups;
    private final GroupFromSource fromSource;
    private final Schemas schemas;
    private final int maxLimit;

    public GroupsResource(GroupService groups, GroupFromSource fromSource, Schemas schemas, int maxLimit) {
        this.groups = requireNonNull(groups, "groups");
        this.fromSource = requireNonNull(fromSource, "fromSource");
        this.schemas = requireNonNull(schemas, "schemas");
        this.maxLimit = maxLimit;
    }

    public void register(Router.Builder routes) {
        routes.add("GET", "/groups", Microversions.GROUP_VOLUME, r -> list(r, false))
                .add("GET", "/groups/detail", Microversions.GROUP_VOLUME, r -> list(r, true))
                .add("POST", "/groups", Microversions.GROUP_VOLUME, this::create)
                .add("POST", "/groups/action", Microversions.GROUP_SNAPSHOTS, this::createFromSource)
                .add("GET", "/groups/{id}", Microversions.GROUP_VOLUME, this::show)
                .add("PUT", "/groups/{id}", Microversions.GROUP_VOLUME, this::update)
                .add("POST", "/groups/{id}/action", Microversions.GROUP_VOLUME, this::action);
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.validBody(schemas.groupCreate()).get("group");
        request.authorize(CREATE);
        List<String> volumeTypes = new ArrayList<>();
        body.get("volume_types").forEach(t -> volumeTypes.add(t.asText()));
        Group created;
        try {
            created = groups.create(request.context(), VolumesResource.text(body, "name", null),
                    VolumesResource.text(body, "description", null), body.get("group_type").asText(), volumeTypes,
                    VolumesResource.text(body, "availability_zone", null));
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
        return ApiResponse.accepted(GroupView.summary(created));
    }

    /** {@code POST /groups/action} {@code {"create-from-src": {...}}} (3.14): 202 with the new group's summary. */
    ApiResponse createFromSource(ApiRequest request) {
        String action = VolumeActionsResource.actionName(request.json());
        if (!action.equals("create-from-src")) {
            throw BasaltException.badRequest("There is no such action: %s. Verify the request body and"
                    + " Content-Type header and try again.", action);
        }
        JsonNode body = request.validBody(schemas.groupCreateFromSource()).get("create-from-src");
        request.authorize(CREATE);
        Group created;
        try {
            created = fromSource.create(request.context(), strippedText(body, "name"),
                    strippedText(body, "description"), VolumesResource.text(body, "group_snapshot_id", null),
                    VolumesResource.text(body, "source_group_id", null));
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
        return ApiResponse.accepted(GroupView.summary(created));
    }

    /** A text field with surrounding blanks removed, as Cinder strips a new group's name and description. */
    private static String strippedText(JsonNode body, String field) {
        String value = VolumesResource.text(body, field, null);
        return value == null ? null : value.strip();
    }

    ApiResponse list(ApiRequest request, boolean detailed) {
        request.authorize(GET_ALL);
        RequestContext context = request.context();
        ListParams page = ListParams.parse(request.query(), maxLimit);
        Map<String, String> filters = ListRequest.filters(request.query(), request.version());
        boolean allTenants = context.isAdmin() && request.query().has("all_tenants");
        if (!context.isAdmin() && request.query().has("all_tenants")
                && request.version().below(Microversions.RESOURCE_FILTER)) {
            // As Cinder: a filter on no column (nothing listed); from 3.31 silently dropped (Cinder's bug 1917574).
            filters.put("all_tenants", request.query().get("all_tenants"));
        }
        filters.remove("list_volume");
        if (request.atLeast(Microversions.RESOURCE_FILTER)) {
            ListRequest.checkUserFilters(request.version(), context, USER_FILTERS, filters);
        }
        List<Group> matching = groups.list(context, allTenants).stream()
                .filter(g -> GroupFilters.matches(g, filters)).toList();
        List<Group> items = InMemoryPages.page(matching, page, SORT_KEYS, Group::id, GroupService::notFound).items();
        boolean next = page.hasNext(items.size(), null);
        return ApiResponse.ok(GroupView.list(request, items, detailed, next, groups::volumeIds));
    }

    ApiResponse show(ApiRequest request) {
        Group group = groups.usable(request.context(), request.path("id"));
        request.authorize(GET, group.projectId(), group.userId());
        return ApiResponse.ok(GroupView.detail(request, group, groups::volumeIds));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.validBody(schemas.groupUpdate()).get("group");
        Group group = groups.usable(request.context(), request.path("id"));
        request.authorize(UPDATE, group.projectId(), group.userId());
        groups.update(request.context(), group, VolumesResource.text(body, "name", null),
                VolumesResource.text(body, "description", null), VolumesResource.text(body, "add_volumes", null),
                VolumesResource.text(body, "remove_volumes", null));
        return ApiResponse.status(202);
    }

    ApiResponse action(ApiRequest request) {
        String action = VolumeActionsResource.actionName(request.json());
        return switch (action) {
            case "delete" -> delete(request);
            case "reset_status" -> resetStatus(request);
            case "enable_replication", "disable_replication", "failover_replication", "list_replication_targets" ->
                    replication(request, action);
            default -> throw BasaltException.badRequest("There is no such action: %s. Verify the request body and"
                    + " Content-Type header and try again.", action);
        };
    }

    private ApiResponse delete(ApiRequest request) {
        JsonNode body = request.validBody(schemas.groupDelete()).get("delete");
        Group group = groups.usable(request.context(), request.path("id"));
        request.authorize(DELETE, group.projectId(), group.userId());
        groups.delete(request.context(), group, Booleans.fromJson(body.get("delete-volumes"), false));
        return ApiResponse.status(202);
    }

    /** The replication actions (3.38): refused, as for a group that cannot replicate (see the service). */
    private ApiResponse replication(ApiRequest request, String action) {
        if (!request.atLeast(Microversions.GROUP_REPLICATION)) {
            throw BasaltException.notFound("The resource could not be found.");
        }
        Group group = groups.visible(request.context(), request.path("id"));
        request.authorize("group:" + action, group.projectId(), group.userId());
        groups.refuseReplication(group);
        return ApiResponse.status(202);
    }

    private ApiResponse resetStatus(ApiRequest request) {
        if (!request.atLeast(Microversions.GROUP_VOLUME_RESET_STATUS)) {
            throw BasaltException.notFound("The resource could not be found.");
        }
        JsonNode body = request.validBody(schemas.groupResetStatus()).get("reset_status");
        Group group = groups.visible(request.context(), request.path("id"));
        request.authorize(RESET_STATUS, group.projectId(), group.userId());
        GroupStatus status = GroupStatus.fromApiName(body.get("status").asText().toLowerCase(Locale.ROOT))
                .orElseThrow();
        groups.resetStatus(group, status);
        return ApiResponse.status(202);
    }
}
