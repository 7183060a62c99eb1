package dev.basalt.iscsi.session;

import dev.basalt.iscsi.login.OperationalParameters;
import dev.basalt.iscsi.pdu.Bhs;
import dev.basalt.iscsi.pdu.ProtocolException;
import dev.basalt.iscsi.scsi.CommandSet;
import dev.basalt.iscsi.scsi.DataSink;
import dev.basalt.iscsi.scsi.LogicalUnit;
import dev.basalt.iscsi.scsi.LunTable;
import dev.basalt.iscsi.scsi.Luns;
import dev.basalt.iscsi.scsi.Outcome;
import dev.basalt.iscsi.scsi.ScsiRequest;
import dev.basalt.iscsi.scsi.ScsiException;
import dev.basalt.iscsi.scsi.ScsiStatus;
import dev.basalt.iscsi.scsi.Sense;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The SCSI side of a normal session: turns SCSI Command PDUs into commands, streams their data
 * (Data-In from the unit through one reusable buffer; Data-Out through R2Ts into the command's
 * sink), answers task management, and reports status with residuals.
 *
 * <p>Commands run in order on the connection's thread, except reads and writes (with all their data
 * in the command PDU) of SIMPLE tasks on a unit whose store waits on the network
 * ({@link LogicalUnit#concurrentIo}): those run each on a thread of its own, so that a host's queue of
 * them is served at once, and answer when done, in any order (SAM-5 allows it for SIMPLE tasks). Every
 * other command first waits for those to finish. The connection's thread holds the responder's monitor
 * while it handles a PDU; a running command takes it to send its answer.
 */
final class ScsiTasks {
    /** Task management functions and responses (RFC 7143 sections 11.5, 11.6). */
    static final int ABORT_TASK = 1;
    static final int ABORT_TASK_SET = 2;
    static final int CLEAR_ACA = 3;
    static final int CLEAR_TASK_SET = 4;
    static final int LOGICAL_UNIT_RESET = 5;
    static final int TARGET_WARM_RESET = 6;
    static final int TARGET_COLD_RESET = 7;
    static final int TASK_REASSIGN = 8;
    static final int FUNCTION_COMPLETE = 0;
    static final int TASK_DOES_NOT_EXIST = 1;
    static final int LUN_DOES_NOT_EXIST = 2;
    static final int REASSIGNMENT_NOT_SUPPORTED = 4;
    static final int FUNCTION_NOT_SUPPORTED = 5;

    private static final int EXTENDED_CDB_AHS = 1;
    /** Memory the data sinks of one connection's waiting commands may hold together. */
    static final int MAX_SINK_MEMORY = 4 << 20;
    /** Memory the buffers of one connection's commands running on threads of their own may hold together. */
    static final int MAX_RUNNING_MEMORY = 16 << 20;

    private final Responder out;
    private final OperationalParameters params;
    private final LunTable units;
    private final CommandSet commands;
    private final int ioBufferSize;
    private final int maxTasks;
    private final Map<Integer, WriteTask> tasks = new HashMap<>();
    private int sinkMemory;
    private final WriteTask.TagSource tags = new WriteTask.TagSource();
    private int initiatorMaxSegment;
    private ByteBuffer ioBuffer;
    private int slabTop;
    private final DataCounters counters;
    /** Tags of the commands running on threads of their own; guarded by the responder's monitor. */
    private final Set<Integer> running = new HashSet<>();
    /** Tags of the writes whose data is held until it all arrived ({@link BufferedWrite}), and the bytes each holds. */
    private final Map<Integer, Integer> buffered = new HashMap<>();
    /** What the buffers of running commands and buffered writes hold; guarded by the responder's monitor. */
    private long runningMemory;

    ScsiTasks(Responder out, OperationalParameters params, LunTable units, CommandSet commands, int ioBufferSize,
              int maxTasks, DataCounters counters) {
        this.out = out;
        this.params = params;
        this.units = units;
        this.commands = commands;
        this.ioBufferSize = ioBufferSize;
        this.maxTasks = maxTasks;
        this.initiatorMaxSegment = params.initiatorMaxRecvDataSegmentLength();
        this.counters = counters;
    }

    void initiatorMaxSegment(int length) {
        this.initiatorMaxSegment = length;
    }

    /** A SCSI Command PDU whose CmdSN was accepted. */
    void command(ByteBuffer h, ByteBuffer ahs, ByteBuffer immediateData) throws IOException, ProtocolException {
        int flags = Bhs.flags(h);
        boolean finalPdu = (flags & 0x80) != 0;
        boolean read = (flags & 0x40) != 0;
        boolean write = (flags & 0x20) != 0;
        long lunField = Bhs.lun(h);
        int lun = Luns.decode(lunField);
        int itt = Bhs.initiatorTaskTag(h);
        long expected = h.getInt(20) & 0xffffffffL;
        if (tasks.containsKey(itt) || running.contains(itt)) {
            throw new ProtocolException(ProtocolException.TASK_IN_PROGRESS, "initiator task tag already in use");
        }
        if (immediateData.hasRemaining() && (!write || !params.immediateData())) {
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "immediate data not allowed");
        }
        if (!write && !finalPdu) {
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "unsolicited data announced for a command without data-out");
        }
        if (params.initialR2T() && !finalPdu) {
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "unsolicited Data-Out announced with InitialR2T=Yes");
        }
        ByteBuffer cdb = cdb(h, ahs);
        if (immediateData.hasRemaining()) {
            counters.written().increment(immediateData.remaining());
        }
        if (Connection.LOG.isTraceEnabled()) {
            Connection.LOG.trace("ITT {} LUN {} CDB {} EDTL {}{}{}", Integer.toHexString(itt), lun, hex(cdb), expected,
                    read ? " R" : "", write ? " W" : "");
        }
        long unsolicitedLimit = write ? Math.min(expected, params.firstBurstLength()) : 0;
        boolean concurrent = runsConcurrently(lun, cdb, flags);
        if (!concurrent) {
            awaitRunning();
        }

        Outcome outcome;
        if (tasks.size() + running.size() >= maxTasks) {
            outcome = Outcome.Done.status(ScsiStatus.TASK_SET_FULL);
        } else {
            try {
                outcome = commands.execute(units, new ScsiRequest(lun, cdb, expected, read, write));
            } catch (IOException e) {
                Connection.LOG.warn("command {} on {} failed: {}", String.format("%02x", cdb.get(0)), units.targetName(), e.toString());
                outcome = Outcome.Done.checkCondition(Sense.of(Sense.HARDWARE_ERROR, 0x44, 0x00));
            }
        }

        if (outcome instanceof Outcome.ReceiveData receive && sinkMemory + receive.sink().memory() > MAX_SINK_MEMORY) {
            outcome = Outcome.Done.status(ScsiStatus.TASK_SET_FULL);
        }
        if (concurrent && read && outcome instanceof Outcome.SendBlocks send
                && fitsRunning(Math.min(ioBufferSize, Math.min(send.length(), expected)))) {
            int memory = (int) Math.min(ioBufferSize, Math.min(send.length(), expected));
            start(itt, memory, () -> readConcurrently(itt, send, expected, memory));
            return;
        }
        if (concurrent && write && finalPdu && outcome instanceof Outcome.ReceiveData receive
                && receive.length() == expected && immediateData.remaining() == expected && expected <= unsolicitedLimit
                && fitsRunning(expected)) {
            ByteBuffer data = ByteBuffer.allocateDirect(immediateData.remaining());
            data.put(immediateData.duplicate()).flip();
            start(itt, data.capacity(), () -> writeConcurrently(itt, receive, data));
            return;
        }
        switch (outcome) {
            case Outcome.ReceiveData receive -> {
                long needed = write ? Math.min(expected, receive.length()) : 0;
                DataSink sink = receive.sink();
                if (concurrent && needed > 0 && fitsRunning(needed)) {
                    sink = new BufferedWrite(sink, (int) needed);
                    buffered.put(itt, (int) needed);
                    runningMemory += needed;
                }
                WriteTask task = new WriteTask(itt, lunField, lun, receive.length(), expected, needed, sink,
                        null, unsolicitedLimit, !finalPdu);
                start(task, immediateData);
            }
            case Outcome.Done done when write && expected > 0 && (!finalPdu || immediateData.hasRemaining()) -> {
                // the initiator sends data the command does not take: drain it, then answer
                WriteTask task = new WriteTask(itt, lunField, lun, done.length(), expected, 0, null, done,
                        unsolicitedLimit, !finalPdu);
                start(task, immediateData);
            }
            case Outcome.Done done -> respond(itt, done, expected, read, 0);
            case Outcome.SendBlocks send -> sendBlocks(itt, send, expected);
        }
    }

    /** Whether the command may run on a thread of its own: a read or write of a SIMPLE task on a unit whose I/O waits on the network. */
    private boolean runsConcurrently(int lun, ByteBuffer cdb, int flags) {
        int attribute = flags & 0x07;
        if (attribute > 1 || !CommandSet.transfersBlocks(cdb.get(0) & 0xff)) {
            return false;                                   // only untagged and SIMPLE tasks may overtake each other
        }
        LogicalUnit unit = units.unit(lun);
        return unit != null && unit.concurrentIo();
    }

    /** Whether another running command may hold {@code memory} bytes of buffers (else it runs in order). */
    private boolean fitsRunning(long memory) {
        return runningMemory + memory <= MAX_RUNNING_MEMORY;
    }

    /** Runs a command holding {@code memory} bytes of buffers on a thread of its own; it answers, then forgets its tag. */
    private void start(int itt, int memory, Runnable command) {
        running.add(itt);
        runningMemory += memory;
        Thread.ofVirtual().name("iscsi-io-", itt & 0xffffffffL).start(() -> {
            try {
                command.run();
            } finally {
                synchronized (out) {
                    running.remove(itt);
                    runningMemory -= memory;
                    out.notifyAll();
                }
            }
        });
    }

    /** Waits until no command runs on a thread of its own (called by the connection's thread, which holds the monitor). */
    void awaitRunning() throws InterruptedIOException {
        synchronized (out) {
            while (!running.isEmpty()) {
                try {
                    out.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while commands still ran");
                }
            }
        }
    }

    /** What a running command sends, under the responder's monitor; the answer leaves at once. */
    private interface Answer {
        int send() throws IOException;
    }

    /** Sends an answer of a running command; false when the connection is gone (the command's answer with it). */
    private int answer(Answer answer) {
        synchronized (out) {
            try {
                int next = answer.send();
                out.flush();
                return next;
            } catch (IOException e) {
                Connection.LOG.debug("answer of a running command not sent: {}", e.toString());
                return -1;
            }
        }
    }

    /** A READ on a thread of its own: the unit's bytes through a buffer of its own, as {@link #sendBlocks}. */
    private void readConcurrently(int itt, Outcome.SendBlocks send, long expected, int bufferSize) {
        long produced = send.length();
        long total = Math.min(produced, expected);
        if (total == 0) {
            answer(() -> {
                sendStatus(itt, ScsiStatus.GOOD, null, produced, expected, 0);
                return 0;
            });
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(bufferSize);
        long offset = 0;
        int dataSn = 0;
        while (offset < total) {
            int chunk = (int) Math.min(buffer.capacity(), total - offset);
            ByteBuffer piece = buffer.clear().limit(chunk);
            try {
                send.unit().read(piece, send.position() + offset);
            } catch (IOException e) {
                Connection.LOG.warn("read of {} failed: {}", send.unit(), e.toString());
                int sn = dataSn;
                answer(() -> {
                    sendStatus(itt, ScsiStatus.CHECK_CONDITION, Sense.unrecoveredReadError(), 0, 0, sn);
                    return 0;
                });
                return;
            }
            piece.flip();
            long at = offset;
            int sn = dataSn;
            int status = at + chunk == total ? ScsiStatus.GOOD : -1;
            dataSn = answer(() -> streamPieces(itt, piece, at, total, status, produced, expected, sn));
            if (dataSn < 0) {
                return;
            }
            offset += chunk;
        }
    }

    /** The end of a buffered write, on a thread of its own: its data into the unit, then the status, as {@link #progress}. */
    private void finishConcurrently(WriteTask task) {
        Outcome.Done done;
        try {
            done = task.finish();
        } catch (IOException e) {
            Connection.LOG.warn("write failed: {}", e.toString());
            done = Outcome.Done.checkCondition(Sense.writeError());
        }
        Outcome.Done result = done;
        long produced = result.status() == ScsiStatus.GOOD || result.sense() == null ? task.commandLength : result.length();
        answer(() -> {
            sendStatus(task.itt, result.status(), result.sense(), produced, task.expectedLength, task.r2tCount());
            return 0;
        });
    }

    /** A WRITE whose data all came with the command, on a thread of its own: into the sink, then the status. */
    private void writeConcurrently(int itt, Outcome.ReceiveData receive, ByteBuffer data) {
        long length = receive.length();
        Outcome.Done done;
        try {
            receive.sink().accept(0, data);
            done = receive.sink().finish(length);
        } catch (ScsiException e) {
            done = Outcome.Done.checkCondition(e.sense());
        } catch (IOException e) {
            Connection.LOG.warn("write failed: {}", e.toString());
            done = Outcome.Done.checkCondition(Sense.writeError());
        }
        Outcome.Done result = done;
        long produced = result.status() == ScsiStatus.GOOD || result.sense() == null ? length : result.length();
        answer(() -> {
            sendStatus(itt, result.status(), result.sense(), produced, length, 0);
            return 0;
        });
    }

    private void start(WriteTask task, ByteBuffer immediateData) throws IOException, ProtocolException {
        task.immediate(immediateData);
        tasks.put(task.itt, task);
        sinkMemory += task.memory();
        progress(task);
    }

    private void forget(WriteTask task) {
        if (tasks.remove(task.itt) != null) {
            sinkMemory -= task.memory();
        }
        release(task);
    }

    /** Gives back the memory of a task's buffered data. */
    private void release(WriteTask task) {
        Integer memory = buffered.remove(task.itt);
        if (memory != null) {
            runningMemory -= memory;
        }
    }

    /** A Data-Out PDU. */
    void dataOut(ByteBuffer h, ByteBuffer data) throws IOException, ProtocolException {
        int itt = Bhs.initiatorTaskTag(h);
        counters.written().increment(data.remaining());
        WriteTask task = tasks.get(itt);
        if (task == null) {
            return;                                                    // its task was aborted: drop the data
        }
        int ttt = h.getInt(20);
        int dataSn = h.getInt(36);
        long offset = h.getInt(40) & 0xffffffffL;
        boolean last = Bhs.isFinal(h);
        if (ttt == Bhs.RESERVED_TAG) {
            task.unsolicited(dataSn, offset, last, data);
        } else {
            task.solicited(ttt, dataSn, offset, last, data);
        }
        progress(task);
    }

    private void progress(WriteTask task) throws IOException {
        task.solicit(out, tags, params.maxBurstLength(), params.maxOutstandingR2T());
        if (task.complete()) {
            Integer memory = buffered.get(task.itt);
            forget(task);
            if (memory != null) {
                start(task.itt, memory, () -> finishConcurrently(task));
                return;
            }
            Outcome.Done done = task.finish();
            long produced = done.status() == ScsiStatus.GOOD || done.sense() == null ? task.commandLength : done.length();
            sendStatus(task.itt, done.status(), done.sense(), produced, task.expectedLength, task.r2tCount());
        }
    }

    private void respond(int itt, Outcome.Done done, long expected, boolean read, int dataSn) throws IOException {
        ByteBuffer data = done.dataIn();
        long produced = data.remaining();
        long send = read ? Math.min(produced, expected) : 0;
        if (send > 0 && done.sense() == null) {
            ByteBuffer piece = data.slice(data.position(), (int) send);
            streamPieces(itt, piece, 0, send, done.status(), produced, expected, dataSn);
        } else {
            sendStatus(itt, done.status(), done.sense(), done.sense() == null ? produced : 0, expected, dataSn);
        }
    }

    private void sendStatus(int itt, int status, Sense sense, long produced, long expected, int expDataSn) throws IOException {
        out.scsiResponse(itt, status, sense, Responder.residualFlags(produced, expected),
                Responder.residualCount(produced, expected), expDataSn);
    }

    /**
     * READ: the unit's bytes through the I/O buffer, in Data-In PDUs, status in the last. Small
     * reads take consecutive pieces of the buffer, so that the answers to pipelined commands leave
     * in one write; a read larger than the buffer goes out a buffer at a time.
     */
    private void sendBlocks(int itt, Outcome.SendBlocks send, long expected) throws IOException {
        long produced = send.length();
        long total = Math.min(produced, expected);
        if (total == 0) {
            sendStatus(itt, ScsiStatus.GOOD, null, produced, expected, 0);
            return;
        }
        LogicalUnit unit = send.unit();
        long offset = 0;
        int dataSn = 0;
        while (offset < total) {
            ByteBuffer buffer = slab((int) Math.min(ioBufferSize, total - offset));
            int chunk = buffer.remaining();
            try {
                unit.read(buffer, send.position() + offset);
            } catch (IOException e) {
                Connection.LOG.warn("read of {} failed: {}", unit, e.toString());
                sendStatus(itt, ScsiStatus.CHECK_CONDITION, Sense.unrecoveredReadError(), 0, 0, dataSn);
                return;
            }
            buffer.flip();
            boolean lastChunk = offset + chunk == total;
            dataSn = streamPieces(itt, buffer, offset, total, lastChunk ? ScsiStatus.GOOD : -1, produced, expected, dataSn);
            offset += chunk;
        }
    }

    /** The next {@code length} bytes of the I/O buffer; writes out what is queued first when they would overlap it. */
    private ByteBuffer slab(int length) throws IOException {
        if (ioBuffer == null) {
            ioBuffer = ByteBuffer.allocateDirect(ioBufferSize);
        }
        if (!out.pending()) {
            slabTop = 0;                                    // nothing queued still points into it
        } else if (ioBuffer.capacity() - slabTop < length) {
            out.flush();
            slabTop = 0;
        }
        ByteBuffer piece = ioBuffer.slice(slabTop, length);
        slabTop += length;
        return piece;
    }

    /**
     * Queues {@code chunk} (which starts at {@code offset} of a transfer of {@code total} bytes) as
     * Data-In PDUs no longer than the initiator accepts, F at every MaxBurstLength boundary, and
     * the status in the transfer's last PDU when {@code status} >= 0.
     *
     * @return the next DataSN
     */
    private int streamPieces(int itt, ByteBuffer chunk, long offset, long total, int status, long produced,
                             long expected, int dataSn) throws IOException {
        int burst = params.maxBurstLength();
        int at = 0;
        int length = chunk.remaining();
        counters.read().increment(length);
        while (at < length) {
            long absolute = offset + at;
            int n = (int) Math.min(Math.min(initiatorMaxSegment, length - at), burst - absolute % burst);
            boolean last = absolute + n == total;
            boolean endOfBurst = (absolute + n) % burst == 0;
            ByteBuffer piece = chunk.slice(chunk.position() + at, n);
            if (last && status >= 0) {
                out.dataIn(itt, dataSn++, absolute, piece, true, status, Responder.residualFlags(produced, expected),
                        Responder.residualCount(produced, expected));
            } else {
                out.dataIn(itt, dataSn++, absolute, piece, endOfBurst || last, -1, 0, 0);
            }
            at += n;
        }
        return dataSn;
    }

    /** A Task Management Function Request whose CmdSN was accepted. */
    boolean taskManagement(ByteBuffer h) throws IOException {
        awaitRunning();                                      // running commands answer before the function does
        int function = h.get(1) & 0x7f;
        int itt = Bhs.initiatorTaskTag(h);
        int lun = Luns.decode(Bhs.lun(h));
        int referenced = h.getInt(20);
        boolean closeAfter = false;
        int response;
        switch (function) {
            case ABORT_TASK -> {
                WriteTask task = tasks.get(referenced);
                if (task != null) {
                    forget(task);
                }
                response = task != null ? FUNCTION_COMPLETE : TASK_DOES_NOT_EXIST;
            }
            case ABORT_TASK_SET, CLEAR_TASK_SET -> {
                abortAll(lun);
                response = FUNCTION_COMPLETE;
            }
            case LOGICAL_UNIT_RESET -> {
                if (units.unit(lun) == null) {
                    response = LUN_DOES_NOT_EXIST;
                } else {
                    abortAll(lun);
                    response = FUNCTION_COMPLETE;
                }
            }
            case TARGET_WARM_RESET -> {
                abortEverything();
                response = FUNCTION_COMPLETE;
            }
            case TARGET_COLD_RESET -> {
                abortEverything();
                response = FUNCTION_COMPLETE;
                closeAfter = true;
            }
            case TASK_REASSIGN -> response = REASSIGNMENT_NOT_SUPPORTED;
            default -> response = FUNCTION_NOT_SUPPORTED;
        }
        out.taskManagementResponse(itt, response);
        return closeAfter;
    }

    private void abortAll(int lun) {
        for (Iterator<WriteTask> it = tasks.values().iterator(); it.hasNext(); ) {
            WriteTask task = it.next();
            if (task.lun == lun) {
                it.remove();
                sinkMemory -= task.memory();
                release(task);
            }
        }
    }

    /** The connection ended: waits for the commands still running (their answers go nowhere now), forgets the rest. */
    void end() {
        try {
            abortEverything();
        } catch (InterruptedIOException e) {
            Connection.LOG.debug("connection ended while commands still ran: {}", e.toString());
        }
    }

    void abortEverything() throws InterruptedIOException {
        awaitRunning();
        tasks.clear();
        sinkMemory = 0;
        buffered.clear();
        runningMemory = 0;
    }

    private static String hex(ByteBuffer b) {
        StringBuilder s = new StringBuilder();
        for (int i = b.position(); i < b.limit(); i++) {
            s.append(String.format("%02x", b.get(i)));
        }
        return s.toString();
    }

    /** The CDB: 16 bytes from the header, longer with an extended CDB additional header segment. */
    private static ByteBuffer cdb(ByteBuffer h, ByteBuffer ahs) throws ProtocolException {
        ByteBuffer base = h.slice(32, 16);
        if (!ahs.hasRemaining()) {
            return base;
        }
        int at = 0;
        while (at + 4 <= ahs.limit()) {
            int length = ahs.getShort(at) & 0xffff;
            int type = ahs.get(at + 2) & 0xff;
            if (at + 3 + length > ahs.limit()) {
                throw new ProtocolException(ProtocolException.INVALID_PDU_FIELD, "malformed additional header segment");
            }
            if (type == EXTENDED_CDB_AHS && length > 1) {
                ByteBuffer full = ByteBuffer.allocate(16 + length - 1);
                full.put(base.duplicate()).put(ahs.slice(at + 4, length - 1)).flip();
                return full;
            }
            at += (3 + length + 3) & ~3;
        }
        return base;
    }
}
