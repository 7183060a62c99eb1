package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * {@code [key_manager]}, as Cinder reads it (castellan's {@code backend}, Cinder's {@code fixed_key}):
 * where the keys of encrypted volumes come from. Basalt has the fixed-key manager only (Cinder's
 * {@code cinder.keymgr.conf_key_mgr.ConfKeyManager}: every volume gets the same key, id
 * {@code 00000000-0000-0000-0000-000000000000}); with {@code barbican} (the default) or
 * {@code vault}, which Basalt cannot reach, volumes of encrypted types are refused as Cinder refuses
 * them when its key manager fails.
 *
 * @param backend  the key manager named by {@code backend}
 * @param fixedKey {@code fixed_key}: the fixed key in hex; empty when unset
 */
public record KeyManagerOptions(Backend backend, Optional<String> fixedKey) {
    /** The fixed-key manager's name in {@code backend}, as Cinder's configuration names it. */
    public static final String CONF_KEY_MANAGER = "cinder.keymgr.conf_key_mgr.ConfKeyManager";

    /** The key managers {@code backend} may name. */
    public enum Backend {
        /** castellan's Barbican key manager: Basalt has no Barbican client. */
        BARBICAN,
        /** castellan's Vault key manager: Basalt has no Vault client. */
        VAULT,
        /** Cinder's ConfKeyManager: one fixed key for every volume. */
        FIXED_KEY;

        static Backend parse(String text) {
            return switch (text) {
                case "barbican" -> BARBICAN;
                case "vault" -> VAULT;
                case CONF_KEY_MANAGER -> FIXED_KEY;
                default -> throw new IllegalArgumentException("not a key manager Basalt knows (barbican, vault or "
                        + CONF_KEY_MANAGER + ")");
            };
        }
    }

    public static final OptionGroup GROUP = new OptionGroup("key_manager",
            "Where the keys of encrypted volumes come from.");

    public static final Option<Backend> BACKEND = GROUP.add(Option.of("backend",
            OptionType.of("barbican, vault or " + CONF_KEY_MANAGER, Backend::parse), "barbican",
            "The key manager that gives each volume of an encrypted volume type its key: " + CONF_KEY_MANAGER
                    + " (the fixed key of fixed_key for every volume, insecure: one key opens them all), or"
                    + " barbican or vault, which Basalt cannot reach (volumes of encrypted types are then refused"
                    + " with \"Key manager error\")."));
    public static final Option<String> FIXED_KEY = GROUP.add(Option.optional("fixed_key",
            OptionType.matching("([0-9a-fA-F]{2})+", "the key in hexadecimal (an even number of hex digits)"),
            "The fixed key " + CONF_KEY_MANAGER + " gives every volume, in hexadecimal (e.g. 64 hex digits for a"
                    + " 256-bit key); needed to make a volume of an encrypted type from a snapshot or another"
                    + " volume.").asSecret());

    public KeyManagerOptions {
        requireNonNull(backend, "backend");
        requireNonNull(fixedKey, "fixedKey");
    }

    /** Cinder's default: Barbican, no fixed key. */
    public static KeyManagerOptions defaults() {
        return new KeyManagerOptions(Backend.BARBICAN, Optional.empty());
    }

    /** The fixed-key manager with {@code hexKey}. */
    public static KeyManagerOptions fixedKey(String hexKey) {
        return new KeyManagerOptions(Backend.FIXED_KEY, Optional.of(hexKey));
    }

    /** Reads {@code [key_manager]}. */
    public static KeyManagerOptions from(ConfigSource source) {
        ConfigSection section = source.section(GROUP.section());
        return new KeyManagerOptions(section.get(BACKEND), section.find(FIXED_KEY));
    }
}
