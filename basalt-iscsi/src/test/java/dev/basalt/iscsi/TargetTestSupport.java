package dev.basalt.iscsi;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A running target on a free port of 127.0.0.1 with one export: LUN 0 (16 MiB, a known pattern) and LUN 1 (1 MiB scratch). */
abstract class TargetTestSupport {
    static final String IQN = "iqn.2024-01.dev.basalt:disk";
    static final int DISK_BLOCKS = 32768;

    @TempDir
    Path dir;
    Path disk;
    Path scratch;
    IscsiTarget target;
    /** Where {@link #target} measures itself. */
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    TargetConfig config() {
        return TargetConfig.defaults().withAddress("127.0.0.1", 0).withLoginTimeout(Duration.ofSeconds(10));
    }

    Export export() {
        return Export.of(IQN, List.of(Lun.readWrite(0, disk, "disk-0"), Lun.readWrite(1, scratch, "scratch-1")));
    }

    @BeforeEach
    void startTarget() throws IOException {
        disk = dir.resolve("disk.raw");
        scratch = dir.resolve("scratch.raw");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.write(pattern(0, DISK_BLOCKS * 512));
        }
        try (RandomAccessFile f = new RandomAccessFile(scratch.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        target = new IscsiTarget(config(), meters);
        target.start();
        target.addExport(export());
    }

    @AfterEach
    void stopTarget() {
        target.close();
    }

    /** The bytes the disk starts with: a function of the offset, so any range can be checked. */
    static byte[] pattern(long offset, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            long at = offset + i;
            b[i] = (byte) (at * 31 + (at >>> 9) * 7);
        }
        return b;
    }

    static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    TestInitiator session(Map<String, String> operational) throws IOException {
        TestInitiator i = TestInitiator.connect(target.address());
        int status = i.login(IQN, operational);
        if (status != 0) {
            i.close();
            throw new IOException("login failed with status " + Integer.toHexString(status));
        }
        return i;
    }

    TestInitiator session() throws IOException {
        return session(Map.of("MaxRecvDataSegmentLength", "262144"));
    }

    byte[] fileBytes(Path file, long offset, int length) throws IOException {
        byte[] b = new byte[length];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(offset);
            f.readFully(b);
        }
        return b;
    }

    static byte[] read16(long lba, int blocks) {
        return ByteBuffer.allocate(16).put(0, (byte) 0x88).putLong(2, lba).putInt(10, blocks).array();
    }

    static byte[] write16(long lba, int blocks) {
        return ByteBuffer.allocate(16).put(0, (byte) 0x8a).putLong(2, lba).putInt(10, blocks).array();
    }

    static byte[] testUnitReady() {
        return new byte[16];
    }

    /** A fresh session can still log in, and the disk still holds its pattern where nobody wrote. */
    void assertTargetServes() throws IOException {
        try (TestInitiator i = session()) {
            TestInitiator.Result tur = i.command(0, testUnitReady(), 0, null, false);
            if (!tur.good()) {
                throw new AssertionError("TEST UNIT READY failed: " + tur);
            }
            TestInitiator.Result r = i.read(0, read16(DISK_BLOCKS - 8, 8), 4096);
            if (!r.good() || !java.util.Arrays.equals(r.data(), pattern((DISK_BLOCKS - 8) * 512L, 4096))) {
                throw new AssertionError("the end of the disk no longer reads back: " + r);
            }
        }
    }
}
