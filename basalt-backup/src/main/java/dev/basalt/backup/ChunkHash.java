package dev.basalt.backup;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a chunk's uncompressed bytes: its name in a repository. Four longs rather than a
 * byte array so that it is a value (equals, hashCode) and small in a large manifest.
 */
public record ChunkHash(long a, long b, long c, long d) {
    private static final HexFormat HEX = HexFormat.of();

    public static ChunkHash of(byte[] digest) {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + digest.length);
        }
        return new ChunkHash(word(digest, 0), word(digest, 8), word(digest, 16), word(digest, 24));
    }

    /** The SHA-256 of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static ChunkHash sha256(byte[] bytes, int offset, int length) {
        MessageDigest digest = newDigest();
        digest.update(bytes, offset, length);
        return of(digest.digest());
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** Parses 64 lower-case hex digits. */
    public static ChunkHash parse(String hex) {
        if (hex.length() != 64) {
            throw new IllegalArgumentException("a chunk hash has 64 hex digits, not " + hex.length() + ": '" + hex + "'");
        }
        for (int i = 0; i < 64; i++) {
            char ch = hex.charAt(i);
            if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f')) {
                throw new IllegalArgumentException("a chunk hash has lower-case hex digits only: '" + hex + "'");
            }
        }
        return of(HEX.parseHex(hex));
    }

    public String hex() {
        return HEX.toHexDigits(a) + HEX.toHexDigits(b) + HEX.toHexDigits(c) + HEX.toHexDigits(d);
    }

    @Override
    public String toString() {
        return hex();
    }

    private static long word(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xffL);
        }
        return value;
    }
}
