package dev.basalt.iscsi.session;

/**
 * Command and status numbering of a session with one connection (RFC 7143 sections 4.2.2): which
 * CmdSN comes next, how many commands the initiator may queue, and the StatSN of the next
 * response. Sequence numbers compare with serial number arithmetic (RFC 1982).
 */
final class CommandWindow {
    /** What to do with a command, by its CmdSN. */
    enum Verdict { ACCEPT, DROP, OUT_OF_ORDER }

    private final int size;
    private int expCmdSn;
    private int statSn;

    CommandWindow(int firstCmdSn, int firstStatSn, int size) {
        this.expCmdSn = firstCmdSn;
        this.statSn = firstStatSn;
        this.size = size;
    }

    int expCmdSn() {
        return expCmdSn;
    }

    int maxCmdSn() {
        return expCmdSn + size - 1;
    }

    /**
     * Judges a command's CmdSN. Immediate commands are taken as they come and do not advance the
     * window. Others must be the next expected (they advance it); one outside the window is
     * silently dropped (RFC 7143 section 4.2.2.1); one inside the window but ahead of a gap cannot
     * happen on a single TCP connection unless the initiator is broken.
     */
    Verdict admit(int cmdSn, boolean immediate) {
        if (immediate) {
            return Verdict.ACCEPT;
        }
        if (cmdSn == expCmdSn) {
            expCmdSn++;
            return Verdict.ACCEPT;
        }
        if (lessThan(cmdSn, expCmdSn) || lessThan(maxCmdSn(), cmdSn)) {
            return Verdict.DROP;
        }
        return Verdict.OUT_OF_ORDER;
    }

    /** The StatSN for a response that carries status; advances. */
    int nextStatSn() {
        return statSn++;
    }

    /** The StatSN to show in a PDU that carries no status (R2T, Data-In without status). */
    int currentStatSn() {
        return statSn;
    }

    static boolean lessThan(int a, int b) {
        return a != b && (a - b) < 0;
    }
}
