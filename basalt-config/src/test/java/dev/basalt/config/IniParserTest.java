package dev.basalt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IniParserTest {

    private static RawConfig parse(String... lines) {
        RawConfig.Builder builder = RawConfig.builder();
        IniParser.parse("test.conf", List.of(lines), builder);
        return builder.build();
    }

    private static String text(RawConfig raw, String section, String key) {
        return raw.get(section, key).orElseThrow().text();
    }

    @Test
    void readsSectionsKeysAndValues() {
        RawConfig raw = parse(
                "\uFEFF# a comment",
                "; another comment",
                "[DEFAULT]",
                "  # an indented comment",
                "state_path=/var/lib/basalt",
                "host : node-1",
                "my_ip = 10.0.0.1 # not a comment: oslo.config keeps it",
                "",
                "[Database]",
                "connection = mysql://u:p@h/db?x=1",
                "empty =");

        assertThat(raw.sections()).containsExactly("DEFAULT", "database");
        assertThat(text(raw, "DEFAULT", "state_path")).isEqualTo("/var/lib/basalt");
        assertThat(text(raw, "DEFAULT", "host")).isEqualTo("node-1");
        assertThat(text(raw, "DEFAULT", "my_ip")).isEqualTo("10.0.0.1 # not a comment: oslo.config keeps it");
        assertThat(text(raw, "database", "connection")).isEqualTo("mysql://u:p@h/db?x=1");
        assertThat(text(raw, "DATABASE", "empty")).isEmpty();
        assertThat(raw.get("DEFAULT", "connection")).isEmpty();
        assertThat(raw.get("DEFAULT", "host").orElseThrow()).isEqualTo(new RawValue("node-1", "test.conf", 6));
    }

    @Test
    void matchingQuotesAreRemoved() {
        RawConfig raw = parse("[DEFAULT]", "a = \"quoted value\"", "b = 'single'", "c = \"unbalanced'", "d = \"\"");

        assertThat(text(raw, "DEFAULT", "a")).isEqualTo("quoted value");
        assertThat(text(raw, "DEFAULT", "b")).isEqualTo("single");
        assertThat(text(raw, "DEFAULT", "c")).isEqualTo("\"unbalanced'");
        assertThat(text(raw, "DEFAULT", "d")).isEmpty();
    }

    @Test
    void indentedLinesContinueAValueUntilABlankLine() {
        RawConfig raw = parse("[DEFAULT]", "filters = a,", "    b,", "\tc", "", "next = 1");

        assertThat(text(raw, "DEFAULT", "filters")).isEqualTo("a,\nb,\nc");
        assertThat(OptionType.list().parse(text(raw, "DEFAULT", "filters"))).containsExactly("a", "b", "c");
        assertThat(text(raw, "DEFAULT", "next")).isEqualTo("1");
    }

    @Test
    void theLastValueInAFileWins() {
        assertThat(text(parse("[DEFAULT]", "a = 1", "[DEFAULT]", "a = 2"), "DEFAULT", "a")).isEqualTo("2");
    }

    @Test
    void malformedLinesAreErrorsWithFileAndLine() {
        assertThatThrownBy(() -> parse("a = 1")).isInstanceOf(ConfigException.class)
                .hasMessage("test.conf: line 1: option \"a\" comes before any [section]");
        assertThatThrownBy(() -> parse("[DEFAULT]", "just words"))
                .hasMessage("test.conf: line 2: expected \"option = value\", found \"just words\"");
        assertThatThrownBy(() -> parse("[DEFAULT", "a = 1"))
                .hasMessage("test.conf: line 1: section header \"[DEFAULT\" has no closing ']'");
        assertThatThrownBy(() -> parse("[]")).hasMessage("test.conf: line 1: section header has no name");
        assertThatThrownBy(() -> parse("[DEFAULT]", "= 1")).hasMessage("test.conf: line 2: no option name before '='");
        assertThatThrownBy(() -> parse("[DEFAULT]", "", "  stray"))
                .hasMessage("test.conf: line 3: indented line continues no option: \"stray\"");
    }

    @Test
    void aDirectoryIsNotAConfigurationFile() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));

        assertThatThrownBy(() -> ConfigFiles.read(List.of(dir)))
                .hasMessage(dir + ": is a directory, not a configuration file");
    }
}
