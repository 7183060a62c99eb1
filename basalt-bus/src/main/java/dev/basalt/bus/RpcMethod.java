package dev.basalt.bus;

import static java.util.Objects.requireNonNull;

/**
 * One message of a role's RPC contract: its name on the wire, its version ({@code major.minor}),
 * the record its arguments map to and the type of its reply ({@link Void} for a cast or fanout).
 * A server serves a version of each method and accepts a message of the same major version and
 * a minor version no higher than its own, as Cinder's RPC versioning does: minor versions only add.
 */
public record RpcMethod<A, R>(String name, String version, Class<A> argType, Class<R> replyType) {
    public RpcMethod {
        requireNonNull(name, "name");
        requireNonNull(argType, "argType");
        requireNonNull(replyType, "replyType");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a method has a name");
        }
        parse(version);
    }

    /** A one-way message (cast or fanout): no reply. */
    public static <A> RpcMethod<A, Void> cast(String name, String version, Class<A> argType) {
        return new RpcMethod<>(name, version, argType, Void.class);
    }

    /** A request answered with a {@code replyType}. */
    public static <A, R> RpcMethod<A, R> call(String name, String version, Class<A> argType, Class<R> replyType) {
        return new RpcMethod<>(name, version, argType, replyType);
    }

    /** True when a server of this version can handle a message sent as {@code sent}. */
    public boolean accepts(String sent) {
        int[] mine = parse(version);
        int[] theirs;
        try {
            theirs = parse(sent);
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
        return theirs[0] == mine[0] && theirs[1] <= mine[1];
    }

    private static int[] parse(String version) {
        requireNonNull(version, "version");
        int dot = version.indexOf('.');
        try {
            if (dot > 0) {
                return new int[] {Integer.parseInt(version.substring(0, dot)), Integer.parseInt(version.substring(dot + 1))};
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("an RPC version is major.minor, like 3.0: " + version);
    }

    @Override
    public String toString() {
        return name + " " + version;
    }
}
