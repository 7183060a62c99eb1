package dev.basalt.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A microversion of the Block Storage API v3, {@code major.minor}. */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    private static final Pattern FORM = Pattern.compile("^([1-9]\\d{0,8})\\.([1-9]\\d{0,8}|0)$");

    public static ApiVersion of(int major, int minor) {
        return new ApiVersion(major, minor);
    }

    /** Parses {@code 3.5}; null when the text is not of the form {@code Major.Minor}. */
    public static ApiVersion parseOrNull(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return null;
        }
        return new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public boolean atLeast(ApiVersion other) {
        return compareTo(other) >= 0;
    }

    public boolean below(ApiVersion other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
