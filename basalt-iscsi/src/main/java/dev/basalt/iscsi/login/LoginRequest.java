package dev.basalt.iscsi.login;

import java.nio.ByteBuffer;

/**
 * The header fields of a Login Request (RFC 7143 section 11.12).
 *
 * @param isid the initiator session id, 48 bits
 */
public record LoginRequest(boolean transit, boolean proceed, int currentStage, int nextStage, int versionMax,
                           int versionMin, long isid, int tsih, int initiatorTaskTag, int connectionId, int cmdSn,
                           int expStatSn) {
    public static final int SECURITY = 0;
    public static final int OPERATIONAL = 1;
    public static final int FULL_FEATURE = 3;

    /** {@code proceed} is the C bit: the text continues in the next PDU. */
    public static LoginRequest parse(ByteBuffer h) {
        int flags = h.get(1) & 0xff;
        long isid = ((long) (h.getShort(8) & 0xffff) << 32) | (h.getInt(10) & 0xffffffffL);
        return new LoginRequest((flags & 0x80) != 0, (flags & 0x40) != 0, (flags >>> 2) & 0x03, flags & 0x03,
                h.get(2) & 0xff, h.get(3) & 0xff, isid, h.getShort(14) & 0xffff, h.getInt(16),
                h.getShort(20) & 0xffff, h.getInt(24), h.getInt(28));
    }
}
