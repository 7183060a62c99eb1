package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class H2SettingsTest {

    @Test
    void addsEachDefaultTheUrlDoesNotSet() {
        assertThat(H2Settings.withDefaults("jdbc:h2:file:/var/lib/basalt/basalt"))
                .isEqualTo("jdbc:h2:file:/var/lib/basalt/basalt;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=128;WRITE_DELAY=0");
    }

    @Test
    void keepsWhatTheOperatorSet() {
        assertThat(H2Settings.withDefaults("jdbc:h2:mem:x;query_cache_size=4;DB_CLOSE_DELAY=-1"))
                .isEqualTo("jdbc:h2:mem:x;query_cache_size=4;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000;WRITE_DELAY=0");
    }
}
