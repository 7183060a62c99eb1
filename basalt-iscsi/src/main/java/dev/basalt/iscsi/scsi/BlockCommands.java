package dev.basalt.iscsi.scsi;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The SBC-3 commands that touch blocks: READ, WRITE, WRITE AND VERIFY, VERIFY, SYNCHRONIZE CACHE,
 * PRE-FETCH, WRITE SAME, UNMAP and GET LBA STATUS.
 */
final class BlockCommands {
    private static final int SHIFT = LogicalUnit.BLOCK_SHIFT;
    /** How many ranges of one UNMAP a unit whose I/O waits on the network deallocates at once. */
    private static final int DEALLOCATIONS_AT_ONCE = 32;

    private BlockCommands() {
    }

    /** LBA, block count and flag byte of a READ/WRITE/VERIFY style CDB; {@code lengthField} indexes the count. */
    record Extent(long lba, long blocks, int flags, int lengthField) {
    }

    static Extent extent(ByteBuffer cdb) {
        int opcode = Cdb.u8(cdb, 0);
        return switch (opcode >>> 5) {
            case 0 -> {                                                // 6-byte CDB
                int n = Cdb.u8(cdb, 4);
                yield new Extent(Cdb.u24(cdb, 1) & 0x1fffff, n == 0 ? 256 : n, 0, 4);
            }
            case 1, 2 -> new Extent(Cdb.u32(cdb, 2), Cdb.u16(cdb, 7), Cdb.u8(cdb, 1), 7);   // 10-byte
            case 5 -> new Extent(Cdb.u32(cdb, 2), Cdb.u32(cdb, 6), Cdb.u8(cdb, 1), 6);      // 12-byte
            case 4 -> new Extent(Cdb.u64(cdb, 2), Cdb.u32(cdb, 10), Cdb.u8(cdb, 1), 10);    // 16-byte
            default -> throw new IllegalArgumentException("not a block command: " + opcode);
        };
    }

    static void checkRange(LogicalUnit unit, long lba, long blocks) throws ScsiException {
        long capacity = unit.blocks();
        if (Long.compareUnsigned(lba, capacity) > 0 || Long.compareUnsigned(blocks, capacity - lba) > 0) {
            throw new ScsiException(Sense.lbaOutOfRange());
        }
    }

    private static void checkTransferLength(Extent e) throws ScsiException {
        if (e.blocks() > BlockLimits.MAX_TRANSFER_BLOCKS) {
            throw new ScsiException(Sense.invalidFieldInCdb(e.lengthField()));
        }
    }

    private static void checkWritable(LogicalUnit unit) throws ScsiException {
        if (unit.readOnly()) {
            throw new ScsiException(Sense.writeProtected());
        }
    }

    /** READ (6), (10), (12), (16). RDPROTECT must be 0: there is no protection information. */
    static Outcome read(LogicalUnit unit, ByteBuffer cdb) throws ScsiException {
        Extent e = extent(cdb);
        Cdb.requireClear(cdb, 1, cdb.get(0) == 0x08 ? 0 : 0xe0);
        checkTransferLength(e);
        checkRange(unit, e.lba(), e.blocks());
        IoThrottle throttle = unit.throttle();
        if (throttle != null) {
            throttle.admit(false, e.blocks() << SHIFT);
        }
        return new Outcome.SendBlocks(unit, e.lba() << SHIFT, e.blocks() << SHIFT);
    }

