package dev.basalt.iscsi.login;

/** Value syntax shared by login and text negotiation (RFC 7143 section 6.1). */
public final class Keys {
    private Keys() {
    }

    /** A decimal or {@code 0x} hex number within bounds, or null. */
    public static Integer number(String value, int min, int max) {
        long v;
        try {
            if (value.startsWith("0x") || value.startsWith("0X")) {
                if (value.length() < 3 || value.length() > 10) {
                    return null;
                }
                v = Long.parseLong(value.substring(2), 16);
            } else {
                if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return null;
                }
                v = Long.parseLong(value);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return v < min || v > max ? null : (int) v;
    }
}
