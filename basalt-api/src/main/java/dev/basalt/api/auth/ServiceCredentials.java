package dev.basalt.api.auth;

import static java.util.Objects.requireNonNull;

/**
 * Basalt's own Keystone user, with which it asks Keystone to validate callers' tokens (Keystone's
 * {@code password} method, scoped to a project). A domain id, when given, wins over its name.
 */
public record ServiceCredentials(String username, String password, String userDomainName, String userDomainId,
                                 String projectName, String projectDomainName, String projectDomainId) {
    public ServiceCredentials {
        requireNonNull(username, "username");
        requireNonNull(password, "password");
        requireNonNull(projectName, "projectName");
        if (userDomainId == null) {
            requireNonNull(userDomainName, "userDomainName (or userDomainId)");
        }
        if (projectDomainId == null) {
            requireNonNull(projectDomainName, "projectDomainName (or projectDomainId)");
        }
    }

    @Override
    public String toString() {
        return "ServiceCredentials[username=" + username + ", projectName=" + projectName + "]";
    }
}