    /** WRITE (6), (10), (12), (16) and WRITE AND VERIFY (10), (12), (16); FUA makes the data durable first. */
    static Outcome write(LogicalUnit unit, ScsiRequest request) throws ScsiException {
        ByteBuffer cdb = request.cdb();
        Extent e = extent(cdb);
        boolean six = cdb.get(0) == 0x0a;
        if (!six) {
            Cdb.requireClear(cdb, 1, 0xe0);                            // WRPROTECT
        }
        checkTransferLength(e);
        checkRange(unit, e.lba(), e.blocks());
        checkWritable(unit);
        long length = e.blocks() << SHIFT;
        long accepted = Math.min(length, request.expectedLength() & ~(long) (LogicalUnit.BLOCK_SIZE - 1));
        boolean fua = (e.flags() & 0x08) != 0 && !six;
        IoThrottle throttle = unit.throttle();
        if (throttle != null) {
            throttle.admit(true, length);
        }
        return new Outcome.ReceiveData(length, new Sinks.Write(unit, e.lba() << SHIFT, accepted, fua));
    }

    /** VERIFY (10), (12), (16): BYTCHK 0 checks the range, 1 compares every byte, 3 compares one block with all. */
    static Outcome verify(LogicalUnit unit, ByteBuffer cdb) throws ScsiException {
        Extent e = extent(cdb);
        Cdb.requireClear(cdb, 1, 0xe0);                                // VRPROTECT
        int byteCheck = (e.flags() >>> 1) & 0x03;
        if (byteCheck == 2) {
            throw new ScsiException(Sense.invalidFieldInCdb(1));
        }
        checkTransferLength(e);
        checkRange(unit, e.lba(), e.blocks());
        long length = e.blocks() << SHIFT;
        return switch (byteCheck) {
            case 0 -> Outcome.Done.good();
            case 1 -> new Outcome.ReceiveData(length, new Sinks.Compare(unit, e.lba() << SHIFT, length, false));
            default -> new Outcome.ReceiveData(e.blocks() == 0 ? 0 : LogicalUnit.BLOCK_SIZE,
                    new Sinks.Compare(unit, e.lba() << SHIFT, length, true));
        };
    }

    /** SYNCHRONIZE CACHE (10), (16): makes every completed write durable (the range is checked, then the file synced). */
    static Outcome synchronizeCache(LogicalUnit unit, ByteBuffer cdb) throws IOException, ScsiException {
        Extent e = cdb.get(0) == 0x35 ? new Extent(Cdb.u32(cdb, 2), Cdb.u16(cdb, 7), Cdb.u8(cdb, 1), 7)
                : new Extent(Cdb.u64(cdb, 2), Cdb.u32(cdb, 10), Cdb.u8(cdb, 1), 10);
        Cdb.requireClear(cdb, 1, 0xf9);
        checkRange(unit, e.lba(), e.blocks());
        if (!unit.readOnly()) {
            unit.flush();
        }
        return Outcome.Done.good();
    }

    /** PRE-FETCH (10), (16): the page cache already does read-ahead; the range is checked. */
    static Outcome prefetch(LogicalUnit unit, ByteBuffer cdb) throws ScsiException {
        Extent e = cdb.get(0) == 0x34 ? new Extent(Cdb.u32(cdb, 2), Cdb.u16(cdb, 7), Cdb.u8(cdb, 1), 7)
                : new Extent(Cdb.u64(cdb, 2), Cdb.u32(cdb, 10), Cdb.u8(cdb, 1), 10);
        Cdb.requireClear(cdb, 1, 0xfd);
        checkRange(unit, e.lba(), e.blocks());
        return Outcome.Done.good();
    }

