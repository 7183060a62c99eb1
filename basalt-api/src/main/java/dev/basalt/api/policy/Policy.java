package dev.basalt.api.policy;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cinder's policy: its default rules (the admin, project member and project reader personas),
 * overridden rule by rule from the operator's policy file, checked once when built: every check
 * string parses, every {@code rule:x} names a rule, and no rule refers to itself.
 *
 * <p>A target is what the action is on: {@code project_id} and {@code user_id} of the volume,
 * message, … (for a new one or a list: the caller's own).
 */
public final class Policy {
    /** The rule that decides whether a caller is an administrator ({@code is_admin}). */
    public static final String CONTEXT_IS_ADMIN = "context_is_admin";
    private static final String DEFAULTS = "cinder-defaults.yaml";
    private static final Map<String, String> CINDER_DEFAULTS = PolicyFile.resource(DEFAULTS);

    private final Map<String, Check> rules;
    private final Check.Rules lookup;

    private Policy(Map<String, Check> rules) {
        this.rules = Map.copyOf(rules);
        this.lookup = this.rules::get;
    }

    /** Cinder's default rules, no overrides. */
    public static Policy cinderDefaults() {
        return withOverrides(Map.of(), "");
    }

    /** Cinder's default rules with {@code overrides} (from {@code origin}, for messages) replacing or adding rules. */
    public static Policy withOverrides(Map<String, String> overrides, String origin) {
        Map<String, String> text = new LinkedHashMap<>(CINDER_DEFAULTS);
        text.putAll(overrides);
        Map<String, Check> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : text.entrySet()) {
            String where = where(e.getKey(), overrides, origin);
            try {
                parsed.put(e.getKey(), RuleParser.parse(e.getValue()));
            } catch (PolicyException ex) {
                throw new PolicyException("policy rule \"" + e.getKey() + "\"" + where + " cannot be read: "
                        + ex.getMessage(), ex);
            }
        }
        for (Map.Entry<String, Check> e : parsed.entrySet()) {
            for (String ref : references(e.getValue())) {
                if (!parsed.containsKey(ref)) {
                    throw new PolicyException("policy rule \"" + e.getKey() + "\"" + where(e.getKey(), overrides, origin)
                            + " refers to rule:" + ref + ", but no rule named \"" + ref + "\" exists");
                }
            }
        }
        checkNoCycles(parsed);
        return new Policy(parsed);
    }

    private static String where(String name, Map<String, String> overrides, String origin) {
        return overrides.containsKey(name) && !origin.isEmpty() ? " (in " + origin + ")" : "";
    }

    /** Whether {@code context} may do {@code action} on {@code target}. */
    public boolean check(String action, Map<String, String> target, RequestContext context) {
        return check(action, target, Credentials.of(context));
    }

    public boolean check(String action, Map<String, String> target, Credentials creds) {
        Check rule = rules.get(action);
        if (rule == null) {
            throw new IllegalStateException("no policy rule named " + action);
        }
        return rule.test(target, creds, lookup);
    }

    /** A 403 ({@code Policy doesn't allow <action> to be performed.}) unless {@link #check} passes. */
    public void authorize(String action, Map<String, String> target, RequestContext context) {
        if (!check(action, target, context)) {
            throw BasaltException.forbidden("Policy doesn't allow %s to be performed.", action);
        }
    }

    /** Whether {@code context_is_admin} passes for the caller, on their own project. */
    public boolean isAdmin(Credentials creds) {
        Map<String, String> own = new HashMap<>();
        own.put("project_id", creds.projectId());
        own.put("user_id", creds.userId());
        return check(CONTEXT_IS_ADMIN, own, creds);
    }

    /** Every rule name known. */
    public Set<String> names() {
        return rules.keySet();
    }

    /** The rule's check, written back in oslo.policy's syntax. */
    public String describe(String name) {
        Check c = rules.get(name);
        return c == null ? null : c.toString();
    }

    /** The target of an action on something owned by {@code projectId} (and {@code userId}, if known). */
    public static Map<String, String> target(String projectId, String userId) {
        Map<String, String> target = new HashMap<>(4);
        if (projectId != null) {
            target.put("project_id", projectId);
        }
        if (userId != null) {
            target.put("user_id", userId);
        }
        return target;
    }

    private static Set<String> references(Check check) {
        Set<String> refs = new HashSet<>();
        collect(check, refs);
        return refs;
    }

    private static void collect(Check check, Set<String> refs) {
        switch (check) {
            case Check.RuleRef r -> refs.add(r.name());
            case Check.And a -> a.checks().forEach(c -> collect(c, refs));
            case Check.Or o -> o.checks().forEach(c -> collect(c, refs));
            case Check.Not n -> collect(n.check(), refs);
            default -> {
            }
        }
    }

    private static void checkNoCycles(Map<String, Check> rules) {
        Set<String> done = new HashSet<>();
        for (String name : rules.keySet()) {
            visit(name, rules, done, new ArrayList<>());
        }
    }

    private static void visit(String name, Map<String, Check> rules, Set<String> done, List<String> path) {
        if (done.contains(name)) {
            return;
        }
        if (path.contains(name)) {
            List<String> loop = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            loop.add(name);
            throw new PolicyException("policy rules refer to each other in a loop: " + String.join(" -> ", loop));
        }
        path.add(name);
        for (String ref : references(rules.get(name))) {
            visit(ref, rules, done, path);
        }
        path.remove(path.size() - 1);
        done.add(name);
    }

    @Override
    public String toString() {
        return "Policy[" + rules.size() + " rules]";
    }

    static Map<String, String> defaultsText() {
        return CINDER_DEFAULTS;
    }
}
