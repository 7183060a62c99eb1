package dev.basalt.config;

/**
 * {@code max_over_subscription_ratio}: a fixed ratio of provisioned to real capacity (at least 1.0),
 * or {@code auto}, where the ratio follows the backend's provisioned and used capacity.
 */
public sealed interface OverSubscriptionRatio {
    Auto AUTO = new Auto();

    /** {@code auto}. */
    record Auto() implements OverSubscriptionRatio {
        @Override
        public String toString() {
            return "auto";
        }
    }

    /** A fixed ratio, at least 1.0. */
    record Fixed(double ratio) implements OverSubscriptionRatio {
        public Fixed {
            if (!(ratio >= 1.0) || Double.isInfinite(ratio)) {
                throw new IllegalArgumentException("must be at least 1.0");
            }
        }
    }

    /** The option type: {@code auto} or a number at least 1.0. */
    static OptionType<OverSubscriptionRatio> type() {
        OptionType<Double> number = OptionType.floating(1.0, Double.POSITIVE_INFINITY);
        return OptionType.of("\"auto\" or number, at least 1.0", text -> {
            if (text.strip().equals("auto")) {
                return AUTO;
            }
            try {
                return new Fixed(number.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().equals("not a number")
                        ? "not a number or \"auto\"" : e.getMessage(), e);
            }
        });
    }
}
