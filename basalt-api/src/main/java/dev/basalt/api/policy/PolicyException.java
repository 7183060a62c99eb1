package dev.basalt.api.policy;

/** A policy that cannot be used: a check string that does not parse, or a rule that refers to no rule. */
public final class PolicyException extends IllegalArgumentException {
    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
