package dev.basalt.config;

import java.util.Locale;

/** oslo.config's booleans: true/false, yes/no, on/off, 1/0, in any case. */
enum BoolType implements OptionType<Boolean> {
    INSTANCE;

    @Override
    public Boolean parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean (expected true/false, yes/no, on/off or 1/0)");
        };
    }

    @Override
    public String description() {
        return "boolean";
    }
}
