package dev.basalt.common;

import java.util.UUID;
import java.util.regex.Pattern;

/** Resource ids: UUIDs in their canonical lower-case form, as Cinder uses them. */
public final class Ids {
    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    private Ids() {
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    public static boolean isUuidLike(String text) {
        return text != null && UUID_FORM.matcher(text).matches();
    }
}
