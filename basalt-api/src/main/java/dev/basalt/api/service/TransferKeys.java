package dev.basalt.api.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets of a volume transfer, as Cinder makes and checks them: a random hexadecimal salt (8
 * characters) and auth key (16 characters; hexadecimal so that anyone can type it), and the hash
 * kept instead of the key: HMAC-SHA1 of the key under the salt, hexadecimal.
 */
final class TransferKeys {
    static final int SALT_LENGTH = 8;
    static final int KEY_LENGTH = 16;
    private static final String HMAC = "HmacSHA1";

    private final SecureRandom random = new SecureRandom();

    /** A new random salt. */
    String newSalt() {
        return randomHex(SALT_LENGTH);
    }

    /** A new random auth key. */
    String newAuthKey() {
        return randomHex(KEY_LENGTH);
    }

    /** The hash Cinder keeps for {@code authKey} under {@code salt}. */
    static String cryptHash(String salt, String authKey) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), HMAC));
            return HexFormat.of().formatHex(mac.doFinal(authKey.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + HMAC, e);
        }
    }

    /** Whether {@code authKey} is the key {@code cryptHash} was made from (compared in constant time). */
    static boolean matches(String salt, String cryptHash, String authKey) {
        return MessageDigest.isEqual(cryptHash(salt, authKey).getBytes(StandardCharsets.US_ASCII),
                cryptHash.getBytes(StandardCharsets.US_ASCII));
    }

    private String randomHex(int length) {
        byte[] bytes = new byte[(length + 1) / 2];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).substring(0, length);
    }
}
