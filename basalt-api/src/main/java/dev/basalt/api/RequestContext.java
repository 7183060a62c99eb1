package dev.basalt.api;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Who is calling: the authenticated user and project, their roles, whether policy treats them as
 * an administrator, and the id of this request (for logs and user messages).
 */
public record RequestContext(String userId, String projectId, Set<String> roles, boolean isAdmin, String requestId) {
    public RequestContext {
        requireNonNull(userId, "userId");
        requireNonNull(projectId, "projectId");
        requireNonNull(requestId, "requestId");
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }
}
