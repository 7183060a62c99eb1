package dev.basalt.iscsi.pdu;

/**
 * The peer broke the protocol in a way that ends the connection (RFC 7143 at ErrorRecoveryLevel
 * 0): a malformed or oversized PDU, a digest error, a sequence error. The reason code is the one
 * a Reject PDU carries, when one can still be sent.
 */
public class ProtocolException extends Exception {
    /** Reject reasons (RFC 7143 section 11.17.1). */
    public static final int DATA_DIGEST_ERROR = 0x02;
    public static final int SNACK_REJECT = 0x03;
    public static final int PROTOCOL_ERROR = 0x04;
    public static final int COMMAND_NOT_SUPPORTED = 0x05;
    public static final int IMMEDIATE_COMMAND_REJECT = 0x06;
    public static final int TASK_IN_PROGRESS = 0x07;
    public static final int INVALID_DATA_ACK = 0x08;
    public static final int INVALID_PDU_FIELD = 0x09;
    public static final int OUT_OF_RESOURCES = 0x0a;
    public static final int WAITING_FOR_LOGOUT = 0x0c;

    private final int reason;
    private final byte[] header;

    public ProtocolException(int reason, String message) {
        this(reason, message, null);
    }

    /** @param header the offending PDU's header, when it can be trusted and sent back in a Reject */
    public ProtocolException(int reason, String message, byte[] header) {
        super(message, null, false, false);
        this.reason = reason;
        this.header = header == null ? null : header.clone();
    }

    public int reason() {
        return reason;
    }

    /** The offending PDU's header, or null. */
    public byte[] header() {
        return header == null ? null : header.clone();
    }
}
