package dev.basalt.iscsi.login;

/**
 * The outcome of operational negotiation for one session (RFC 7143 section 13), with the RFC's
 * defaults for keys that were not negotiated.
 *
 * @param initiatorMaxRecvDataSegmentLength the largest data segment the initiator accepts from us
 * @param targetMaxRecvDataSegmentLength the largest data segment we accept (what we declared)
 */
public record OperationalParameters(boolean headerDigest, boolean dataDigest, int initiatorMaxRecvDataSegmentLength,
                                    int targetMaxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
                                    boolean initialR2T, boolean immediateData, int maxOutstandingR2T,
                                    boolean dataPduInOrder, boolean dataSequenceInOrder, int errorRecoveryLevel,
                                    int defaultTime2Wait, int defaultTime2Retain, int maxConnections) {
}
