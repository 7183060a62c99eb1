package dev.basalt.iscsi.login;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * CHAP (RFC 1994) as iSCSI uses it (RFC 7143 section 12.1.3): the response to a challenge is
 * H(identifier || secret || challenge), binary values travel as {@code 0x} hex or {@code 0b}
 * base64. MD5 (CHAP_A=5) is what every initiator speaks; SHA-1 (6), SHA-256 (7) and SHA3-256
 * (8), numbered as in IANA's PPP authentication algorithms registry, are chosen when the
 * initiator lists them first (newer open-iscsi does).
 */
public final class Chap {
    /** A CHAP algorithm: its IANA number and digest. */
    public enum Algorithm {
        MD5(5, "MD5"),
        SHA1(6, "SHA-1"),
        SHA256(7, "SHA-256"),
        SHA3_256(8, "SHA3-256");

        private final int number;
        private final String digestName;

        Algorithm(int number, String digestName) {
            this.number = number;
            this.digestName = digestName;
        }

        public int number() {
            return number;
        }

        /** Length of a response, and of the challenges this target sends. */
        public int length() {
            return digest().getDigestLength();
        }

        MessageDigest digest() {
            try {
                return MessageDigest.getInstance(digestName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(digestName + " missing from the JDK", e);
            }
        }

        public static Optional<Algorithm> byNumber(String number) {
            for (Algorithm a : values()) {
                if (Integer.toString(a.number).equals(number)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }

        /** The first algorithm of the initiator's list (its order of preference) that we support. */
        public static Optional<Algorithm> firstSupported(List<String> offered) {
            for (String number : offered) {
                Optional<Algorithm> a = byNumber(number);
                if (a.isPresent()) {
                    return a;
                }
            }
            return Optional.empty();
        }
    }

    /** The longest binary value accepted (challenges): bounds what a peer can make us decode. */
    public static final int MAX_BINARY_LENGTH = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Chap() {
    }

    /** H(id || secret || challenge). */
    public static byte[] response(Algorithm algorithm, int identifier, byte[] secret, byte[] challenge) {
        MessageDigest digest = algorithm.digest();
        digest.update((byte) identifier);
        digest.update(secret);
        digest.update(challenge);
        return digest.digest();
    }

    /** Compares in time independent of where the values differ. */
    public static boolean matches(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    public static byte[] newChallenge(Algorithm algorithm) {
        byte[] challenge = new byte[Math.max(16, algorithm.length())];
        RANDOM.nextBytes(challenge);
        return challenge;
    }

    public static int newIdentifier() {
        return RANDOM.nextInt(256);
    }

    /** Hex with the {@code 0x} prefix, the form every initiator reads. */
    public static String encode(byte[] value) {
        return "0x" + HexFormat.of().formatHex(value);
    }

    /**
     * Decodes a {@code 0x} hex or {@code 0b} base64 value (RFC 7143 section 6.1 binary-value).
     *
     * @throws IllegalArgumentException for anything else, or a value over {@link #MAX_BINARY_LENGTH}
     */
    public static byte[] decode(String value) {
        if (value.length() < 3 || value.charAt(0) != '0') {
            throw new IllegalArgumentException("not a binary value");
        }
        String digits = value.substring(2);
        byte[] bytes;
        switch (value.charAt(1)) {
            case 'x', 'X' -> {
                if (digits.length() > 2 * MAX_BINARY_LENGTH) {
                    throw new IllegalArgumentException("binary value too long");
                }
                if (digits.length() % 2 != 0) {
                    digits = "0" + digits;
                }
                bytes = HexFormat.of().parseHex(digits);
            }
            case 'b', 'B' -> {
                if (digits.length() > 4 * (MAX_BINARY_LENGTH + 2) / 3 + 4) {
                    throw new IllegalArgumentException("binary value too long");
                }
                bytes = Base64.getDecoder().decode(digits);
            }
            default -> throw new IllegalArgumentException("not a binary value");
        }
        if (bytes.length == 0 || bytes.length > MAX_BINARY_LENGTH) {
            throw new IllegalArgumentException("binary value of " + bytes.length + " bytes");
        }
        return bytes;
    }
}
