package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.config.KeyManagerOptions;
import dev.basalt.model.VolumeTypeEncryption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of encrypted volumes, from the key manager {@code [key_manager]} names, as Cinder's
 * volume create gets them: a new key for a volume of an encrypted type, a copy of its source's key
 * for one made from a snapshot or a volume. Basalt has Cinder's fixed-key manager only (every key is
 * the one {@code fixed_key}, id {@link #FIXED_KEY_ID}); with a key manager it cannot reach the
 * answer is Cinder's terse 400 {@code Key manager error}, and the reason goes to the log.
 */
public final class EncryptionKeys {
    /** The id of the fixed-key manager's one key (Cinder's {@code FIXED_KEY_ID}). */
    public static final String FIXED_KEY_ID = "00000000-0000-0000-0000-000000000000";
    private static final Logger LOG = LoggerFactory.getLogger(EncryptionKeys.class);

    private final KeyManagerOptions options;

    public EncryptionKeys(KeyManagerOptions options) {
        this.options = requireNonNull(options, "options");
        if (options.backend() == KeyManagerOptions.Backend.FIXED_KEY) {
            LOG.warn("[key_manager] backend = {}: every encrypted volume gets the same key; insecure, not for"
                    + " production", KeyManagerOptions.CONF_KEY_MANAGER);
        }
    }

    /** A key for a new volume of a type with {@code encryption}: its cipher names the key's algorithm. */
    public String create(VolumeTypeEncryption encryption) {
        if (encryption.cipher() == null || encryption.cipher().isEmpty()) {
            throw BasaltException.badRequest("Invalid encryption spec");
        }
        requireUsable();
        return FIXED_KEY_ID;
    }

    /**
     * A key of its own for a volume made from a source with key {@code sourceKeyId}: the same key
     * under a new id (the fixed-key manager stores only its own key, so the id stays the same).
     */
    public String copy(String sourceKeyId) {
        requireUsable();
        if (options.fixedKey().isEmpty()) {
            throw keyManagerError("[key_manager] fixed_key is not set: the fixed-key manager cannot copy key "
                    + sourceKeyId);
        }
        if (!FIXED_KEY_ID.equals(sourceKeyId)) {
            throw keyManagerError("key " + sourceKeyId + " is not the fixed-key manager's key " + FIXED_KEY_ID);
        }
        return FIXED_KEY_ID;
    }

    private void requireUsable() {
        if (options.backend() != KeyManagerOptions.Backend.FIXED_KEY) {
            throw keyManagerError("[key_manager] backend = " + options.backend().name().toLowerCase(java.util.Locale.ROOT)
                    + ": Basalt has no client for it; set backend = " + KeyManagerOptions.CONF_KEY_MANAGER
                    + " and fixed_key for encrypted volume types");
        }
    }

    private static BasaltException keyManagerError(String reason) {
        LOG.error("Key manager error: {}", reason);
        return BasaltException.badRequest("Key manager error");
    }
}
