package dev.basalt.api.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * What Keystone says about a valid token: who it is for, in which project, with which roles
 * (implied roles included), until when.
 *
 * @param isAdminProject Keystone's {@code is_admin_project}; true when Keystone names no admin project
 */
public record TokenInfo(String userId, String userName, String userDomainId, String projectId, String projectName,
                        String projectDomainId, List<String> roles, Instant expiresAt, boolean isAdminProject) {
    public TokenInfo {
        requireNonNull(userId, "userId");
        requireNonNull(userDomainId, "userDomainId");
        requireNonNull(projectId, "projectId");
        requireNonNull(projectDomainId, "projectDomainId");
        roles = List.copyOf(roles);
        requireNonNull(expiresAt, "expiresAt");
    }
}
