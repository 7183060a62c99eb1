package dev.basalt.config;

/** Words for a range whose open ends are given as sentinels. */
final class Bounds {
    private Bounds() {}

    static <N extends Number> String message(N min, N max, N unboundedMin, N unboundedMax) {
        boolean hasMin = !min.equals(unboundedMin);
        boolean hasMax = !max.equals(unboundedMax);
        if (hasMin && hasMax) {
            return "must be between " + min + " and " + max;
        }
        return hasMin ? "must be at least " + min : "must be at most " + max;
    }

    static <N extends Number> String suffix(N min, N max, N unboundedMin, N unboundedMax) {
        boolean hasMin = !min.equals(unboundedMin);
        boolean hasMax = !max.equals(unboundedMax);
        if (hasMin && hasMax) {
            return ", " + min + " to " + max;
        }
        if (hasMin) {
            return ", at least " + min;
        }
        return hasMax ? ", at most " + max : "";
    }
}
