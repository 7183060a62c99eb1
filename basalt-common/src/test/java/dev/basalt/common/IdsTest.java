package dev.basalt.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {
    /** What a UUID-like id is, said as a regular expression. */
    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
    private static final String ALPHABET = "0123456789abcdefABCDEF-g ";

    @ParameterizedTest
    @ValueSource(strings = {"2f1a3b4c-5d6e-4f70-8192-a3b4c5d6e7f8", "2F1A3B4C5D6E4F708192A3B4C5D6E7F8",
            "2f1a3b4c5d6e-4f70-8192a3b4c5d6e7f8", "00000000-0000-0000-0000-000000000000"})
    void acceptsUuids(String id) {
        assertThat(Ids.isUuidLike(id)).isTrue();
        assertThat(Ids.isUuidLike(Ids.newId())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gold", "2f1a3b4c-5d6e-4f70-8192-a3b4c5d6e7f", "2f1a3b4c-5d6e-4f70-8192-a3b4c5d6e7f8a",
            "2f1a3b4c--5d6e-4f70-8192-a3b4c5d6e7f8", "-2f1a3b4c-5d6e-4f70-8192-a3b4c5d6e7f8",
            "2f1a3b4c-5d6e-4f70-8192-a3b4c5d6e7f8-", "2f1a3b4-c5d6e-4f70-8192-a3b4c5d6e7f8",
            "２f1a3b4c-5d6e-4f70-8192-a3b4c5d6e7f8"})
    void refusesOtherText(String text) {
        assertThat(Ids.isUuidLike(text)).isFalse();
    }

    static LongStream seeds() {
        return LongStream.range(0, 20);
    }

    /**
     * Random near-UUIDs (a UUID with some hyphens dropped, then perhaps one character inserted, removed
     * or replaced) are judged as the regular expression judges them.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void agreesWithTheRegularExpression(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            StringBuilder text = new StringBuilder(new java.util.UUID(random.nextLong(), random.nextLong()).toString());
            for (int at = text.length() - 1; at >= 0; at--) {
                if (text.charAt(at) == '-' && random.nextBoolean()) {
                    text.deleteCharAt(at);
                }
            }
            int at = random.nextInt(text.length());
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(4)) {
                case 0 -> text.insert(at, c);
                case 1 -> text.deleteCharAt(at);
                case 2 -> text.setCharAt(at, c);
                default -> { }
            }
            String candidate = text.toString();
            assertThat(Ids.isUuidLike(candidate)).as(candidate).isEqualTo(UUID_FORM.matcher(candidate).matches());
        }
        assertThat(Ids.isUuidLike(null)).isFalse();
    }
}
