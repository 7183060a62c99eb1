package dev.basalt.api.policy;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import java.util.List;

/**
 * What a policy knows about the caller, under oslo.policy's names: {@code user_id},
 * {@code user_domain_id}, {@code project_id}, {@code project_domain_id}, {@code domain_id} and
 * {@code system_scope} (None: Basalt takes project-scoped tokens only), {@code roles},
 * {@code is_admin} and {@code is_admin_project}.
 */
public record Credentials(String userId, String userDomainId, String projectId, String projectDomainId,
                          List<String> roles, boolean isAdmin, boolean isAdminProject) {
    public Credentials {
        roles = List.copyOf(roles);
    }

    public static Credentials of(RequestContext context) {
        requireNonNull(context, "context");
        return new Credentials(context.userId(), context.userDomainId(), context.projectId(),
                context.projectDomainId(), List.copyOf(context.roles()), context.isAdmin(), context.isAdminProject());
    }

    /** Whether the credential at {@code path} (dotted), or any element of it when it is a list, reads {@code expected}. */
    boolean matches(String path, String expected) {
        int dot = path.indexOf('.');
        if (dot >= 0) {
            return false;
        }
        Object value;
        switch (path) {
            case "user_id" -> value = userId;
            case "user_domain_id" -> value = userDomainId;
            case "project_id" -> value = projectId;
            case "project_domain_id" -> value = projectDomainId;
            case "domain_id", "system_scope", "service_user_id", "service_user_domain_id", "service_project_id",
                 "service_project_domain_id" -> value = null;
            case "roles", "service_roles" -> {
                List<String> list = path.equals("roles") ? roles : List.of();
                for (String r : list) {
                    if (r.equals(expected)) {
                        return true;
                    }
                }
                return false;
            }
            case "is_admin" -> value = isAdmin;
            case "is_admin_project" -> value = isAdminProject;
            default -> {
                return false;
            }
        }
        return expected.equals(pythonText(value));
    }

    /** A value as Python's {@code str()} writes it. */
    static String pythonText(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return value.toString();
    }
}
