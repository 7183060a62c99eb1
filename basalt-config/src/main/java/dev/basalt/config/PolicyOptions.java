package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The options of {@code [oslo_policy]}: where the operator's policy overrides are.
 *
 * @param policyFile as written
 * @param setIn the configuration file that sets it; empty when it is the default
 * @param configDirs the directories of the configuration files read, where a relative default is
 *     looked for (as oslo.config looks in its configuration directories)
 */
public record PolicyOptions(Path policyFile, Optional<Path> setIn, List<Path> configDirs) {
    public static final OptionGroup GROUP = new OptionGroup("oslo_policy", "Policy rules (oslo.policy syntax).");

    public static final Option<Path> POLICY_FILE = GROUP.add(Option.of("policy_file", OptionType.path(), "policy.yaml", "YAML file of rule overrides (rule name: check string); Cinder's default rules apply to every rule it does not name. A relative path is looked up next to the configuration files."));

    public PolicyOptions {
        requireNonNull(policyFile, "policyFile");
        requireNonNull(setIn, "setIn");
        configDirs = List.copyOf(configDirs);
    }

    /** Reads {@code [oslo_policy]}. */
    public static PolicyOptions from(ConfigSource source) {
        Optional<RawValue> raw = source.raw().get(GROUP.section(), POLICY_FILE.name());
        Set<Path> dirs = new LinkedHashSet<>();
        for (String section : source.raw().sections()) {
            source.raw().file(section).map(f -> Path.of(f).toAbsolutePath().getParent())
                    .ifPresent(dirs::add);
        }
        return new PolicyOptions(source.section(GROUP.section()).get(POLICY_FILE),
                raw.map(RawValue::file).filter(f -> !f.isBlank()).map(Path::of), new ArrayList<>(dirs));
    }

    /**
     * The policy file to read: empty when the default is in none of the configuration directories
     * (Cinder's defaults apply).
     *
     * @throws ConfigException when a file sets {@code policy_file} to a file that does not exist
     */
    public Optional<Path> locate() {
        if (setIn.isPresent()) {
            Path dir = setIn.get().toAbsolutePath().getParent();
            Path file = policyFile.isAbsolute() || dir == null ? policyFile : dir.resolve(policyFile);
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(setIn.get() + ": [oslo_policy] policy_file = " + policyFile
                        + ": no such file (" + file + ")");
            }
            return Optional.of(file);
        }
        if (policyFile.isAbsolute()) {
            return Optional.of(policyFile).filter(Files::isRegularFile);
        }
        return configDirs.stream().filter(d -> d != null).map(d -> d.resolve(policyFile))
                .filter(Files::isRegularFile).findFirst();
    }
}
