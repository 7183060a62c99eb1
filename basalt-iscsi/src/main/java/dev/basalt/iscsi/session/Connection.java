package dev.basalt.iscsi.session;

import static java.util.Objects.requireNonNull;

import dev.basalt.iscsi.TargetConfig;
import dev.basalt.iscsi.login.LoginFailure;
import dev.basalt.iscsi.login.LoginNegotiation;
import dev.basalt.iscsi.login.LoginRequest;
import dev.basalt.iscsi.login.LoginResponse;
import dev.basalt.iscsi.login.LoginResult;
import dev.basalt.iscsi.login.LoginStatus;
import dev.basalt.iscsi.login.OperationalParameters;
import dev.basalt.iscsi.pdu.Bhs;
import dev.basalt.iscsi.pdu.Opcode;
import dev.basalt.iscsi.pdu.PduReader;
import dev.basalt.iscsi.pdu.PduWriter;
import dev.basalt.iscsi.pdu.ProtocolException;
import dev.basalt.iscsi.pdu.TextParameters;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.SequencedMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection, which here is one session (MaxConnections=1): login, then the full feature
 * phase until logout, a protocol error or the socket closes. Runs on its own thread;
 * {@link #close()} may be called from any thread and ends it. Whatever happens on one connection
 * never touches another: a broken PDU ends only its own session, after a Reject when one can be
 * sent.
 */
public final class Connection implements Runnable {
    static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final int LOGIN_SEGMENT = 8192;
    private static final int MAX_LOGIN_TEXT = 64 * 1024;
    private static final int LOGOUT_CLOSE_SESSION = 0;
    private static final int LOGOUT_CLOSE_CONNECTION = 1;
    private static final int LOGOUT_RECOVERY_NOT_SUPPORTED = 2;

    private final SessionHost host;
    private final TargetConfig config;
    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final PduReader reader;
    private final PduWriter writer;
    private final Responder out;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile LoginResult login;
    private volatile int tsih;
    private volatile boolean loggedIn;
    private TextExchange text;
    private ScsiTasks scsi;

    public Connection(SessionHost host, TargetConfig config, SocketChannel channel) throws IOException {
        this.host = requireNonNull(host, "host");
        this.config = requireNonNull(config, "config");
        this.channel = requireNonNull(channel, "channel");
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.reader = new PduReader(channel, Math.max(config.maxRecvDataSegmentLength(), LOGIN_SEGMENT), LOGIN_SEGMENT);
        this.writer = new PduWriter(channel);
        this.out = new Responder(writer);
    }

    /** The finished login, or null while logging in. */
    public LoginResult login() {
        return login;
    }

    public int tsih() {
        return tsih;
    }

    public boolean loggedIn() {
        return loggedIn;
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public void run() {
        try {
            if (logIn()) {
                fullFeature();
            }
        } catch (ProtocolException e) {
            LOG.info("{}: protocol error, closing: {}", this, e.getMessage());
        } catch (EOFException | ClosedChannelException e) {
            LOG.debug("{}: connection closed", this);
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.info("{}: connection lost: {}", this, e.toString());
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{}: failed; closing the connection", this, e);
        } finally {
            close();
            if (scsi != null) {
                scsi.end();
            }
            host.detach(this);
            finished.countDown();
        }
    }

    /** Closes the socket; the connection's thread then ends. */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("{}: close: {}", this, e.toString());
            }
        }
    }

    /** Closes, then waits for the connection's thread to finish what it was doing. */
    public boolean closeAndAwait(Duration timeout) throws InterruptedException {
        close();
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- login

    private boolean logIn() throws IOException, ProtocolException {
        LoginNegotiation negotiation = new LoginNegotiation(config, host);
        ByteArrayOutputStream continued = null;
        LoginRequest first = null;
        while (true) {
            if (!reader.next()) {
                return false;
            }
            ByteBuffer h = reader.header();
            if (Bhs.opcode(h) != Opcode.LOGIN_REQUEST) {
                throw new ProtocolException(ProtocolException.PROTOCOL_ERROR,
                        Opcode.name(Bhs.opcode(h)) + " before login completed");
            }
            LoginRequest request = LoginRequest.parse(h);
            if (first == null) {
                first = request;
                out.window(new CommandWindow(request.cmdSn(), request.expStatSn(), config.commandWindow()));
                if (request.tsih() != 0) {
                    fail(request, host.hasSession(request.tsih()) ? LoginStatus.TOO_MANY_CONNECTIONS
                            : LoginStatus.SESSION_DOES_NOT_EXIST, "login to add a connection to session " + request.tsih());
                    return false;
                }
            }
            ByteBuffer data = reader.data();
            if (request.proceed() || continued != null) {
                if (continued == null) {
                    continued = new ByteArrayOutputStream();
                }
                if (continued.size() + data.remaining() > MAX_LOGIN_TEXT) {
                    fail(request, LoginStatus.INITIATOR_ERROR, "login text too long");
                    return false;
                }
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                continued.writeBytes(bytes);
                if (request.proceed()) {
                    out.loginResponse(request.currentStage() << 2, request.isid(), 0, request.initiatorTaskTag(),
                            LoginStatus.SUCCESS, null);
                    out.flush();
                    continue;
                }
                data = ByteBuffer.wrap(continued.toByteArray());
                continued = null;
            }
            SequencedMap<String, String> keys;
            try {
                keys = TextParameters.parse(data);
            } catch (IllegalArgumentException e) {
                fail(request, LoginStatus.INITIATOR_ERROR, "malformed login text: " + e.getMessage());
                return false;
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: login request stage {} -> {}{}: {}", this, request.currentStage(), request.nextStage(),
                        request.transit() ? " (transit)" : "", printable(keys));
            }
            LoginResponse response;
            try {
                response = negotiation.process(request, keys);
            } catch (LoginFailure e) {
                fail(request, e.status(), e.getMessage());
                return false;
            }
            int sessionTsih = 0;
            if (response.complete()) {
                LoginResult result = negotiation.result();
                SessionHost.Binding binding = host.attach(this, result);
                if (binding == null) {
                    fail(request, LoginStatus.TARGET_REMOVED, "export removed during login");
                    return false;
                }
                sessionTsih = binding.tsih();
                begin(result, binding);
            }
            int flags = (response.transit() ? 0x80 : 0) | response.currentStage() << 2 | response.nextStage();
            if (response.complete()) {
                loggedIn = true;                                   // visible before the initiator hears of it
            }
            out.loginResponse(flags, request.isid(), sessionTsih, request.initiatorTaskTag(), LoginStatus.SUCCESS,
                    ByteBuffer.wrap(TextParameters.encode(response.keys())));
            out.flush();
            if (response.complete()) {
                // digests start with the first PDU after the final login response
                OperationalParameters p = login.parameters();
                reader.limitDataSegment(p.targetMaxRecvDataSegmentLength());
                reader.useDigests(p.headerDigest(), p.dataDigest());
                writer.useDigests(p.headerDigest(), p.dataDigest());
                LOG.info("{}: logged in ({} session{}, digests {}/{})", this, login.discovery() ? "discovery" : "normal",
                        login.discovery() ? "" : " to " + login.export().iqn(),
                        p.headerDigest() ? "CRC32C" : "None", p.dataDigest() ? "CRC32C" : "None");
                return true;
            }
        }
    }

    /** Keys for the log, binary CHAP values left out. */
    private static String printable(SequencedMap<String, String> keys) {
        StringBuilder s = new StringBuilder();
        keys.forEach((k, v) -> s.append(k).append('=').append(k.equals("CHAP_R") || k.equals("CHAP_C") ? "…" : v).append(' '));
        return s.toString().trim();
    }

    private void begin(LoginResult result, SessionHost.Binding binding) {
        this.login = result;
        this.tsih = binding.tsih();
        OperationalParameters p = result.parameters();
        this.text = new TextExchange(host::all, result.visible(), result.discovery(),
                result.discovery() ? null : result.export().iqn(), local, config.portalGroupTag(),
                p.initiatorMaxRecvDataSegmentLength());
        if (!result.discovery()) {
            this.scsi = new ScsiTasks(out, p, binding.units(), host.commands(), config.ioBufferSize(),
                    config.commandWindow(), host.dataCounters());
        }
    }

    private void fail(LoginRequest request, int status, String why) throws IOException {
        LOG.info("{}: login refused ({}): {}", this, String.format("%04x", status), why);
        out.loginResponse(0, request.isid(), 0, request.initiatorTaskTag(), status, null);
        out.flush();
    }

    // ---------------------------------------------------------------- full feature phase

    /**
     * Reads and handles PDUs until the connection ends. Each PDU is handled holding the responder's
     * monitor, which commands running on threads of their own ({@link ScsiTasks}) take to answer; it is
     * free while the connection waits for the next PDU.
     */
    private void fullFeature() throws IOException, ProtocolException {
        CommandWindow window = out.window();
        while (true) {
            if (!reader.pduReady()) {
                synchronized (out) {
                    out.flush();                           // answers leave before we wait for more requests
                }
            }
            if (!nextPdu()) {
                return;
            }
            ByteBuffer h = reader.header();
            int opcode = Bhs.opcode(h);
            synchronized (out) {
                try {
                    if (!dispatch(opcode, h, window)) {
                        out.flush();
                        return;
                    }
                } catch (ProtocolException e) {
                    // say why before closing when the peer can still hear it
                    out.reject(e.reason(), h);
                    out.flush();
                    throw e;
                }
            }
        }
    }

    /** The next PDU; a PDU refused whole (data digest error) is answered with a Reject before the connection ends. */
    private boolean nextPdu() throws IOException, ProtocolException {
        try {
            return reader.next();
        } catch (ProtocolException e) {
            byte[] header = e.header();
            if (header != null) {
                synchronized (out) {
                    out.reject(e.reason(), ByteBuffer.wrap(header));
                    out.flush();
                }
            }
            throw e;
        }
    }

    /** @return false when the connection should end (logout, cold reset) */
    private boolean dispatch(int opcode, ByteBuffer h, CommandWindow window) throws IOException, ProtocolException {
        switch (opcode) {
            case Opcode.DATA_OUT -> {
                requireNormal(h);
                scsi.dataOut(h, reader.data());
                return true;
            }
            case Opcode.SNACK_REQUEST -> {
                out.reject(ProtocolException.SNACK_REJECT, h);
                return true;
            }
            case Opcode.SCSI_COMMAND, Opcode.NOP_OUT, Opcode.TASK_MANAGEMENT_REQUEST, Opcode.TEXT_REQUEST,
                 Opcode.LOGOUT_REQUEST -> {
                boolean pingReply = opcode == Opcode.NOP_OUT && Bhs.initiatorTaskTag(h) == Bhs.RESERVED_TAG;
                if (pingReply) {
                    return true;                                       // answer to a NOP-In: nothing to do
                }
                switch (window.admit(h.getInt(24), Bhs.immediate(h))) {
                    case DROP -> {
                        LOG.debug("{}: dropped {} with CmdSN outside the window", this, Opcode.name(opcode));
                        return true;
                    }
                    case OUT_OF_ORDER -> throw new ProtocolException(ProtocolException.PROTOCOL_ERROR,
                            "CmdSN " + Integer.toUnsignedString(h.getInt(24)) + " ahead of ExpCmdSN "
                                    + Integer.toUnsignedString(window.expCmdSn()));
                    case ACCEPT -> {
                        return command(opcode, h);
                    }
                    default -> throw new IllegalStateException();
                }
            }
            case Opcode.LOGIN_REQUEST -> throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "Login Request in full feature phase");
            default -> {
                if (opcode >= 0x20) {
                    throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "target opcode sent by the initiator");
                }
                out.reject(ProtocolException.COMMAND_NOT_SUPPORTED, h);
                return true;
            }
        }
    }

    private boolean command(int opcode, ByteBuffer h) throws IOException, ProtocolException {
        switch (opcode) {
            case Opcode.SCSI_COMMAND -> {
                requireNormal(h);
                scsi.command(h, reader.ahs(), reader.data());
                return true;
            }
            case Opcode.NOP_OUT -> {
                ByteBuffer ping = reader.data();
                int n = Math.min(ping.remaining(), text.maxSegment());
                ByteBuffer echo = ByteBuffer.allocate(n);
                echo.put(ping.slice(ping.position(), n)).flip();
                out.nopIn(Bhs.lun(h), Bhs.initiatorTaskTag(h), echo);
                return true;
            }
            case Opcode.TASK_MANAGEMENT_REQUEST -> {
                requireNormal(h);
                return !scsi.taskManagement(h);
            }
            case Opcode.TEXT_REQUEST -> {
                text.handle(h, reader.data(), out);
                if (scsi != null) {
                    scsi.initiatorMaxSegment(text.maxSegment());
                }
                return true;
            }
            case Opcode.LOGOUT_REQUEST -> {
                int reason = h.get(1) & 0x7f;
                int response = reason == LOGOUT_CLOSE_SESSION || reason == LOGOUT_CLOSE_CONNECTION ? 0
                        : LOGOUT_RECOVERY_NOT_SUPPORTED;
                if (scsi != null) {
                    scsi.abortEverything();
                }
                out.logoutResponse(Bhs.initiatorTaskTag(h), response);
                out.flush();
                LOG.info("{}: logged out", this);
                return false;
            }
            default -> throw new IllegalStateException("not a command: " + opcode);
        }
    }

    private void requireNormal(ByteBuffer h) throws ProtocolException {
        if (scsi == null) {
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR,
                    Opcode.name(Bhs.opcode(h)) + " in a discovery session");
        }
    }

    @Override
    public String toString() {
        LoginResult l = login;
        return "iSCSI " + remote.getAddress().getHostAddress() + ":" + remote.getPort()
                + (l == null ? "" : " " + l.initiatorName());
    }
}
