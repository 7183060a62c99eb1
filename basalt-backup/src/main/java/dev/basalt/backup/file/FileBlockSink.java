package dev.basalt.backup.file;

import static java.util.Objects.requireNonNull;

import com.sun.jna.LastErrorException;
import dev.basalt.backup.BlockSink;
import dev.basalt.backup.ByteRange;
import dev.basalt.nativeio.Libc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A local file as a restore target. {@link #fresh} is a target known to read as zeros (a newly
 * created sparse volume): the restore skips zero chunks and zero blocks, so holes stay holes.
 * {@link #existing} is a target with old bytes: ranges that must read as zero get a hole punched
 * (fallocate {@code PUNCH_HOLE|KEEP_SIZE}) or, where the filesystem cannot punch, zeros written.
 */
public final class FileBlockSink implements BlockSink {
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final int ZERO_BUFFER = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final boolean readsAsZeros;
    private volatile boolean punchUnsupported = !Libc.BOUND;

    private FileBlockSink(Path file, boolean readsAsZeros) throws IOException {
        this.file = requireNonNull(file, "file");
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
        this.readsAsZeros = readsAsZeros;
    }

    /** A target that reads as zeros everywhere (created sparse and never written). */
    public static FileBlockSink fresh(Path file) throws IOException {
        return new FileBlockSink(file, true);
    }

    /** A target holding old bytes: everything the backup has as zero is zeroed. */
    public static FileBlockSink existing(Path file) throws IOException {
        return new FileBlockSink(file, false);
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public boolean readsAsZeros() {
        return readsAsZeros;
    }

    @Override
    public void write(long offset, ByteBuffer buffer) throws IOException {
        long position = offset;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    @Override
    public void zero(ByteRange range) throws IOException {
        if (range.length() == 0) {
            return;
        }
        if (!punchUnsupported && punch(range)) {
            return;
        }
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZERO_BUFFER, range.length()));
        long position = range.offset();
        while (position < range.end()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), range.end() - position));
            write(position, zeros);
            position += zeros.limit();
        }
    }

    private boolean punch(ByteRange range) throws IOException {
        int fd = Libc.open(file, Libc.O_WRONLY);
        try {
            while (true) {
                try {
                    Libc.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, range.offset(), range.length());
                    return true;
                } catch (LastErrorException e) {
                    switch (e.getErrorCode()) {
                        case Libc.EINTR -> {
                            // try again
                        }
                        case Libc.EOPNOTSUPP, Libc.ENOSYS -> {
                            punchUnsupported = true;
                            return false;
                        }
                        default -> throw Libc.failure("fallocate PUNCH_HOLE", file, e);
                    }
                }
            }
        } finally {
            Libc.close(fd, file);
        }
    }

    @Override
    public void sync() throws IOException {
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return (readsAsZeros ? "fresh file " : "file ") + file;
    }
}
