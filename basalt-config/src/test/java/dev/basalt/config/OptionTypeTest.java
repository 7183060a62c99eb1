package dev.basalt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OptionTypeTest {

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", "yes", "Yes", "on", "ON", "1", " true "})
    void trueSpellings(String text) {
        assertThat(OptionType.bool().parse(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", "False", "no", "NO", "off", "Off", "0"})
    void falseSpellings(String text) {
        assertThat(OptionType.bool().parse(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "y", "n", "2", "truee", "enabled"})
    void notBooleans(String text) {
        assertThatThrownBy(() -> OptionType.bool().parse(text))
                .hasMessage("not a boolean (expected true/false, yes/no, on/off or 1/0)");
    }

    @Test
    void listItemsAreTrimmedAndEmptyItemsDropped() {
        assertThat(OptionType.list().parse(" a, b ,,c, ")).containsExactly("a", "b", "c");
        assertThat(OptionType.list().parse("")).isEmpty();
        assertThat(OptionType.list().parse(" , ,")).isEmpty();
        assertThat(OptionType.list().parse("one")).containsExactly("one");
    }

    @Test
    void listItemsAreParsedByTheItemType() {
        assertThat(OptionType.list(OptionType.port()).parse("80, 443")).containsExactly(80, 443);
        assertThatThrownBy(() -> OptionType.list(OptionType.port()).parse("80, http"))
                .hasMessage("item \"http\": not an integer");
        assertThatThrownBy(() -> OptionType.distinctList(OptionType.string()).parse("a,b, a"))
                .hasMessage("item \"a\" appears more than once");
    }

    static LongStream seeds() {
        return new Random(20240501L).longs(50);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void anyListWrittenWithStraySpacesAndCommasReadsBack(long seed) {
        Random random = new Random(seed);
        List<String> items = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            String item = "item" + random.nextInt(1000) + (random.nextBoolean() ? "-x y" : "");
            items.add(item);
            text.append(" ".repeat(random.nextInt(3))).append(item).append("\t".repeat(random.nextInt(2)));
            text.append(",".repeat(1 + random.nextInt(2)));
        }
        if (random.nextBoolean() && text.length() > 0) {
            text.setLength(text.length() - 1);
        }

        assertThat(OptionType.list().parse(text.toString())).as("parsing <%s>", text).isEqualTo(items);
    }

    @Test
    void integers() {
        OptionType<Integer> percent = OptionType.integer(0, 100);
        assertThat(percent.parse(" 42 ")).isEqualTo(42);
        assertThat(percent.parse("+7")).isEqualTo(7);
        assertThatThrownBy(() -> percent.parse("4.2")).hasMessage("not an integer");
        assertThatThrownBy(() -> percent.parse("")).hasMessage("not an integer");
        assertThatThrownBy(() -> percent.parse("101")).hasMessage("must be between 0 and 100");
        assertThatThrownBy(() -> percent.parse("99999999999999999999")).hasMessage("must be between 0 and 100");
        assertThatThrownBy(() -> OptionType.atLeast(1).parse("0")).hasMessage("must be at least 1");
        assertThat(OptionType.integer(Integer.MIN_VALUE, 5).parse("-3")).isEqualTo(-3);
        assertThatThrownBy(() -> OptionType.integer(Integer.MIN_VALUE, 5).parse("6")).hasMessage("must be at most 5");
        assertThat(OptionType.seconds(1).parse("90")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void ports() {
        assertThat(OptionType.port().parse("8776")).isEqualTo(8776);
        assertThat(OptionType.port().parse("1")).isEqualTo(1);
        assertThat(OptionType.port().parse("65535")).isEqualTo(65535);
        assertThatThrownBy(() -> OptionType.port().parse("0")).hasMessage("must be between 1 and 65535");
        assertThatThrownBy(() -> OptionType.port().parse("65536")).hasMessage("must be between 1 and 65535");
    }

    @Test
    void floats() {
        OptionType<Double> any = OptionType.floating();
        assertThat(any.parse("1")).isEqualTo(1.0);
        assertThat(any.parse(" -1.5 ")).isEqualTo(-1.5);
        assertThat(any.parse(".5")).isEqualTo(0.5);
        assertThat(any.parse("2.")).isEqualTo(2.0);
        assertThat(any.parse("1e2")).isEqualTo(100.0);
        for (String bad : List.of("", "NaN", "inf", "Infinity", "1,5", "0x10", "1.5d", "one")) {
            assertThatThrownBy(() -> any.parse(bad)).as(bad).hasMessage("not a number");
        }
        assertThatThrownBy(() -> any.parse("1e999")).hasMessage("number too large");
        assertThatThrownBy(() -> OptionType.floating(1.0, Double.POSITIVE_INFINITY).parse("0.9"))
                .hasMessage("must be at least 1.0");
    }

    @Test
    void choices() {
        assertThat(OptionType.choices(VolumeClear.class).parse("zero")).isEqualTo(VolumeClear.ZERO);
        assertThat(OptionType.choices(VolumeClear.class).parse("none")).isEqualTo(VolumeClear.NONE);
        assertThatThrownBy(() -> OptionType.choices(VolumeClear.class).parse("ZERO")).hasMessage("not one of: zero, none");
        assertThatThrownBy(() -> OptionType.choices(AuthStrategy.class).parse("ldap"))
                .hasMessage("not one of: noauth, keystone");
    }

    @Test
    void overSubscriptionRatio() {
        OptionType<OverSubscriptionRatio> type = OverSubscriptionRatio.type();
        assertThat(type.parse("auto")).isEqualTo(OverSubscriptionRatio.AUTO);
        assertThat(type.parse("1")).isEqualTo(new OverSubscriptionRatio.Fixed(1.0));
        assertThat(type.parse("20.5")).isEqualTo(new OverSubscriptionRatio.Fixed(20.5));
        assertThatThrownBy(() -> type.parse("0.5")).hasMessage("must be at least 1.0");
        assertThatThrownBy(() -> type.parse("Auto")).hasMessage("not a number or \"auto\"");
    }

    @Test
    void descriptionsSayWhatIsAccepted() {
        assertThat(OptionType.port().description()).isEqualTo("integer, 1 to 65535");
        assertThat(OptionType.atLeast(0).description()).isEqualTo("integer, at least 0");
        assertThat(OptionType.floating().description()).isEqualTo("number");
        assertThat(OptionType.list().description()).isEqualTo("comma-separated list of string");
        assertThat(OptionType.choices(AuthStrategy.class).description()).isEqualTo("noauth, keystone");
    }
}
