package dev.basalt.iscsi;

import dev.basalt.iscsi.login.Chap;
import dev.basalt.iscsi.pdu.Bhs;
import dev.basalt.iscsi.pdu.Opcode;
import dev.basalt.iscsi.pdu.PduReader;
import dev.basalt.iscsi.pdu.PduWriter;
import dev.basalt.iscsi.pdu.TextParameters;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * A small iSCSI initiator for tests: login (with or without CHAP), SCSI commands with Data-In,
 * immediate data, unsolicited Data-Out and R2T, NOP, task management, text and logout, and raw
 * PDUs for malformed input. Synchronous: one command at a time unless the test drives PDUs itself.
 */
final class TestInitiator implements Closeable {
    static final String NAME = "iqn.2024-01.dev.basalt:test-initiator";

    /** The end of a SCSI command as the initiator sees it. */
    record Result(int status, byte[] sense, byte[] data, int residualFlags, int residual) {
        int senseKey() {
            return sense.length > 2 ? sense[2] & 0x0f : -1;
        }

        int asc() {
            return sense.length > 13 ? ((sense[12] & 0xff) << 8) | (sense[13] & 0xff) : -1;
        }

        boolean good() {
            return status == 0;
        }

        @Override
        public String toString() {
            return "Result[status=" + status + ", sense key " + senseKey() + " asc " + Integer.toHexString(asc())
                    + ", " + data.length + " bytes, residual " + residualFlags + "/" + residual + "]";
        }
    }

    /** A received PDU, copied out of the reader's buffer. */
    record Pdu(byte[] header, byte[] data) {
        ByteBuffer h() {
            return ByteBuffer.wrap(header);
        }

        int opcode() {
            return header[0] & 0x3f;
        }

        int flags() {
            return header[1] & 0xff;
        }

        int int32(int offset) {
            return h().getInt(offset);
        }
    }

    private final SocketChannel channel;
    private final PduReader reader;
    private final PduWriter writer;
    private int cmdSn = 1;
    private int expStatSn;
    private int itt = 0x100;
    private final long isid;
    private Map<String, String> negotiated = new LinkedHashMap<>();
    private int targetMaxRecv = 8192;
    private int firstBurst = 65536;
    private boolean immediateData = true;
    private boolean initialR2T = true;

    private TestInitiator(SocketChannel channel, long isid) {
        this.channel = channel;
        this.reader = new PduReader(channel, 1 << 20, 1 << 20);
        this.writer = new PduWriter(channel);
        this.isid = isid;
    }

    static TestInitiator connect(InetSocketAddress address) throws IOException {
        return connect(address, 0x80_1234_5678L);
    }

