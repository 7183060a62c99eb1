package dev.basalt.iscsi;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ExternalToolsTest {

    @Test
    void aMissingToolSkipsOnADevelopersMachine() {
        assertThatThrownBy(() -> ExternalTools.require(Map.of("PATH", "/nonexistent"), "iscsi-inq"))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("apt-get install libiscsi-bin");
    }

    @Test
    void aMissingToolFailsInCi() {
        assertThatThrownBy(() -> ExternalTools.require(Map.of("PATH", "/nonexistent", "CI", "true"), "iscsi-inq"))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI=true");
    }

    @Test
    void theSkipNamesThePackageThatInstallsTheTool() {
        assertThatThrownBy(() -> ExternalTools.requireFrom(Map.of("PATH", "/nonexistent"), "tgt", "tgtd"))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("[tgtd]").hasMessageContaining("apt-get install tgt");
    }

    @Test
    void aToolOnThePathIsFound() {
        assertThatCode(() -> ExternalTools.require(Map.of("PATH", "/usr/bin:/bin", "CI", "true"), "sh")).doesNotThrowAnyException();
    }
}
