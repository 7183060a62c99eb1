package dev.basalt.iscsi.login;

import dev.basalt.iscsi.TargetConfig;
import dev.basalt.iscsi.pdu.TextParameters;
import java.util.Map;

/**
 * Answers the operational keys of login (RFC 7143 sections 6.2 and 13) against the target's limits
 * and keeps the results. Every negotiated key is answered with its result; declarations are noted;
 * a value out of range is answered {@code Reject}; an unknown key {@code NotUnderstood}.
 */
final class KeyNegotiator {
    static final String REJECT = "Reject";
    static final String NOT_UNDERSTOOD = "NotUnderstood";
    static final String IRRELEVANT = "Irrelevant";
    private static final int MAX_24 = (1 << 24) - 1;

    private final TargetConfig limits;
    private boolean headerDigest;
    private boolean dataDigest;
    private int initiatorMaxRecv = 8192;
    private int maxBurst = 262144;
    private int firstBurst = 65536;
    private boolean initialR2T = true;
    private boolean immediateData = true;
    private int maxOutstandingR2T = 1;
    private int time2Wait = 2;
    private int time2Retain = 20;

    KeyNegotiator(TargetConfig limits) {
        this.limits = limits;
    }

    /** Whether this is an operational key this class answers. */
    static boolean isOperational(String key) {
        return switch (key) {
            case "HeaderDigest", "DataDigest", "MaxConnections", "InitialR2T", "ImmediateData",
                 "MaxRecvDataSegmentLength", "MaxBurstLength", "FirstBurstLength", "DefaultTime2Wait",
                 "DefaultTime2Retain", "MaxOutstandingR2T", "DataPDUInOrder", "DataSequenceInOrder",
                 "ErrorRecoveryLevel", "IFMarker", "OFMarker", "IFMarkInt", "OFMarkInt", "iSCSIProtocolLevel",
                 "TaskReporting" -> true;
            default -> false;
        };
    }

    /** Answers one operational key into {@code answers} (nothing for declarations). */
    void negotiate(String key, String value, Map<String, String> answers) {
        switch (key) {
            case "HeaderDigest" -> digest(value, answers, key, true);
            case "DataDigest" -> digest(value, answers, key, false);
            case "MaxConnections" -> number(value, 1, 65535, answers, key, v -> 1);
            case "InitialR2T" -> bool(value, answers, key, v -> {
                initialR2T = v;                                            // OR with our No
                return v;
            });
            case "ImmediateData" -> bool(value, answers, key, v -> {
                immediateData = v;                                         // AND with our Yes
                return v;
            });
            case "MaxRecvDataSegmentLength" -> {
                Integer v = parse(value, 512, MAX_24);
                if (v == null) {
                    answers.put(key, REJECT);
                } else {
                    initiatorMaxRecv = v;                                  // declarative: nothing to answer
                }
            }
            case "MaxBurstLength" -> number(value, 512, MAX_24, answers, key, v -> maxBurst = Math.min(v, limits.maxBurstLength()));
            case "FirstBurstLength" -> number(value, 512, MAX_24, answers, key,
                    v -> firstBurst = Math.min(v, limits.firstBurstLength()));
            case "DefaultTime2Wait" -> number(value, 0, 3600, answers, key, v -> time2Wait = Math.max(v, 2));
            case "DefaultTime2Retain" -> number(value, 0, 3600, answers, key, v -> time2Retain = 0);
            case "MaxOutstandingR2T" -> number(value, 1, 65535, answers, key,
                    v -> maxOutstandingR2T = Math.min(v, limits.maxOutstandingR2T()));
            case "DataPDUInOrder", "DataSequenceInOrder" -> bool(value, answers, key, v -> true);   // OR with our Yes
            case "ErrorRecoveryLevel" -> number(value, 0, 2, answers, key, v -> 0);
            case "IFMarker", "OFMarker" -> bool(value, answers, key, v -> false);                  // AND with our No
            case "IFMarkInt", "OFMarkInt" -> answers.put(key, IRRELEVANT);
            case "iSCSIProtocolLevel" -> number(value, 0, 31, answers, key, v -> Math.min(v, 1));
            case "TaskReporting" -> answers.put(key, "RFC3720");
            default -> answers.put(key, NOT_UNDERSTOOD);
        }
    }

    /** What the target declares once, in the operational stage: how much it accepts per PDU. */
    void declare(Map<String, String> answers) {
        answers.put("MaxRecvDataSegmentLength", Integer.toString(limits.maxRecvDataSegmentLength()));
    }

    OperationalParameters result() {
        int burst = maxBurst;
        return new OperationalParameters(headerDigest, dataDigest, initiatorMaxRecv, limits.maxRecvDataSegmentLength(),
                burst, Math.min(firstBurst, burst), initialR2T, immediateData, maxOutstandingR2T, true, true, 0,
                time2Wait, time2Retain, 1);
    }

    private void digest(String value, Map<String, String> answers, String key, boolean header) {
        for (String offered : TextParameters.list(value)) {
            if (offered.equals("CRC32C") || offered.equals("None")) {
                boolean crc = offered.equals("CRC32C");
                if (header) {
                    headerDigest = crc;
                } else {
                    dataDigest = crc;
                }
                answers.put(key, offered);
                return;
            }
        }
        answers.put(key, REJECT);
    }

    private interface IntResult {
        int apply(int offered);
    }

    private interface BoolResult {
        boolean apply(boolean offered);
    }

    private static void number(String value, int min, int max, Map<String, String> answers, String key, IntResult result) {
        Integer v = parse(value, min, max);
        answers.put(key, v == null ? REJECT : Integer.toString(result.apply(v)));
    }

    private static void bool(String value, Map<String, String> answers, String key, BoolResult result) {
        switch (value) {
            case "Yes" -> answers.put(key, result.apply(true) ? "Yes" : "No");
            case "No" -> answers.put(key, result.apply(false) ? "Yes" : "No");
            default -> answers.put(key, REJECT);
        }
    }

    static Integer parse(String value, int min, int max) {
        return Keys.number(value, min, max);
    }
}
