package dev.basalt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every option Basalt knows is documented and has a default its own type accepts (or, optional, none). */
class OptionCatalogTest {

    @Test
    void everyOptionIsDocumentedAndItsDefaultParses() {
        ConfigSource source = new ConfigSource(RawConfig.empty(), ConfigLoader.GROUPS, List.of("some-backend"));
        for (OptionGroup group : ConfigLoader.GROUPS) {
            String section = group == BackendOptions.GROUP ? "some-backend" : group.section();
            assertThat(group.options()).as(group.section()).isNotEmpty();
            for (Option<?> option : group.options()) {
                assertThat(option.help()).as(option.name()).isNotBlank();
                assertThat(option.type().description()).as(option.name()).isNotBlank();
                if (option.defaultValue().text(section) != null) {
                    assertThat(source.section(section).find(option)).as(option.name()).isPresent();
                } else {
                    assertThat(source.section(section).find(option)).as(option.name() + " has no default").isEmpty();
                }
            }
        }
    }

    @Test
    void anOptionIsRegisteredOnlyOnce() {
        OptionGroup group = new OptionGroup("test", "Test.");
        group.add(Option.of("a", OptionType.string(), "x", "A."));

        assertThatThrownBy(() -> group.add(Option.of("a", OptionType.string(), "y", "A again.")))
                .isInstanceOf(IllegalStateException.class);
    }
}
