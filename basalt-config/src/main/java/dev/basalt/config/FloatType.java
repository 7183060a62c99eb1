package dev.basalt.config;

/** A finite decimal number within bounds (both included); infinities mean unbounded. */
record FloatType(double min, double max) implements OptionType<Double> {
    private static final String NUMBER = "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?";

    FloatType {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("bad bounds " + min + ", " + max);
        }
    }

    @Override
    public Double parse(String text) {
        String s = text.strip();
        if (!s.matches(NUMBER)) {
            throw new IllegalArgumentException("not a number");
        }
        double value = Double.parseDouble(s);
        if (Double.isInfinite(value)) {
            throw new IllegalArgumentException("number too large");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    Bounds.message(min, max, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        }
        return value;
    }

    @Override
    public String description() {
        return "number" + Bounds.suffix(min, max, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }
}