    /**
     * WRITE SAME (10), (16): one block (or zeros with NDOB) written over the range. With UNMAP and a
     * block of zeros the range is deallocated instead (it reads back as zeros: LBPRZ).
     */
    static Outcome writeSame(LogicalUnit unit, ScsiRequest request) throws IOException, ScsiException {
        ByteBuffer cdb = request.cdb();
        boolean sixteen = cdb.get(0) == (byte) 0x93;
        int flags = Cdb.u8(cdb, 1);
        // WRPROTECT, ANCHOR (not supported), PBDATA and LBDATA (no protection information)
        Cdb.requireClear(cdb, 1, sixteen ? 0xf6 : 0xf7);
        boolean unmap = (flags & 0x08) != 0;
        boolean noDataOut = sixteen && (flags & 0x01) != 0;
        long lba = sixteen ? Cdb.u64(cdb, 2) : Cdb.u32(cdb, 2);
        long blocks = sixteen ? Cdb.u32(cdb, 10) : Cdb.u16(cdb, 7);
        int lengthField = sixteen ? 10 : 7;
        if (blocks == 0 || blocks > BlockLimits.MAX_WRITE_SAME_BLOCKS) {
            throw new ScsiException(Sense.invalidFieldInCdb(lengthField));   // WSNZ: zero blocks is not "to the end"
        }
        checkRange(unit, lba, blocks);
        checkWritable(unit);
        if (unmap && !unit.thinProvisioned()) {
            throw new ScsiException(Sense.invalidFieldInCdb(1));
        }
        long position = lba << SHIFT;
        long length = blocks << SHIFT;
        if (noDataOut) {
            fillZeros(unit, position, length, unmap);
            return Outcome.Done.good();
        }
        if (request.expectedLength() != LogicalUnit.BLOCK_SIZE) {
            throw new ScsiException(Sense.invalidFieldInInformationUnit());
        }
        return new Outcome.ReceiveData(LogicalUnit.BLOCK_SIZE, new Sinks.Collect(LogicalUnit.BLOCK_SIZE, block -> {
            if (block.remaining() < LogicalUnit.BLOCK_SIZE) {
                return Outcome.Done.checkCondition(Sense.invalidFieldInInformationUnit());
            }
            if (isZero(block)) {
                fillZeros(unit, position, length, unmap);
            } else {
                fillPattern(unit, position, length, block);
            }
            return Outcome.Done.good();
        }));
    }

    private static void fillZeros(LogicalUnit unit, long position, long length, boolean unmap) throws IOException {
        if (unmap) {
            unit.deallocate(position, length);
        } else {
            unit.writeZeros(position, length);
        }
    }

    private static void fillPattern(LogicalUnit unit, long position, long length, ByteBuffer block) throws IOException {
        int repeat = (int) Math.min(length, 256 * 1024) >>> SHIFT;
        ByteBuffer pattern = ByteBuffer.allocateDirect(repeat << SHIFT);
        for (int i = 0; i < repeat; i++) {
            pattern.put(block.duplicate());
        }
        for (long at = 0; at < length; ) {
            int n = (int) Math.min(pattern.capacity(), length - at);
            unit.write(pattern.clear().limit(n), position + at);
            at += n;
        }
    }

