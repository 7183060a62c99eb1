package dev.basalt.volume.target;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.iscsi.ExternalTools;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TgtadmTest {

    @Test
    void aFailureCarriesTgtadmsMessageButNeverTheChapSecret() {
        ExternalTools.requireFrom("tgt", "tgtadm");
        // no daemon has this control port: tgtadm fails to reach it
        Tgtadm tgtadm = new Tgtadm(Tgtadm.MAX_CONTROL_PORT, Duration.ofSeconds(10));
        assertThatThrownBy(() -> tgtadm.run("--lld", "iscsi", "--op", "new", "--mode", "account", "--user", "u1",
                "--password", "a-secret-value"))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("tgtadm -C 32767 --lld iscsi --op new --mode account --user u1 --password *** failed")
                .hasMessageContaining("tgt daemon")
                .hasMessageNotContaining("a-secret-value");
    }
}
