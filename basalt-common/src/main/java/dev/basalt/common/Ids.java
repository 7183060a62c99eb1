package dev.basalt.common;

import java.util.UUID;

/** Resource ids: UUIDs in their canonical lower-case form, as Cinder uses them. */
public final class Ids {
    /** Hex digits in each group of a UUID; a hyphen may stand between two groups. */
    private static final int[] GROUPS = {8, 4, 4, 4, 12};

    private Ids() {
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** 32 hex digits (either case) in groups of 8, 4, 4, 4 and 12, with or without a hyphen between groups. */
    public static boolean isUuidLike(String text) {
        if (text == null) {
            return false;
        }
        int at = 0;
        for (int g = 0; g < GROUPS.length; g++) {
            if (g > 0 && at < text.length() && text.charAt(at) == '-') {
                at++;
            }
            for (int digit = 0; digit < GROUPS[g]; digit++, at++) {
                if (at >= text.length() || !isHexDigit(text.charAt(at))) {
                    return false;
                }
            }
        }
        return at == text.length();
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
