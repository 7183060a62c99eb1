package dev.basalt.volume.manager;

import dev.basalt.iscsi.ChapCredentials;
import java.security.SecureRandom;

/** Makes the CHAP credentials of a new export: a random user name and a random 20-character secret. */
final class ChapSecrets {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int USER_LENGTH = 20;
    private static final int SECRET_LENGTH = 20;

    private final SecureRandom random = new SecureRandom();

    ChapCredentials next() {
        return new ChapCredentials(text(USER_LENGTH), text(SECRET_LENGTH));
    }

    private String text(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }
}
