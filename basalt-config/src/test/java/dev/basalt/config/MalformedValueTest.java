package dev.basalt.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each type's malformed value refuses to start with a message naming file, section and option. */
class MalformedValueTest {
    @TempDir
    Path dir;

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("DEFAULT", "osapi_volume_listen_port", "abc", "not an integer"),
                Arguments.of("DEFAULT", "osapi_volume_listen_port", "70000", "must be between 1 and 65535"),
                Arguments.of("DEFAULT", "osapi_max_limit", "0", "must be at least 1"),
                Arguments.of("DEFAULT", "report_interval", "10s", "not an integer"),
                Arguments.of("DEFAULT", "capacity_weight_multiplier", "heavy", "not a number"),
                Arguments.of("DEFAULT", "allow_availability_zone_fallback", "maybe",
                        "not a boolean (expected true/false, yes/no, on/off or 1/0)"),
                Arguments.of("DEFAULT", "auth_strategy", "ldap", "not one of: noauth, keystone"),
                Arguments.of("DEFAULT", "host", "node@1", "not a name without spaces, '@', '#', '[' or ']'"),
                Arguments.of("DEFAULT", "enabled_backends", "a, b#1",
                        "item \"b#1\": not a name without spaces, '@', '#', '[' or ']'"),
                Arguments.of("DEFAULT", "enabled_backends", "a, a", "item \"a\" appears more than once"),
                Arguments.of("lvm", "reserved_percentage", "101", "must be between 0 and 100"),
                Arguments.of("lvm", "max_over_subscription_ratio", "0.5", "must be at least 1.0"),
                Arguments.of("lvm", "max_over_subscription_ratio", "lots", "not a number or \"auto\""),
                Arguments.of("lvm", "volume_clear", "shred", "not one of: zero, none"),
                Arguments.of("lvm", "volume_clear_size", "-1", "must be at least 0"),
                Arguments.of("lvm", "target_helper", "lio", "not one of: builtin, tgtadm"),
                Arguments.of("lvm", "tgt_control_port", "40000", "must be between 0 and 32767"),
                Arguments.of("backend_defaults", "reserved_percentage", "lots", "not an integer"));
    }

    @ParameterizedTest(name = "[{0}] {1} = {2}")
    @MethodSource("malformed")
    void refusesToStart(String section, String option, String value, String problem) {
        String backends = section.equals("DEFAULT") ? "" : "enabled_backends = lvm";
        Path file = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]", backends, "[" + section + "]", option + " = " + value);

        assertThatThrownBy(() -> BasaltConfig.load(List.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": [" + section + "] " + option + " = \"" + value + "\": " + problem);
    }
}
