package dev.basalt.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The data sinks of the block commands. */
final class Sinks {
    private Sinks() {
    }

    /** Writes data through to the unit, only up to {@code limit} bytes (whole blocks the initiator sends). */
    static final class Write implements DataSink {
        private final LogicalUnit unit;
        private final long position;
        private final long limit;
        private final boolean fua;

        Write(LogicalUnit unit, long position, long limit, boolean fua) {
            this.unit = unit;
            this.position = position;
            this.limit = limit;
            this.fua = fua;
        }

        @Override
        public void accept(long offset, ByteBuffer data) throws IOException {
            if (offset >= limit) {
                return;
            }
            if (data.remaining() > limit - offset) {
                data = data.slice(data.position(), (int) (limit - offset));
            }
            unit.write(data, position + offset);
        }

        @Override
        public Outcome.Done finish(long received) throws IOException {
            if (fua) {
                unit.flush();
            }
            return Outcome.Done.good();
        }
    }

    /**
     * Compares data with the unit's blocks (VERIFY with BYTCHK): each byte with the same byte of the
     * range, or, for a single-block pattern, the one block with every block of the range.
     */
    static final class Compare implements DataSink {
        private final LogicalUnit unit;
        private final long position;
        private final long rangeLength;
        private final boolean singleBlock;
        private ByteBuffer scratch;
        private long miscompare = -1;
        private byte[] pattern;

        Compare(LogicalUnit unit, long position, long rangeLength, boolean singleBlock) {
            this.unit = unit;
            this.position = position;
            this.rangeLength = rangeLength;
            this.singleBlock = singleBlock;
        }

        @Override
        public void accept(long offset, ByteBuffer data) throws IOException {
            if (singleBlock) {
                if (pattern == null) {
                    pattern = new byte[LogicalUnit.BLOCK_SIZE];
                }
                int n = (int) Math.min(data.remaining(), LogicalUnit.BLOCK_SIZE - offset);
                if (n > 0) {
                    data.get(data.position(), pattern, (int) offset, n);
                }
                return;
            }
            if (miscompare >= 0 || offset >= rangeLength) {
                return;
            }
            int length = (int) Math.min(data.remaining(), rangeLength - offset);
            int done = 0;
            while (done < length && miscompare < 0) {
                int n = Math.min(length - done, scratch().capacity());
                ByteBuffer medium = scratch.clear().limit(n);
                unit.read(medium, position + offset + done);
                medium.flip();
                int mismatch = medium.mismatch(data.slice(data.position() + done, n));
                if (mismatch >= 0) {
                    miscompare = offset + done + mismatch;
                }
                done += n;
            }
        }

        @Override
        public Outcome.Done finish(long received) throws IOException {
            if (singleBlock && received >= LogicalUnit.BLOCK_SIZE) {
                ByteBuffer expected = ByteBuffer.wrap(pattern);
                for (long at = 0; at < rangeLength && miscompare < 0; at += LogicalUnit.BLOCK_SIZE) {
                    ByteBuffer medium = scratch().clear().limit(LogicalUnit.BLOCK_SIZE);
                    unit.read(medium, position + at);
                    medium.flip();
                    int mismatch = medium.mismatch(expected);
                    if (mismatch >= 0) {
                        miscompare = mismatch;
                    }
                }
            }
            if (miscompare >= 0) {
                return Outcome.Done.checkCondition(Sense.miscompare(miscompare));
            }
            return Outcome.Done.good();
        }

        private ByteBuffer scratch() {
            if (scratch == null) {
                scratch = ByteBuffer.allocate(memory());
            }
            return scratch;
        }

        @Override
        public int memory() {
            return (int) Math.min(Math.max(rangeLength, LogicalUnit.BLOCK_SIZE), 64 * 1024) + LogicalUnit.BLOCK_SIZE;
        }
    }

    /** What a command does with its parameter data once all of it arrived. */
    @FunctionalInterface
    interface Handler {
        Outcome.Done apply(ByteBuffer data) throws IOException, ScsiException;
    }

    /**
     * Collects a small parameter list or pattern (at most 64 KiB, the largest such CDB field), then
     * hands it on. The buffer is taken when the first data arrives.
     */
    static final class Collect implements DataSink {
        private final int length;
        private final Handler handler;
        private ByteBuffer buffer;

        Collect(int length, Handler handler) {
            this.length = length;
            this.handler = handler;
        }

        @Override
        public void accept(long offset, ByteBuffer data) {
            if (offset >= length) {
                return;
            }
            if (buffer == null) {
                buffer = ByteBuffer.allocate(length);
            }
            int n = (int) Math.min(data.remaining(), length - offset);
            buffer.put((int) offset, data, data.position(), n);
        }

        @Override
        public Outcome.Done finish(long received) throws IOException, ScsiException {
            ByteBuffer all = buffer == null ? ByteBuffer.allocate(0) : buffer;
            return handler.apply(all.slice(0, (int) Math.min(received, all.capacity())));
        }

        @Override
        public int memory() {
            return length;
        }
    }
}
