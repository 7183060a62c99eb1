package dev.basalt.iscsi;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * A CHAP user name and secret. Secrets are at least 12 bytes (96 bits, the least RFC 7143
 * section 12.1.3 accepts and what Microsoft's initiator requires) and at most 255.
 */
public record ChapCredentials(String user, String secret) {
    public static final int MIN_SECRET_LENGTH = 12;
    public static final int MAX_LENGTH = 255;

    public ChapCredentials {
        requireNonNull(user, "user");
        requireNonNull(secret, "secret");
        if (user.isEmpty() || user.length() > MAX_LENGTH || !printable(user)) {
            throw new IllegalArgumentException("CHAP user must be 1 to 255 printable characters");
        }
        int secretBytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (secretBytes < MIN_SECRET_LENGTH || secretBytes > MAX_LENGTH || !printable(secret)) {
            throw new IllegalArgumentException("CHAP secret must be 12 to 255 printable characters");
        }
    }

    public byte[] secretBytes() {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean printable(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c != 0x7f);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "ChapCredentials[user=" + user + ", secret=***]";
    }
}
