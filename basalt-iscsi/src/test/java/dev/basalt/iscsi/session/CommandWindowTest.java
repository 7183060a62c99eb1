package dev.basalt.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandWindowTest {

    @Test
    void commandsAdvanceInOrderAndOthersAreJudgedBySerialArithmetic() {
        CommandWindow w = new CommandWindow(0xfffffffe, 10, 4);
        assertThat(w.maxCmdSn()).isEqualTo(0x00000001);                      // wraps
        assertThat(w.admit(0xfffffffe, false)).isEqualTo(CommandWindow.Verdict.ACCEPT);
        assertThat(w.admit(0xffffffff, false)).isEqualTo(CommandWindow.Verdict.ACCEPT);
        assertThat(w.expCmdSn()).isZero();
        assertThat(w.admit(0xffffffff, false)).isEqualTo(CommandWindow.Verdict.DROP);   // too low: a duplicate
        assertThat(w.maxCmdSn()).isEqualTo(3);                                 // the window moved along
        assertThat(w.admit(4, false)).isEqualTo(CommandWindow.Verdict.DROP);            // MaxCmdSN + 1
        assertThat(w.admit(2, false)).isEqualTo(CommandWindow.Verdict.OUT_OF_ORDER);    // inside, after a gap
        assertThat(w.admit(12345, true)).isEqualTo(CommandWindow.Verdict.ACCEPT);       // immediate: as it comes
        assertThat(w.expCmdSn()).isZero();
    }

    @Test
    void statusNumbersAdvanceOnlyForStatus() {
        CommandWindow w = new CommandWindow(1, 100, 8);
        assertThat(w.currentStatSn()).isEqualTo(100);
        assertThat(w.nextStatSn()).isEqualTo(100);
        assertThat(w.nextStatSn()).isEqualTo(101);
        assertThat(w.currentStatSn()).isEqualTo(102);
    }
}
