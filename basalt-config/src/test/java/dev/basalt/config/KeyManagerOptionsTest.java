package dev.basalt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [key_manager]} as Cinder reads it: Barbican by default, Cinder's ConfKeyManager with a hex fixed_key. */
class KeyManagerOptionsTest {
    private static final String KEY = "0".repeat(64);

    @TempDir
    Path dir;

    @Test
    void barbicanWithoutAKeyByDefault() {
        KeyManagerOptions options = KeyManagerOptions.from(BasaltConfig.load(List.of()).source());

        assertThat(options).isEqualTo(KeyManagerOptions.defaults());
        assertThat(options.backend()).isEqualTo(KeyManagerOptions.Backend.BARBICAN);
        assertThat(options.fixedKey()).isEmpty();
    }

    @Test
    void cindersFixedKeyManagerCarriesOver() {
        Path conf = ConfFiles.write(dir, "cinder.conf", "[key_manager]",
                "backend = cinder.keymgr.conf_key_mgr.ConfKeyManager", "fixed_key = " + KEY);

        KeyManagerOptions options = KeyManagerOptions.from(BasaltConfig.load(List.of(conf)).source());

        assertThat(options).isEqualTo(KeyManagerOptions.fixedKey(KEY));
    }

    @Test
    void anUnknownBackendOrAKeyThatIsNotHexRefusesToLoadWithoutShowingTheKey() {
        Path backend = ConfFiles.write(dir, "backend.conf", "[key_manager]", "backend = my.own.KeyManager");
        assertThatThrownBy(() -> BasaltConfig.load(List.of(backend))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("backend").hasMessageContaining(KeyManagerOptions.CONF_KEY_MANAGER);

        Path key = ConfFiles.write(dir, "key.conf", "[key_manager]", "fixed_key = secretzz");
        assertThatThrownBy(() -> BasaltConfig.load(List.of(key))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("fixed_key").hasMessageContaining("hexadecimal")
                .hasMessageNotContaining("secretzz");
    }
}
