package dev.basalt.iscsi.session;

import dev.basalt.iscsi.Export;
import dev.basalt.iscsi.login.Keys;
import dev.basalt.iscsi.pdu.Bhs;
import dev.basalt.iscsi.pdu.ProtocolException;
import dev.basalt.iscsi.pdu.TextParameters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Text requests in the full feature phase (RFC 7143 sections 6.1, 11.10): SendTargets, answered
 * in pieces no longer than the initiator accepts (continued with the target transfer tag), and
 * requests split over several PDUs (C bit).
 */
final class TextExchange {
    private static final int MAX_REQUEST = 64 * 1024;

    private final Supplier<List<Export>> exports;
    private final Predicate<Export> visible;
    private final boolean discovery;
    private final String ownTarget;
    private final InetSocketAddress portal;
    private final int portalGroupTag;
    private final WriteTask.TagSource tags = new WriteTask.TagSource();
    private ByteArrayOutputStream request;
    private ByteBuffer pending;
    private int pendingTag = Bhs.RESERVED_TAG;
    private int maxSegment;

    TextExchange(Supplier<List<Export>> exports, Predicate<Export> visible, boolean discovery, String ownTarget,
                 InetSocketAddress portal, int portalGroupTag, int maxSegment) {
        this.exports = exports;
        this.visible = visible;
        this.discovery = discovery;
        this.ownTarget = ownTarget;
        this.portal = portal;
        this.portalGroupTag = portalGroupTag;
        this.maxSegment = maxSegment;
    }

    void handle(ByteBuffer header, ByteBuffer data, Responder out) throws IOException, ProtocolException {
        int itt = header.getInt(16);
        int ttt = header.getInt(20);
        boolean more = (header.get(1) & 0x40) != 0;
        if (ttt == Bhs.RESERVED_TAG) {
            pending = null;                                        // a new exchange replaces any other
            request = new ByteArrayOutputStream();
        } else if (ttt != pendingTag) {
            throw new ProtocolException(ProtocolException.INVALID_PDU_FIELD, "Text Request continues an unknown exchange");
        } else if (request == null) {
            if (pending == null) {
                throw new ProtocolException(ProtocolException.INVALID_PDU_FIELD, "Text Request continues a finished exchange");
            }
            sendPiece(itt, out);                                   // the initiator asks for the rest of our answer
            return;
        }
        if (request.size() + data.remaining() > MAX_REQUEST) {
            request = null;
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "text request longer than " + MAX_REQUEST + " bytes");
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        request.writeBytes(bytes);
        if (more) {
            pendingTag = tags.next();                              // an empty answer asks for the rest of the request
            out.textResponse(itt, pendingTag, false, false, null);
            return;
        }
        SequencedMap<String, String> keys;
        try {
            keys = TextParameters.parse(ByteBuffer.wrap(request.toByteArray()));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "malformed text request: " + e.getMessage());
        } finally {
            request = null;
        }
        List<Map.Entry<String, String>> answer = new ArrayList<>();
        for (Map.Entry<String, String> key : keys.entrySet()) {
            switch (key.getKey()) {
                case "SendTargets" -> sendTargets(key.getValue(), answer);
                case "MaxRecvDataSegmentLength" -> {
                    Integer v = Keys.number(key.getValue(), 512, (1 << 24) - 1);
                    if (v == null) {
                        answer.add(new SimpleEntry<>(key.getKey(), "Reject"));
                    } else {
                        maxSegment = v;
                    }
                }
                default -> answer.add(new SimpleEntry<>(key.getKey(), "NotUnderstood"));
            }
        }
        pending = ByteBuffer.wrap(TextParameters.encode(answer));
        sendPiece(itt, out);
    }

    /** The initiator's MaxRecvDataSegmentLength, as (re)declared in text. */
    int maxSegment() {
        return maxSegment;
    }

    private void sendPiece(int itt, Responder out) throws IOException {
        int n = Math.min(pending.remaining(), maxSegment);
        ByteBuffer piece = pending.slice(pending.position(), n);
        pending.position(pending.position() + n);
        if (pending.hasRemaining()) {
            pendingTag = tags.next();
            out.textResponse(itt, pendingTag, false, true, piece);
        } else {
            pending = null;
            pendingTag = Bhs.RESERVED_TAG;
            out.textResponse(itt, Bhs.RESERVED_TAG, true, false, piece);
        }
    }

    private void sendTargets(String which, List<Map.Entry<String, String>> answer) {
        if (!discovery && which.equals("All")) {
            answer.add(new SimpleEntry<>("SendTargets", "Reject"));
            return;
        }
        String address = (portal.getAddress() instanceof Inet6Address
                ? "[" + portal.getAddress().getHostAddress() + "]" : portal.getAddress().getHostAddress())
                + ":" + portal.getPort() + "," + portalGroupTag;
        for (Export export : exports.get()) {
            boolean listed = discovery
                    ? visible.test(export) && (which.equals("All") || which.equalsIgnoreCase(export.iqn()))
                    : export.iqn().equals(ownTarget) && (which.isEmpty() || which.equalsIgnoreCase(ownTarget));
            if (listed) {
                answer.add(new SimpleEntry<>("TargetName", export.iqn()));
                answer.add(new SimpleEntry<>("TargetAddress", address));
            }
        }
    }
}
