package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.ApiSettings;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Links;
import dev.basalt.api.http.QueryParams;
import dev.basalt.api.http.Router;
import dev.basalt.common.BasaltException;
import dev.basalt.db.MessageRepository;
import dev.basalt.model.UserMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /messages} (3.3): user messages about asynchronous failures, written by the services
 * (e.g. the scheduler when no backend can take a volume). Filters, sorting and pagination from
 * 3.5, like-filters from 3.34. Administrators see every project's messages, as in Cinder.
 */
public final class MessagesResource {
    static final List<String> USER_FILTERS = List.of("resource_uuid", "resource_type", "event_id", "request_id",
            "message_level");
    private static final Map<String, Function<UserMessage, Comparable<?>>> FIELDS = Map.of(
            "project_id", UserMessage::projectId,
            "request_id", UserMessage::requestId,
            "resource_type", UserMessage::resourceType,
            "resource_uuid", UserMessage::resourceUuid,
            "event_id", UserMessage::eventId,
            "message_level", UserMessage::messageLevel,
            "created_at", UserMessage::createdAt,
            "expires_at", UserMessage::expiresAt,
            "detail_id", UserMessage::detailId,
            "action_id", UserMessage::actionId);

    static final String GET = "message:get";
    static final String GET_ALL = "message:get_all";
    static final String DELETE = "message:delete";

    private final ApiSettings settings;
    private final MessageRepository messages;

    public MessagesResource(ApiSettings settings, MessageRepository messages) {
        this.settings = requireNonNull(settings, "settings");
        this.messages = requireNonNull(messages, "messages");
    }

    public void register(Router.Builder routes) {
        routes.add("GET", "/messages", Microversions.MESSAGES, this::list)
                .add("GET", "/messages/{id}", Microversions.MESSAGES, this::show)
                .add("DELETE", "/messages/{id}", Microversions.MESSAGES, this::delete);
    }

    private UserMessage visible(RequestContext context, String id) {
        return messages.find(id, context.isAdmin() ? null : context.projectId())
                .orElseThrow(() -> BasaltException.notFound("Message %s could not be found.", id));
    }

    ApiResponse show(ApiRequest request) {
        UserMessage m = visible(request.context(), request.path("id"));
        request.authorize(GET, m.projectId(), null);
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeFieldName("message");
            write(out, request, m);
            out.writeEndObject();
        });
    }

    ApiResponse delete(ApiRequest request) {
        UserMessage m = visible(request.context(), request.path("id"));
        request.authorize(DELETE, m.projectId(), null);
        messages.delete(m.id(), null);
        return ApiResponse.status(204);
    }

    ApiResponse list(ApiRequest request) {
        request.authorize(GET_ALL);
        RequestContext context = request.context();
        List<UserMessage> all = messages.list(context.isAdmin() ? null : context.projectId());
        if (request.version().below(Microversions.MESSAGES_PAGINATION)) {
            return ApiResponse.ok(page(request, all, false));
        }
        QueryParams query = request.query();
        ListParams params = ListParams.parse(query, settings.maxLimit());
        Map<String, String> filters = new LinkedHashMap<>(query.lastValues());
        ListParams.KEYS.forEach(filters::remove);
        checkFilters(request, filters);
        boolean like = request.atLeast(Microversions.LIKE_FILTER);
        List<UserMessage> matching = new ArrayList<>();
        for (UserMessage m : all) {
            if (matches(m, filters, like)) {
                matching.add(m);
            }
        }
        InMemoryPages.PageOf<UserMessage> page = InMemoryPages.page(matching, params, FIELDS, UserMessage::id,
                marker -> BasaltException.notFound("Message %s could not be found.", marker));
        boolean next = params.hasNext(page.items().size(), null);
        return ApiResponse.ok(page(request, page.items(), next));
    }

    private static void checkFilters(ApiRequest request, Map<String, String> filters) {
        if (request.context().isAdmin() || request.version().below(Microversions.RESOURCE_FILTER)) {
            return;
        }
        boolean like = request.atLeast(Microversions.LIKE_FILTER);
        List<String> invalid = new ArrayList<>();
        for (String key : filters.keySet()) {
            if (!(USER_FILTERS.contains(key) || (like && USER_FILTERS.contains(key + "~")))) {
                invalid.add(key);
            }
        }
        if (!invalid.isEmpty()) {
            throw BasaltException.badRequest("Invalid filters %s are found in query options.", String.join(",", invalid));
        }
    }

    private static boolean matches(UserMessage m, Map<String, String> filters, boolean like) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
            String key = f.getKey();
            boolean substring = like && key.endsWith("~");
            String field = substring ? key.substring(0, key.length() - 1) : key;
            Function<UserMessage, Comparable<?>> getter = field.equals("id") ? UserMessage::id : FIELDS.get(field);
            if (getter == null) {
                return false;
            }
            Comparable<?> value = getter.apply(m);
            String text = value == null ? null : value.toString();
            boolean ok = substring ? text != null && text.contains(f.getValue()) : f.getValue().equals(text);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static dev.basalt.api.http.JsonBody page(ApiRequest request, List<UserMessage> items, boolean next) {
        return PageBody.of(request, "messages", "messages_links", "messages", items, UserMessage::id, next,
                (out, m) -> write(out, request, m));
    }

    private static void write(JsonGenerator out, ApiRequest request, UserMessage m) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", m.id());
        out.writeStringField("event_id", m.eventId());
        out.writeStringField("user_message", MessageTexts.userMessage(m));
        out.writeStringField("message_level", m.messageLevel());
        Timestamps.write(out, "created_at", m.createdAt());
        Timestamps.write(out, "guaranteed_until", m.expiresAt());
        out.writeStringField("request_id", m.requestId());
        Links.write(out, request, "messages", m.id());
        if (m.resourceType() != null && !m.resourceType().isEmpty()) {
            out.writeStringField("resource_type", m.resourceType());
        }
        if (m.resourceUuid() != null && !m.resourceUuid().isEmpty()) {
            out.writeStringField("resource_uuid", m.resourceUuid());
        }
        out.writeEndObject();
    }

}