    static TestInitiator connect(InetSocketAddress address, long isid) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return new TestInitiator(channel, isid);
    }

    Map<String, String> negotiated() {
        return negotiated;
    }

    SocketChannel channel() {
        return channel;
    }

    // ---------------------------------------------------------------- login

    /** Logs in to a normal session without authentication, with the given operational keys. */
    int login(String target, Map<String, String> operational) throws IOException {
        return login(target, null, null, operational);
    }

    /**
     * Logs in: a security stage with CHAP when {@code chap} is given (and mutual CHAP when
     * {@code mutual} is), then the operational stage.
     *
     * @return the login status (0 on success)
     */
    int login(String target, ChapCredentials chap, ChapCredentials mutual, Map<String, String> operational)
            throws IOException {
        SequencedMap<String, String> first = new LinkedHashMap<>();
        first.put("InitiatorName", NAME);
        if (target == null) {
            first.put("SessionType", "Discovery");
        } else {
            first.put("SessionType", "Normal");
            first.put("TargetName", target);
        }
        if (chap != null) {
            first.put("AuthMethod", "CHAP,None");
            Pdu r = loginRequest(0, 1, false, first);
            if (status(r) != 0) {
                return status(r);
            }
            Pdu a = loginRequest(0, 1, false, Map.of("CHAP_A", "5"));
            if (status(a) != 0) {
                return status(a);
            }
            Map<String, String> keys = TextParameters.parse(ByteBuffer.wrap(a.data()));
            int id = Integer.parseInt(keys.get("CHAP_I"));
            byte[] challenge = Chap.decode(keys.get("CHAP_C"));
            SequencedMap<String, String> answer = new LinkedHashMap<>();
            answer.put("CHAP_N", chap.user());
            answer.put("CHAP_R", Chap.encode(Chap.response(Chap.Algorithm.MD5, id, chap.secretBytes(), challenge)));
            byte[] myChallenge = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
            if (mutual != null) {
                answer.put("CHAP_I", "7");
                answer.put("CHAP_C", Chap.encode(myChallenge));
            }
            Pdu done = loginRequest(0, 1, true, answer);
            if (status(done) != 0) {
                return status(done);
            }
            if (mutual != null) {
                Map<String, String> proof = TextParameters.parse(ByteBuffer.wrap(done.data()));
                byte[] expected = Chap.response(Chap.Algorithm.MD5, 7, mutual.secretBytes(), myChallenge);
                if (!mutual.user().equals(proof.get("CHAP_N")) || !Chap.matches(expected, Chap.decode(proof.get("CHAP_R")))) {
                    throw new IOException("the target failed mutual authentication");
                }
            }
            first = new LinkedHashMap<>();
        }
        SequencedMap<String, String> op = new LinkedHashMap<>(first);
        op.putAll(operational);
        Pdu r = loginRequest(1, 3, true, op);
        if (status(r) != 0) {
            return status(r);
        }
        negotiated = TextParameters.parse(ByteBuffer.wrap(r.data()));
        targetMaxRecv = Integer.parseInt(negotiated.getOrDefault("MaxRecvDataSegmentLength", "8192"));
        firstBurst = Integer.parseInt(negotiated.getOrDefault("FirstBurstLength", "65536"));
        immediateData = !"No".equals(negotiated.getOrDefault("ImmediateData", "Yes"));
        initialR2T = !"No".equals(negotiated.getOrDefault("InitialR2T", "Yes"));
        boolean headerDigest = "CRC32C".equals(negotiated.get("HeaderDigest"));
        boolean dataDigest = "CRC32C".equals(negotiated.get("DataDigest"));
        reader.useDigests(headerDigest, dataDigest);
        writer.useDigests(headerDigest, dataDigest);
        return 0;
    }

    static int status(Pdu loginResponse) {
        return ((loginResponse.header()[36] & 0xff) << 8) | (loginResponse.header()[37] & 0xff);
    }

    /** One login request and its response. */
    Pdu loginRequest(int csg, int nsg, boolean transit, Map<String, String> keys) throws IOException {
        ByteBuffer h = writer.header(Opcode.LOGIN_REQUEST | 0x40, (transit ? 0x80 : 0) | csg << 2 | nsg);
        h.putShort(8, (short) (isid >>> 32));
        h.putInt(10, (int) isid);
        h.putInt(16, itt);
        h.putInt(24, cmdSn);
        h.putInt(28, expStatSn);
        writer.add(h, ByteBuffer.wrap(TextParameters.encode(keys)));
        writer.flush();
        Pdu r = next();
        if (r.opcode() != Opcode.LOGIN_RESPONSE) {
            throw new IOException("expected a login response, got " + Opcode.name(r.opcode()));
        }
        expStatSn = r.int32(24) + 1;
        return r;
    }

    // ---------------------------------------------------------------- commands

    Result command(int lun, byte[] cdb, int expectedLength, byte[] dataOut, boolean read) throws IOException {
        int tag = send(lun, cdb, expectedLength, dataOut, read);
        return await(tag, dataOut);
    }

    Result read(int lun, byte[] cdb, int length) throws IOException {
        return command(lun, cdb, length, null, true);
    }

    Result write(int lun, byte[] cdb, byte[] data) throws IOException {
        return command(lun, cdb, data.length, data, false);
    }

    /** Sends a SCSI Command PDU with immediate data and unsolicited Data-Out as negotiated; returns its tag. */
    int send(int lun, byte[] cdb, int expectedLength, byte[] dataOut, boolean read) throws IOException {
        int tag = ++itt;
        boolean write = dataOut != null && expectedLength > 0;
        int unsolicited = write && !initialR2T ? Math.min(firstBurst, expectedLength) : 0;
        int immediate = write && immediateData ? Math.min(Math.min(firstBurst, targetMaxRecv), Math.min(expectedLength, dataOut.length)) : 0;
        if (!initialR2T) {
            immediate = Math.min(immediate, unsolicited);
        }
        boolean moreUnsolicited = unsolicited > immediate;
        ByteBuffer h = commandHeader(tag, lun, cdb, expectedLength, (moreUnsolicited ? 0 : 0x80) | (read ? 0x40 : 0) | (write ? 0x20 : 0));
        writer.add(h, immediate > 0 ? ByteBuffer.wrap(dataOut, 0, immediate) : null);
        if (moreUnsolicited) {
            dataOut(tag, lun, Bhs.RESERVED_TAG, dataOut, immediate, unsolicited - immediate);
        }
        writer.flush();
        return tag;
    }

    /** A write command without immediate data; the caller sends its unsolicited Data-Out (F bit clear) or waits for R2Ts. */
    int sendWrite(int lun, byte[] cdb, int expectedLength, boolean moreUnsolicited) throws IOException {
        int tag = ++itt;
        writer.add(commandHeader(tag, lun, cdb, expectedLength, (moreUnsolicited ? 0 : 0x80) | 0x20), null);
        writer.flush();
        return tag;
    }

    /** A SCSI Command header (simple task attribute) taking the next CmdSN; {@code flags}: F, R and W bits. */
    private ByteBuffer commandHeader(int tag, int lun, byte[] cdb, int expectedLength, int flags) throws IOException {
        ByteBuffer h = writer.header(Opcode.SCSI_COMMAND, flags | 1);
        h.putShort(8, (short) dev.basalt.iscsi.scsi.Luns.encode(lun));
        h.putInt(16, tag);
        h.putInt(20, expectedLength);
        h.putInt(24, cmdSn++);
        h.putInt(28, expStatSn);
        h.put(32, cdb, 0, Math.min(16, cdb.length));
        return h;
    }

    /** Data-Out PDUs for [offset, offset + length) of {@code data}, numbered from DataSN 0. */
    void dataOut(int tag, int lun, int ttt, byte[] data, int offset, int length) throws IOException {
        int dataSn = 0;
        for (int at = offset; at < offset + length; ) {
            int n = Math.min(targetMaxRecv, offset + length - at);
            ByteBuffer payload = ByteBuffer.allocate(n);
            payload.put(data, Math.min(at, data.length), Math.max(0, Math.min(n, data.length - at))).clear();
            addDataOut(tag, lun, ttt, dataSn++, at, payload, at + n == offset + length);
            at += n;
        }
        writer.flush();
    }

    /** One Data-Out PDU, its DataSN, offset and F bit as given (right or wrong). */
    void dataOutPdu(int tag, int lun, int ttt, int dataSn, int offset, byte[] payload, boolean last) throws IOException {
        addDataOut(tag, lun, ttt, dataSn, offset, ByteBuffer.wrap(payload), last);
        writer.flush();
    }

    private void addDataOut(int tag, int lun, int ttt, int dataSn, int offset, ByteBuffer payload, boolean last) throws IOException {
        ByteBuffer h = writer.header(Opcode.DATA_OUT, last ? 0x80 : 0);
        h.putShort(8, (short) dev.basalt.iscsi.scsi.Luns.encode(lun));
        h.putInt(16, tag);
        h.putInt(20, ttt);
        h.putInt(28, expStatSn);
        h.putInt(36, dataSn);
        h.putInt(40, offset);
        writer.add(h, payload);
    }

    /** Runs the command with this tag to its end: answers R2Ts, gathers Data-In. */
    Result await(int tag, byte[] dataOut) throws IOException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        while (true) {
            Pdu p = next();
            switch (p.opcode()) {
                case Opcode.READY_TO_TRANSFER -> {
                    if (p.int32(16) != tag) {
                        throw new IOException("R2T for another task");
                    }
                    int lun = dev.basalt.iscsi.scsi.Luns.decode(p.h().getLong(8));
                    dataOut(tag, lun, p.int32(20), dataOut, p.int32(40), p.int32(44));
                }
                case Opcode.DATA_IN -> {
                    if (in.size() != p.int32(40)) {
                        throw new IOException("Data-In out of order: offset " + p.int32(40) + " after " + in.size());
                    }
                    in.writeBytes(p.data());
                    if ((p.flags() & 0x01) != 0) {
                        expStatSn = p.int32(24) + 1;
                        return new Result(p.header()[3] & 0xff, new byte[0], in.toByteArray(), p.flags() & 0x06, p.int32(44));
                    }
                }
                case Opcode.SCSI_RESPONSE -> {
                    expStatSn = p.int32(24) + 1;
                    byte[] sense = new byte[0];
                    if (p.data().length >= 2) {
                        int n = ByteBuffer.wrap(p.data()).getShort(0) & 0xffff;
                        sense = java.util.Arrays.copyOfRange(p.data(), 2, 2 + n);
                    }
                    return new Result(p.header()[3] & 0xff, sense, in.toByteArray(), p.flags() & 0x06, p.int32(44));
                }
                default -> throw new IOException("unexpected " + Opcode.name(p.opcode()) + " during a command");
            }
        }
    }

    // ---------------------------------------------------------------- other requests

    /** NOP-Out with a ping: returns the echoed data. */
    byte[] ping(byte[] data) throws IOException {
        int tag = ++itt;
        ByteBuffer h = writer.header(Opcode.NOP_OUT | 0x40, 0x80);
        h.putInt(16, tag);
        h.putInt(20, Bhs.RESERVED_TAG);
        h.putInt(24, cmdSn);
        h.putInt(28, expStatSn);
        writer.add(h, data.length == 0 ? null : ByteBuffer.wrap(data));
        writer.flush();
        Pdu p = next();
        if (p.opcode() != Opcode.NOP_IN || p.int32(16) != tag) {
            throw new IOException("expected the NOP-In answer, got " + Opcode.name(p.opcode()));
        }
        expStatSn = p.int32(24) + 1;
        return p.data();
    }

    /** Task management request; returns the response code. */
    int taskManagement(int function, int lun, int referencedTag) throws IOException {
        int tag = ++itt;
        ByteBuffer h = writer.header(Opcode.TASK_MANAGEMENT_REQUEST | 0x40, 0x80 | function);
        h.putShort(8, (short) dev.basalt.iscsi.scsi.Luns.encode(lun));
        h.putInt(16, tag);
        h.putInt(20, referencedTag);
        h.putInt(24, cmdSn);
        h.putInt(28, expStatSn);
        writer.add(h, null);
        writer.flush();
        while (true) {
            Pdu p = next();
            if (p.opcode() == Opcode.TASK_MANAGEMENT_RESPONSE && p.int32(16) == tag) {
                expStatSn = p.int32(24) + 1;
                return p.header()[2] & 0xff;
            }
        }
    }

    /** A text request (continued until the target's answer is complete); returns all answer bytes. */
    byte[] text(Map<String, String> keys) throws IOException {
        int tag = ++itt;
        int ttt = Bhs.RESERVED_TAG;
        byte[] request = TextParameters.encode(keys);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        while (true) {
            ByteBuffer h = writer.header(Opcode.TEXT_REQUEST | 0x40, 0x80);
            h.putInt(16, tag);
            h.putInt(20, ttt);
            h.putInt(24, cmdSn);
            h.putInt(28, expStatSn);
            writer.add(h, ttt == Bhs.RESERVED_TAG ? ByteBuffer.wrap(request) : null);
            writer.flush();
            Pdu p = next();
            if (p.opcode() != Opcode.TEXT_RESPONSE) {
                throw new IOException("expected a text response, got " + Opcode.name(p.opcode()));
            }
            expStatSn = p.int32(24) + 1;
            answer.writeBytes(p.data());
            if ((p.flags() & 0x80) != 0) {
                return answer.toByteArray();
            }
            ttt = p.int32(20);
        }
    }

    /** Logout (close the session); returns the response code. */
    int logout() throws IOException {
        int tag = ++itt;
        ByteBuffer h = writer.header(Opcode.LOGOUT_REQUEST | 0x40, 0x80);
        h.putInt(16, tag);
        h.putInt(24, cmdSn);
        h.putInt(28, expStatSn);
        writer.add(h, null);
        writer.flush();
        Pdu p = next();
        if (p.opcode() != Opcode.LOGOUT_RESPONSE) {
            throw new IOException("expected a logout response, got " + Opcode.name(p.opcode()));
        }
        return p.header()[2] & 0xff;
    }

    /** Writes raw bytes to the socket. */
    void raw(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** The next PDU, copied; IOException when the target closed the connection. */
    Pdu next() throws IOException {
        try {
            if (!reader.next()) {
                throw new java.io.EOFException("the target closed the connection");
            }
        } catch (dev.basalt.iscsi.pdu.ProtocolException e) {
            throw new IOException(e);
        }
        byte[] header = new byte[Bhs.LENGTH];
        reader.header().get(0, header);
        byte[] data = new byte[reader.data().remaining()];
        reader.data().get(0, data);
        return new Pdu(header, data);
    }

    /** Whether the target closed the connection: true once a read sees its end. */
    boolean closedByTarget() {
        try {
            while (true) {
                next();
            }
        } catch (IOException e) {
            return true;
        }
    }

    int nextCmdSn() {
        return cmdSn;
    }

    int expStatSn() {
        return expStatSn;
    }

    int newTag() {
        return ++itt;
    }

    PduWriter writer() {
        return writer;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
