package dev.basalt.api;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Who is calling: the authenticated user and project with their domains, their roles, whether
 * policy treats them as an administrator ({@code context_is_admin}), whether their project is
 * Keystone's admin project, and the id of this request (for logs and user messages).
 *
 * @param userDomainId    the user's domain ({@code default} when the authenticator has none)
 * @param projectDomainId the project's domain ({@code default} when the authenticator has none)
 * @param projectName     the project's name, when known
 * @param isAdminProject  Keystone's {@code is_admin_project} (true when Keystone names no admin project)
 */
public record RequestContext(String userId, String projectId, Set<String> roles, boolean isAdmin, String requestId,
                             String userDomainId, String projectDomainId, String projectName,
                             boolean isAdminProject) {
    public static final String DEFAULT_DOMAIN = "default";

    public RequestContext {
        requireNonNull(userId, "userId");
        requireNonNull(projectId, "projectId");
        requireNonNull(requestId, "requestId");
        requireNonNull(userDomainId, "userDomainId");
        requireNonNull(projectDomainId, "projectDomainId");
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    /** A caller in the default domain, as noauth and tests make them. */
    public RequestContext(String userId, String projectId, Set<String> roles, boolean isAdmin, String requestId) {
        this(userId, projectId, roles, isAdmin, requestId, DEFAULT_DOMAIN, DEFAULT_DOMAIN, null, true);
    }

    /** The same caller for another request. */
    public RequestContext withRequestId(String id) {
        return new RequestContext(userId, projectId, roles, isAdmin, id, userDomainId, projectDomainId, projectName,
                isAdminProject);
    }
}