    private static boolean isZero(ByteBuffer b) {
        for (int i = b.position(); i < b.limit(); i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** UNMAP: every descriptor checked first, then each range deallocated. */
    static Outcome unmap(LogicalUnit unit, ByteBuffer cdb) throws ScsiException {
        Cdb.requireClear(cdb, 1, 0x01);                                // ANCHOR not supported
        int parameterLength = Cdb.u16(cdb, 7);
        checkWritable(unit);
        if (!unit.thinProvisioned()) {
            throw new ScsiException(Sense.invalidOpcode());
        }
        if (parameterLength == 0) {
            return Outcome.Done.good();
        }
        if (parameterLength < 8) {
            throw new ScsiException(Sense.parameterListLengthError());
        }
        return new Outcome.ReceiveData(parameterLength, new Sinks.Collect(parameterLength, list -> unmapList(unit, list)));
    }

    private static Outcome.Done unmapList(LogicalUnit unit, ByteBuffer list) throws IOException, ScsiException {
        if (list.remaining() < 8) {
            throw new ScsiException(Sense.parameterListLengthError());
        }
        int descriptorBytes = Cdb.u16(list, 2);
        int count = Math.min(descriptorBytes, list.remaining() - 8) / 16;
        if (count > BlockLimits.MAX_UNMAP_DESCRIPTORS) {
            throw new ScsiException(Sense.invalidFieldInParameterList(2));
        }
        long total = 0;
        for (int i = 0; i < count; i++) {
            int at = 8 + 16 * i;
            long lba = Cdb.u64(list, at);
            long blocks = Cdb.u32(list, at + 8);
            checkRange(unit, lba, blocks);
            total += blocks;
        }
        if (total > BlockLimits.MAX_UNMAP_BLOCKS) {
            throw new ScsiException(Sense.invalidFieldInParameterList(8));
        }
        List<ByteRange> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = 8 + 16 * i;
            ranges.add(new ByteRange(Cdb.u64(list, at) << SHIFT, Cdb.u32(list, at + 8) << SHIFT));
        }
        deallocate(unit, ranges);
        return Outcome.Done.good();
    }

    /** A byte range of a unit. */
    private record ByteRange(long position, long length) {
    }

    /**
     * Deallocates the ranges: several at once on a unit whose I/O waits on the network (an UNMAP of 256
     * one-block descriptors on an RBD image took 256 round trips one after another, 0.35 s), one after
     * another on the others. Their order does not matter: every one of them ends reading as zeros.
     */
    private static void deallocate(LogicalUnit unit, List<ByteRange> ranges) throws IOException {
        if (!unit.concurrentIo() || ranges.size() < 2) {
            for (ByteRange range : ranges) {
                unit.deallocate(range.position(), range.length());
            }
            return;
        }
        Semaphore slots = new Semaphore(DEALLOCATIONS_AT_ONCE);
        List<Future<Void>> done = new ArrayList<>(ranges.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ByteRange range : ranges) {
                done.add(threads.submit(() -> {
                    slots.acquire();
                    try {
                        unit.deallocate(range.position(), range.length());
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (Future<Void> each : done) {
                each.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while deallocating");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    /**
     * GET LBA STATUS: mapped and deallocated extents from the store's allocation map (for a file:
     * SEEK_DATA / SEEK_HOLE; everything mapped for a store without one).
     */
    static Outcome getLbaStatus(LogicalUnit unit, ByteBuffer cdb) throws IOException, ScsiException {
        long lba = Cdb.u64(cdb, 2);
        long allocation = Cdb.u32(cdb, 10);
        long capacity = unit.blocks();
        if (Long.compareUnsigned(lba, capacity) >= 0) {
            throw new ScsiException(Sense.lbaOutOfRange());
        }
        int room = (int) Math.max(1, Math.min(64, (allocation - 8) / 16));
        ByteBuffer out = ByteBuffer.allocate(8 + 16 * room);
        BackingStore file = unit.store();
        long end = capacity << SHIFT;
        long at = lba << SHIFT;
        int n = 0;
        while (at < end && n < room) {
            long data = file.nextData(at);
            long next;
            int status;
            if (data == at) {
                next = Math.min(end, roundUp(file.nextHole(at)));
                status = 0;                                             // mapped
            } else {
                next = data < 0 ? end : Math.min(end, data & ~(long) (LogicalUnit.BLOCK_SIZE - 1));
                status = 1;                                             // deallocated
            }
            if (next <= at) {
                next = Math.min(end, at + LogicalUnit.BLOCK_SIZE);
            }
            long blocks = Math.min((next - at) >>> SHIFT, 0xffffffffL);
            int d = 8 + 16 * n;
            out.putLong(d, at >>> SHIFT);
            out.putInt(d + 8, (int) blocks);
            out.put(d + 12, (byte) status);
            at += blocks << SHIFT;
            n++;
        }
        out.putInt(0, 4 + 16 * n);
        byte[] data = new byte[8 + 16 * n];
        out.get(0, data);
        return Outcome.Done.good(data, allocation);
    }

    private static long roundUp(long offset) {
        if (offset == Long.MAX_VALUE) {
            return offset;
        }
        return (offset + LogicalUnit.BLOCK_SIZE - 1) & ~(long) (LogicalUnit.BLOCK_SIZE - 1);
    }
}
