package dev.basalt.iscsi;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * iSCSI names (RFC 7143 section 4.2.7): {@code iqn.yyyy-mm.reversed.domain[:anything]},
 * {@code eui.} with 16 hex digits or {@code naa.} with 16 or 32. Names compare case-insensitively,
 * so they are kept in lower case.
 */
public final class Iqn {
    public static final int MAX_LENGTH = 223;
    private static final Pattern IQN = Pattern.compile("iqn\\.[0-9]{4}-[0-9]{2}(\\.[a-z0-9-]+)+(:[a-z0-9.:_-]*)?");
    private static final Pattern EUI = Pattern.compile("eui\\.[0-9a-f]{16}");
    private static final Pattern NAA = Pattern.compile("naa\\.([0-9a-f]{16}|[0-9a-f]{32})");

    private Iqn() {
    }

    public static boolean isValid(String name) {
        if (name == null || name.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            return false;
        }
        String n = normalize(name);
        return IQN.matcher(n).matches() || EUI.matcher(n).matches() || NAA.matcher(n).matches();
    }

    /** The canonical (lower-case) form of a valid name. */
    public static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static String requireValid(String name, String what) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(what + " is not an iSCSI name (iqn.yyyy-mm.domain[:id], eui.…, naa.…): " + name);
        }
        return normalize(name);
    }
}
