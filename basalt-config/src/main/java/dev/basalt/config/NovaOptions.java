package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * The options of {@code [nova]} Basalt uses, named as Cinder names them: which of the compute
 * service's catalog endpoints Basalt asks whether an instance still has a volume before a user
 * removes the instance's attachment ({@code auth_strategy = keystone} only).
 *
 * @param interfaceName the catalog interface of the endpoint: {@code public}, {@code internal} or {@code admin}
 * @param regionName the region of the endpoint; empty: any
 * @param timeout how long to wait for the compute service to connect and answer
 */
public record NovaOptions(String interfaceName, Optional<String> regionName, Duration timeout) {
    public static final OptionGroup GROUP = new OptionGroup("nova",
            "The compute service Basalt asks before a user removes an instance's attachment.");

    public static final Option<String> INTERFACE = GROUP.add(Option.of("interface", OptionType.matching("public|internal|admin", "public, internal or admin"), "public", "Which of the compute service's catalog endpoints to use."));
    public static final Option<String> REGION_NAME = GROUP.add(Option.optional("region_name", OptionType.matching("(?s).*\\S.*", "a non-empty value"), "Region of the compute endpoint, where Keystone has several; unset: the first compute endpoint of the interface."));
    public static final Option<Duration> TIMEOUT = GROUP.add(Option.of("timeout", OptionType.seconds(1), "30", "Seconds to wait for the compute service to connect and to answer (Basalt's default; Cinder has none)."));

    public NovaOptions {
        requireNonNull(interfaceName, "interfaceName");
        requireNonNull(regionName, "regionName");
        requireNonNull(timeout, "timeout");
    }

    /** Reads {@code [nova]}. */
    public static NovaOptions from(ConfigSource source) {
        ConfigSection section = source.section(GROUP.section());
        return new NovaOptions(section.get(INTERFACE), section.find(REGION_NAME), section.get(TIMEOUT));
    }
}
