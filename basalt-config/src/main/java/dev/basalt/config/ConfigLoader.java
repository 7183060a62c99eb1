package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and checks the configuration: every malformed value is an error (all of them in one
 * {@link ConfigException}), every unknown option or section a warning, logged and kept.
 */
public final class ConfigLoader {
    /** The sections Basalt knows; a new section adds its group here. */
    public static final List<OptionGroup> GROUPS =
            List.of(DefaultOptions.GROUP, BackendOptions.GROUP, DatabaseOptions.GROUP, KeystoneAuthOptions.GROUP,
                    PolicyOptions.GROUP, RabbitOptions.GROUP, NovaOptions.GROUP, KeyManagerOptions.GROUP);

    /**
     * The sections Basalt knows, the backend sections (and [backend_defaults]) also knowing
     * {@code backendOptions}: those the volume drivers declare.
     */
    public static List<OptionGroup> groups(List<Option<?>> backendOptions) {
        OptionGroup backends = BackendOptions.GROUP.with(backendOptions);
        return GROUPS.stream().map(group -> group == BackendOptions.GROUP ? backends : group).toList();
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    private final List<OptionGroup> groups;

    public ConfigLoader() {
        this(GROUPS);
    }

    public ConfigLoader(List<OptionGroup> groups) {
        this.groups = List.copyOf(requireNonNull(groups, "groups"));
    }

    public BasaltConfig load(List<Path> files) {
        return load(ConfigFiles.read(files));
    }

    public BasaltConfig load(RawConfig raw) {
        List<String> backends = new ConfigSource(raw, groups, List.of()).defaults().get(DefaultOptions.ENABLED_BACKENDS);
        ConfigSource source = new ConfigSource(raw, groups, backends);
        List<String> errors = new ArrayList<>(reservedNames(backends));
        errors.addAll(ConfigCheck.errors(source));
        if (errors.isEmpty()) {
            errors.addAll(keystoneProblems(source));
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        List<String> warnings = new ArrayList<>(ConfigCheck.warnings(source));
        DefaultOptions defaults = serviceDownTime(DefaultOptions.from(source.defaults()), warnings);
        List<BackendOptions> backendOptions = backends.stream().map(b -> BackendOptions.from(source.section(b))).toList();
        DatabaseOptions database = DatabaseOptions.from(source.section(DatabaseOptions.GROUP.section()));
        warnings.forEach(LOG::warn);
        return new BasaltConfig(defaults, backendOptions, database, warnings, source);
    }

    /** With auth_strategy = keystone, [keystone_authtoken] must name Keystone and Basalt's service user. */
    private static List<String> keystoneProblems(ConfigSource source) {
        if (source.defaults().get(DefaultOptions.AUTH_STRATEGY) != AuthStrategy.KEYSTONE) {
            return List.of();
        }
        try {
            KeystoneAuthOptions.from(source.section(KeystoneAuthOptions.GROUP.section())).requireComplete();
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    /** A backend may not take the name of a section that means something else. */
    private List<String> reservedNames(List<String> backends) {
        List<String> errors = new ArrayList<>();
        for (String backend : backends) {
            String normalized = RawConfig.normalize(backend);
            if (normalized.equals(ConfigSource.DEFAULT)
                    || groups.stream().anyMatch(g -> g.section().equals(normalized))) {
                errors.add("[DEFAULT] enabled_backends: \"" + backend + "\" is the name of another section, not a backend");
            }
        }
        return errors;
    }

    /** As Cinder does: a service_down_time not above report_interval becomes 2.5 report intervals. */
    private static DefaultOptions serviceDownTime(DefaultOptions defaults, List<String> warnings) {
        if (defaults.serviceDownTime().compareTo(defaults.reportInterval()) > 0) {
            return defaults;
        }
        Duration adjusted = Duration.ofSeconds(defaults.reportInterval().toSeconds() * 5 / 2);
        warnings.add("[DEFAULT] service_down_time (" + defaults.serviceDownTime().toSeconds()
                + " s) must be greater than report_interval (" + defaults.reportInterval().toSeconds()
                + " s): using " + adjusted.toSeconds() + " s");
        return defaults.withServiceDownTime(adjusted);
    }
}
