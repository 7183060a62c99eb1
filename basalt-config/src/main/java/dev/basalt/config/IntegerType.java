package dev.basalt.config;

import java.math.BigInteger;

/** An integer within bounds (both included); {@code Integer.MIN_VALUE/MAX_VALUE} mean unbounded. */
record IntegerType(int min, int max) implements OptionType<Integer> {
    IntegerType {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
    }

    @Override
    public Integer parse(String text) {
        String s = text.strip();
        if (!s.matches("[+-]?[0-9]+")) {
            throw new IllegalArgumentException("not an integer");
        }
        BigInteger value = new BigInteger(s.startsWith("+") ? s.substring(1) : s);
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException(Bounds.message(min, max, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        return value.intValue();
    }

    @Override
    public String description() {
        return "integer" + Bounds.suffix(min, max, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
}
