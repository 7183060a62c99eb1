package dev.basalt.api.auth;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;

/** Cinder's default policy, reduced to what it says for the APIs served here: admin or not. */
public final class Policy {
    private Policy() {
    }

    /** A 403 unless the caller is an administrator. {@code action} names the policy rule. */
    public static void requireAdmin(RequestContext context, String action) {
        if (!context.isAdmin()) {
            throw BasaltException.forbidden("Policy doesn't allow %s to be performed.", action);
        }
    }
}
