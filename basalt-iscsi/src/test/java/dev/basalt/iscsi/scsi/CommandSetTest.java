package dev.basalt.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each command's CDB decoding, its data and its sense on bad input, against a real file. */
class CommandSetTest {
    static final int BLOCKS = 32768;                                    // 16 MiB
    static final String TARGET = "iqn.2024-01.dev.basalt:unit";

    @TempDir
    Path dir;
    Path file;
    LogicalUnit disk;
    LogicalUnit readOnly;
    LunTable table;
    final CommandSet commands = new CommandSet();

    @BeforeEach
    void open() throws IOException {
        file = dir.resolve("disk.raw");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength((long) BLOCKS * 512);
        }
        Path ro = dir.resolve("ro.raw");
        Files.write(ro, new byte[1 << 20]);
        disk = LogicalUnit.open(0, file, false, "serial-0");
        readOnly = LogicalUnit.open(1, ro, true, "serial-1");
        TreeMap<Integer, LogicalUnit> units = new TreeMap<>();
        units.put(0, disk);
        units.put(1, readOnly);
        table = new LunTable(TARGET, 1, units);
    }

    @AfterEach
    void close() throws IOException {
        disk.close();
        readOnly.close();
    }

    // ------------------------------------------------------------- helpers

    static byte[] cdb(int... bytes) {
        byte[] b = new byte[16];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return b;
    }

    static byte[] rw10(int opcode, long lba, int blocks, int flags) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.put(0, (byte) opcode).put(1, (byte) flags).putInt(2, (int) lba).putShort(7, (short) blocks);
        return b.array();
    }

    static byte[] rw16(int opcode, long lba, long blocks, int flags) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.put(0, (byte) opcode).put(1, (byte) flags).putLong(2, lba).putInt(10, (int) blocks);
        return b.array();
    }

    Outcome run(int lun, byte[] cdb, long expected, boolean read, boolean write) throws IOException {
        return commands.execute(table, new ScsiRequest(lun, ByteBuffer.wrap(cdb), expected, read, write));
    }

    Outcome.Done done(int lun, byte[] cdb, long expected) throws IOException {
        Outcome o = run(lun, cdb, expected, true, false);
        assertThat(o).isInstanceOf(Outcome.Done.class);
        return (Outcome.Done) o;
    }

    byte[] dataIn(int lun, byte[] cdb, long expected) throws IOException {
        Outcome.Done d = done(lun, cdb, expected);
        assertThat(d.status()).as("status of %02x", cdb[0]).isEqualTo(ScsiStatus.GOOD);
        byte[] b = new byte[d.dataIn().remaining()];
        d.dataIn().duplicate().get(b);
        return b;
    }

    /** Runs a data-out command to completion, handing the data to its sink in pieces. */
    Outcome.Done withData(int lun, byte[] cdb, byte[] data) throws Exception {
        Outcome o = run(lun, cdb, data.length, false, true);
        if (o instanceof Outcome.Done d) {
            return d;
        }
        Outcome.ReceiveData r = (Outcome.ReceiveData) o;
        long n = Math.min(r.length(), data.length);
        for (int at = 0; at < n; at += 1000) {
            r.sink().accept(at, ByteBuffer.wrap(data, at, (int) Math.min(1000, n - at)).slice());
        }
        try {
            return r.sink().finish(n);
        } catch (ScsiException e) {
            return Outcome.Done.checkCondition(e.sense());      // as the transport reports it
        }
    }

    static void assertSense(Outcome o, int key, int asc, int ascq) {
        assertThat(o).isInstanceOf(Outcome.Done.class);
        Outcome.Done d = (Outcome.Done) o;
        assertThat(d.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(d.sense().key()).isEqualTo(key);
        assertThat(d.sense().asc()).isEqualTo(asc);
        assertThat(d.sense().ascq()).isEqualTo(ascq);
    }

    byte[] fileBytes(long offset, int length) throws IOException {
        byte[] b = new byte[length];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(offset);
            f.readFully(b);
        }
        return b;
    }

    static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ------------------------------------------------------------- SPC

    @Test
    void testUnitReadyIsGood() throws Exception {
        assertThat(done(0, cdb(0x00), 0).status()).isEqualTo(ScsiStatus.GOOD);
    }

    @Test
    void unknownOpcodesAreInvalid() throws Exception {
        assertSense(run(0, cdb(0xc7), 0, false, false), Sense.ILLEGAL_REQUEST, 0x20, 0x00);
        assertSense(run(0, cdb(0x04), 0, false, false), Sense.ILLEGAL_REQUEST, 0x20, 0x00);   // FORMAT UNIT
    }

    @Test
    void standardInquiryDescribesADisk() throws Exception {
        byte[] d = dataIn(0, cdb(0x12, 0, 0, 0, 96), 96);
        assertThat(d).hasSize(96);
        assertThat(d[0]).isEqualTo((byte) 0x00);
        assertThat(d[2]).isEqualTo((byte) 0x06);
        assertThat(d[3] & 0x0f).isEqualTo(2);
        assertThat(d[4] & 0xff).isEqualTo(91);
        assertThat(d[7] & 0x02).isEqualTo(0x02);
        assertThat(new String(d, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("BASALT  ");
        assertThat(ByteBuffer.wrap(d).getShort(62)).isEqualTo((short) 0x0460);          // SPC-4
        assertThat(ByteBuffer.wrap(d).getShort(64)).isEqualTo((short) 0x04c0);          // SBC-3
    }

    @Test
    void inquiryIsCutToTheAllocationLength() throws Exception {
        assertThat(dataIn(0, cdb(0x12, 0, 0, 0, 5), 5)).hasSize(5);
    }

    @Test
    void inquiryOfAMissingLunReportsQualifier3() throws Exception {
        assertThat(dataIn(7, cdb(0x12, 0, 0, 0, 36), 36)[0]).isEqualTo((byte) 0x7f);
    }

    @Test
    void inquiryRefusesAPageWithoutEvpdAndUnknownPages() throws Exception {
        assertSense(run(0, cdb(0x12, 0, 0x80, 0, 255), 255, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
        assertSense(run(0, cdb(0x12, 1, 0x99, 0, 255), 255, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
        assertSense(run(0, cdb(0x12, 2, 0, 0, 255), 255, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);  // CMDDT
    }

    @Test
    void supportedVpdPagesAreListedInOrder() throws Exception {
        byte[] d = dataIn(0, cdb(0x12, 1, 0x00, 0, 255), 255);
        assertThat(Arrays.copyOfRange(d, 4, 4 + d[3])).containsExactly(0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2);
    }

    @Test
    void unitSerialIsTheLunsSerial() throws Exception {
        byte[] d = dataIn(0, cdb(0x12, 1, 0x80, 0, 255), 255);
        assertThat(new String(d, 4, d[3], StandardCharsets.US_ASCII)).isEqualTo("serial-0");
    }

    @Test
    void deviceIdentificationCarriesAStableNaaPerLun() throws Exception {
        byte[] d = dataIn(0, cdb(0x12, 1, 0x83, 0, 255), 255);
        assertThat(d[1]).isEqualTo((byte) 0x83);
        assertThat(d[4] & 0x0f).isEqualTo(1);                           // binary
        assertThat(d[5] & 0x3f).isEqualTo(0x03);                        // LU association, NAA
        assertThat(d[7]).isEqualTo((byte) 8);
        assertThat(d[8] & 0xf0).isEqualTo(0x30);                        // NAA 3h, locally assigned
        long naa = ByteBuffer.wrap(d, 8, 8).getLong();
        assertThat(naa).isEqualTo(disk.naa());
        assertThat(naa).isNotEqualTo(readOnly.naa());
        try (LogicalUnit again = LogicalUnit.open(5, file, false, "serial-0")) {
            assertThat(again.naa()).isEqualTo(naa);                     // same serial, same identifier
        }
        String all = new String(d, StandardCharsets.US_ASCII);
        assertThat(all).contains(TARGET + ",t,0x0001").contains("BASALT  serial-0");
    }

    @Test
    void blockLimitsAreReported() throws Exception {
        ByteBuffer d = ByteBuffer.wrap(dataIn(0, cdb(0x12, 1, 0xb0, 0, 255), 255));
        assertThat(d.getShort(2)).isEqualTo((short) 0x3c);
        assertThat(d.get(4) & 1).isEqualTo(1);                          // WSNZ
        assertThat(d.getInt(8)).isEqualTo((int) BlockLimits.MAX_TRANSFER_BLOCKS);
        assertThat(d.getInt(20)).isEqualTo((int) BlockLimits.MAX_UNMAP_BLOCKS);
        assertThat(d.getInt(24)).isEqualTo(BlockLimits.MAX_UNMAP_DESCRIPTORS);
        assertThat(d.getLong(36)).isEqualTo(BlockLimits.MAX_WRITE_SAME_BLOCKS);
    }

    @Test
    void provisioningSaysThinWithUnmapAndWriteSame() throws Exception {
        byte[] d = dataIn(0, cdb(0x12, 1, 0xb2, 0, 255), 255);
        assertThat(d[5] & 0xe4).isEqualTo(0xe4);                        // LBPU, LBPWS, LBPWS10, LBPRZ
        assertThat(d[6] & 0x07).isEqualTo(2);
        byte[] ro = dataIn(1, cdb(0x12, 1, 0xb2, 0, 255), 255);
        assertThat(ro[5]).isZero();
        byte[] chars = dataIn(0, cdb(0x12, 1, 0xb1, 0, 255), 255);
        assertThat(ByteBuffer.wrap(chars).getShort(4)).isEqualTo((short) 1);   // not rotating
    }

    @Test
    void reportLunsListsEveryLun() throws Exception {
        byte[] d = dataIn(0, cdb(0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0), 256);
        ByteBuffer b = ByteBuffer.wrap(d);
        assertThat(b.getInt(0)).isEqualTo(16);
        assertThat(b.getLong(8)).isZero();
        assertThat(b.getLong(16)).isEqualTo(0x0001_0000_0000_0000L);
        assertThat(dataIn(3, cdb(0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0), 256)).hasSize(24);   // from any LUN
        assertSense(run(0, cdb(0xa0, 0, 0x05, 0, 0, 0, 0, 0, 1, 0), 256, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
        assertSense(run(0, cdb(0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 2), 2, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
    }

    @Test
    void otherCommandsOnAMissingLunAreNotSupported() throws Exception {
        assertSense(run(9, cdb(0x00), 0, false, false), Sense.ILLEGAL_REQUEST, 0x25, 0);
        assertSense(run(9, rw10(0x28, 0, 1, 0), 512, true, false), Sense.ILLEGAL_REQUEST, 0x25, 0);
        byte[] sense = dataIn(9, cdb(0x03, 0, 0, 0, 18), 18);
        assertThat(sense[2] & 0x0f).isEqualTo(Sense.ILLEGAL_REQUEST);
        assertThat(sense[12]).isEqualTo((byte) 0x25);
    }

    @Test
    void requestSenseReturnsNoSenseInEitherFormat() throws Exception {
        assertThat(dataIn(0, cdb(0x03, 0, 0, 0, 252), 252)).hasSize(18).startsWith(0x70);
        assertThat(dataIn(0, cdb(0x03, 1, 0, 0, 252), 252)).hasSize(8).startsWith(0x72);
    }

    @Test
    void readCapacityTenAndSixteen() throws Exception {
        ByteBuffer ten = ByteBuffer.wrap(dataIn(0, cdb(0x25), 8));
        assertThat(ten.getInt(0)).isEqualTo(BLOCKS - 1);
        assertThat(ten.getInt(4)).isEqualTo(512);
        ByteBuffer sixteen = ByteBuffer.wrap(dataIn(0, cdb(0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32), 32));
        assertThat(sixteen.getLong(0)).isEqualTo(BLOCKS - 1);
        assertThat(sixteen.getInt(8)).isEqualTo(512);
        assertThat(sixteen.get(14) & 0xc0).isEqualTo(0xc0);            // LBPME, LBPRZ
        assertSense(run(0, cdb(0x25, 0, 0, 0, 0, 1), 8, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);   // LBA without PMI
        assertSense(run(0, cdb(0x9e, 0x1f), 32, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
    }

    @Test
    void aGrownFileIsSeenByTheNextReadCapacity() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength((long) (BLOCKS + 8) * 512);
        }
        assertThat(ByteBuffer.wrap(dataIn(0, cdb(0x25), 8)).getInt(0)).isEqualTo(BLOCKS + 7);
    }

    @Test
    void modeSenseReturnsCachingAndControlPages() throws Exception {
        byte[] all = dataIn(0, cdb(0x1a, 0, 0x3f, 0, 255), 255);
        assertThat(all[0] & 0xff).isEqualTo(all.length - 1);
        assertThat(all[2] & 0x90).isEqualTo(0x10);                      // DPOFUA, not write protected
        assertThat(all[3]).isEqualTo((byte) 8);                         // block descriptor
        assertThat(ByteBuffer.wrap(all).getInt(4)).isEqualTo(BLOCKS);
        assertThat(all[12]).isEqualTo((byte) 0x08);
        assertThat(all[14] & 0x04).isEqualTo(0x04);                     // WCE
        assertThat(all[32]).isEqualTo((byte) 0x0a);
        byte[] caching = dataIn(0, cdb(0x1a, 0x08, 0x08, 0, 255), 255);
        assertThat(caching).hasSize(4 + 20);
        byte[] ten = dataIn(0, cdb(0x5a, 0x08, 0x0a, 0, 0, 0, 0, 0, 255), 255);
        assertThat(ByteBuffer.wrap(ten).getShort(0)).isEqualTo((short) (ten.length - 2));
        assertThat(ten[8]).isEqualTo((byte) 0x0a);
        byte[] longLba = dataIn(0, cdb(0x5a, 0x10, 0x08, 0, 0, 0, 0, 0, 255), 255);
        assertThat(longLba[4] & 1).isEqualTo(1);
        assertThat(ByteBuffer.wrap(longLba).getShort(6)).isEqualTo((short) 16);
        assertThat(dataIn(1, cdb(0x1a, 0x08, 0x08, 0, 255), 255)[2] & 0x80).isEqualTo(0x80);   // read-only: WP
    }

    @Test
    void modeSenseRefusesUnknownPagesAndSavedValues() throws Exception {
        assertSense(run(0, cdb(0x1a, 0, 0x19, 0, 255), 255, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
        assertSense(run(0, cdb(0x1a, 0, 0xc8, 0, 255), 255, true, false), Sense.ILLEGAL_REQUEST, 0x39, 0);
        assertSense(run(0, cdb(0x1a, 0, 0x08, 1, 255), 255, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
        byte[] changeable = dataIn(0, cdb(0x1a, 0x08, 0x48, 0, 255), 255);
        assertThat(changeable[6] & 0x04).isZero();                       // nothing can be changed
    }

    // ------------------------------------------------------------- SBC

    @Test
    void writesLandInTheFileAndReadsReturnThem() throws Exception {
        byte[] data = random(4096, 1);
        assertThat(withData(0, rw10(0x2a, 100, 8, 0), data).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(fileBytes(100 * 512, 4096)).isEqualTo(data);
        Outcome read = run(0, rw16(0x88, 100, 8, 0), 4096, true, false);
        assertThat(read).isEqualTo(new Outcome.SendBlocks(disk, 100 * 512, 4096));
    }

    @ParameterizedTest
    @CsvSource({"0x0a, 6", "0x2a, 10", "0xaa, 12", "0x8a, 16"})
    void everyWriteSizeDecodesLbaAndLength(int opcode, int size) throws Exception {
        byte[] c = switch (size) {
            case 6 -> cdb(opcode, 0x00, 0x01, 0x02, 2);
            case 10 -> rw10(opcode, 0x102, 2, 0);
            case 12 -> ByteBuffer.allocate(16).put(0, (byte) opcode).putInt(2, 0x102).putInt(6, 2).array();
            default -> rw16(opcode, 0x102, 2, 0);
        };
        byte[] data = random(1024, opcode);
        assertThat(withData(0, c, data).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(fileBytes(0x102L * 512, 1024)).isEqualTo(data);
    }

    @Test
    void readSixWithLengthZeroMeans256Blocks() throws Exception {
        assertThat(run(0, cdb(0x08, 0, 0, 0, 0), 131072, true, false)).isEqualTo(new Outcome.SendBlocks(disk, 0, 256 * 512));
    }

    @ParameterizedTest
    @CsvSource({"32767, 1, true", "32767, 2, false", "32768, 0, true", "32769, 0, false", "0, 32768, true", "0, 32769, false"})
    void theLbaRangeIsChecked(long lba, int blocks, boolean ok) throws Exception {
        Outcome o = run(0, rw10(0x28, lba, blocks, 0), (long) blocks * 512, true, false);
        if (ok) {
            assertThat(o).isInstanceOf(Outcome.SendBlocks.class);
        } else {
            assertSense(o, Sense.ILLEGAL_REQUEST, 0x21, 0);
        }
    }

    @Test
    void sixteenByteLbasBeyondTwoToTheSixtyThreeAreOutOfRange() throws Exception {
        assertSense(run(0, rw16(0x88, -1L, 1, 0), 512, true, false), Sense.ILLEGAL_REQUEST, 0x21, 0);
        assertSense(run(0, rw16(0x88, 1, 0xffffffffL, 0), 512, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x20, 0x40, 0x60, 0x80, 0xe0})
    void protectionFieldsAreRefused(int flags) throws Exception {
        assertSense(run(0, rw10(0x28, 0, 1, flags), 512, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
        assertSense(run(0, rw10(0x2a, 0, 1, flags), 512, false, true), Sense.ILLEGAL_REQUEST, 0x24, 0);
        assertSense(run(0, rw10(0x2f, 0, 1, flags), 0, false, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
    }

    @Test
    void writesToAReadOnlyLunAreWriteProtected() throws Exception {
        assertSense(run(1, rw10(0x2a, 0, 1, 0), 512, false, true), Sense.DATA_PROTECT, 0x27, 0);
        assertSense(run(1, cdb(0x41, 0, 0, 0, 0, 0, 0, 0, 1), 512, false, true), Sense.DATA_PROTECT, 0x27, 0);
        assertSense(run(1, cdb(0x42, 0, 0, 0, 0, 0, 0, 0, 24), 24, false, true), Sense.DATA_PROTECT, 0x27, 0);
        // beyond the end is out of range first, even on a read-only LUN
        assertSense(run(1, rw10(0x2a, 1 << 20, 1, 0), 512, false, true), Sense.ILLEGAL_REQUEST, 0x21, 0);
    }

    @Test
    void aShortExpectedLengthWritesOnlyTheWholeBlocksSent() throws Exception {
        Files.write(file, new byte[1024], java.nio.file.StandardOpenOption.WRITE);
        byte[] data = random(1024, 7);
        Outcome o = run(0, rw10(0x2a, 0, 2, 0), 700, false, true);
        Outcome.ReceiveData r = (Outcome.ReceiveData) o;
        assertThat(r.length()).isEqualTo(1024);
        r.sink().accept(0, ByteBuffer.wrap(data, 0, 700));
        assertThat(r.sink().finish(700).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(fileBytes(0, 512)).isEqualTo(Arrays.copyOf(data, 512));
        assertThat(fileBytes(512, 512)).containsOnly(0);
    }

    @Test
    void fuaMakesTheWriteDurableBeforeGood() throws Exception {
        assertThat(withData(0, rw10(0x2a, 5, 1, 0x08), random(512, 3)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(withData(0, rw16(0x8a, 6, 1, 0x18), random(512, 4)).status()).isEqualTo(ScsiStatus.GOOD);
    }

    @Test
    void verifyComparesBytesAndReportsTheFirstMismatch() throws Exception {
        byte[] data = random(2048, 9);
        withData(0, rw10(0x2a, 10, 4, 0), data);
        assertThat(done(0, rw10(0x2f, 10, 4, 0), 0).status()).isEqualTo(ScsiStatus.GOOD);   // BYTCHK 0
        assertThat(withData(0, rw10(0x2f, 10, 4, 0x02), data).status()).isEqualTo(ScsiStatus.GOOD);
        byte[] wrong = data.clone();
        wrong[1500] ^= 1;
        Outcome.Done miscompare = withData(0, rw16(0x8f, 10, 4, 0x02), wrong);
        assertThat(miscompare.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(miscompare.sense().key()).isEqualTo(Sense.MISCOMPARE);
        assertThat(miscompare.sense().asc()).isEqualTo(0x1d);
        assertThat(miscompare.sense().information()).isEqualTo(1500);
        assertSense(run(0, rw10(0x2f, 10, 4, 0x04), 0, false, true), Sense.ILLEGAL_REQUEST, 0x24, 0);   // BYTCHK 2
        assertSense(run(0, rw10(0x2f, BLOCKS, 1, 0), 0, false, false), Sense.ILLEGAL_REQUEST, 0x21, 0);
    }

    @Test
    void verifyWithOneBlockComparesItWithEveryBlock() throws Exception {
        byte[] block = random(512, 11);
        byte[] four = new byte[2048];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(block, 0, four, i * 512, 512);
        }
        withData(0, rw10(0x2a, 40, 4, 0), four);
        assertThat(withData(0, rw10(0x2f, 40, 4, 0x06), block).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(withData(0, rw10(0x2f, 40, 5, 0x06), block).status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
    }

    @Test
    void synchronizeCacheAndPrefetchCheckTheRange() throws Exception {
        assertThat(done(0, rw10(0x35, 0, 0, 0), 0).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(done(0, rw16(0x91, 0, BLOCKS, 0), 0).status()).isEqualTo(ScsiStatus.GOOD);
        assertSense(run(0, rw16(0x91, BLOCKS, 1, 0), 0, false, false), Sense.ILLEGAL_REQUEST, 0x21, 0);
        assertThat(done(0, rw10(0x34, BLOCKS - 1, 1, 0), 0).status()).isEqualTo(ScsiStatus.GOOD);
        assertSense(run(0, rw16(0x90, BLOCKS - 1, 2, 0), 0, false, false), Sense.ILLEGAL_REQUEST, 0x21, 0);
    }

    @Test
    void writeSameRepeatsTheBlock() throws Exception {
        byte[] block = random(512, 13);
        ByteBuffer c = ByteBuffer.allocate(16).put(0, (byte) 0x93).putLong(2, 1000).putInt(10, 700);
        assertThat(withData(0, c.array(), block).status()).isEqualTo(ScsiStatus.GOOD);
        for (int i = 0; i < 700; i += 99) {
            assertThat(fileBytes((1000L + i) * 512, 512)).isEqualTo(block);
        }
        assertThat(fileBytes(1700L * 512, 512)).containsOnly(0);
    }

    @Test
    void writeSameWithUnmapAndZerosPunchesAHole() throws Exception {
        byte[] data = random(1 << 20, 17);
        withData(0, rw16(0x8a, 2048, 2048, 0), data);
        disk.flush();
        BackingStore sparse = disk.store();
        org.junit.jupiter.api.Assumptions.assumeTrue(sparse.mapsAllocation(), "the file system maps holes");
        assertThat(sparse.nextData(2048L * 512)).isEqualTo(2048L * 512);
        ByteBuffer c = ByteBuffer.allocate(16).put(0, (byte) 0x41).put(1, (byte) 0x08).putInt(2, 2048).putShort(7, (short) 2048);
        assertThat(withData(0, c.array(), new byte[512]).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(fileBytes(2048L * 512, 1 << 20)).containsOnly(0);
        assertThat(sparse.nextHole(2048L * 512)).isEqualTo(2048L * 512);    // space released
    }

    @Test
    void writeSameChecksItsFields() throws Exception {
        assertSense(run(0, cdb(0x41, 0, 0, 0, 0, 0, 0, 0, 0), 512, false, true), Sense.ILLEGAL_REQUEST, 0x24, 0);   // zero blocks
        assertSense(run(0, cdb(0x41, 0x10, 0, 0, 0, 0, 0, 0, 1), 512, false, true), Sense.ILLEGAL_REQUEST, 0x24, 0); // ANCHOR
        assertSense(run(0, cdb(0x41, 0x04, 0, 0, 0, 0, 0, 0, 1), 512, false, true), Sense.ILLEGAL_REQUEST, 0x24, 0); // PBDATA
        assertSense(run(0, cdb(0x41, 0, 0, 0, 0, 0, 0, 0, 1), 1024, false, true), Sense.ILLEGAL_REQUEST, 0x0e, 3);   // data-out size
        ByteBuffer tooLong = ByteBuffer.allocate(16).put(0, (byte) 0x93).putInt(10, (int) BlockLimits.MAX_WRITE_SAME_BLOCKS + 1);
        assertSense(run(0, tooLong.array(), 512, false, true), Sense.ILLEGAL_REQUEST, 0x24, 0);
        ByteBuffer beyond = ByteBuffer.allocate(16).put(0, (byte) 0x93).putLong(2, BLOCKS).putInt(10, 1);
        assertSense(run(0, beyond.array(), 512, false, true), Sense.ILLEGAL_REQUEST, 0x21, 0);
    }

    @Test
    void writeSameWithoutDataOutWritesZeros() throws Exception {
        withData(0, rw10(0x2a, 300, 2, 0), random(1024, 5));
        ByteBuffer c = ByteBuffer.allocate(16).put(0, (byte) 0x93).put(1, (byte) 0x01).putLong(2, 300).putInt(10, 2);
        assertThat(done(0, c.array(), 0).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(fileBytes(300 * 512, 1024)).containsOnly(0);
    }

    static byte[] unmapList(long... lbaAndCount) {
        int n = lbaAndCount.length / 2;
        ByteBuffer b = ByteBuffer.allocate(8 + 16 * n);
        b.putShort(0, (short) (6 + 16 * n)).putShort(2, (short) (16 * n));
        for (int i = 0; i < n; i++) {
            b.putLong(8 + 16 * i, lbaAndCount[2 * i]).putInt(16 + 16 * i, (int) lbaAndCount[2 * i + 1]);
        }
        return b.array();
    }

    static byte[] unmapCdb(int length) {
        return cdb(0x42, 0, 0, 0, 0, 0, 0, length >>> 8, length & 0xff);
    }

    @Test
    void unmapReleasesSpaceAndReadsBackZeros() throws Exception {
        withData(0, rw16(0x8a, 0, 4096, 0), random(4096 * 512, 19));
        disk.flush();
        byte[] list = unmapList(0, 2048, 3000, 8);
        assertThat(withData(0, unmapCdb(list.length), list).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(fileBytes(0, 2048 * 512)).containsOnly(0);
        assertThat(fileBytes(3000L * 512, 8 * 512)).containsOnly(0);
        assertThat(fileBytes(2048L * 512, 512)).isNotEqualTo(new byte[512]);
        BackingStore sparse = disk.store();
        org.junit.jupiter.api.Assumptions.assumeTrue(sparse.mapsAllocation(), "the file system maps holes");
        assertThat(sparse.nextData(0)).isEqualTo(2048L * 512);
    }

    @Test
    void unmapChecksItsParameterList() throws Exception {
        assertThat(done(0, unmapCdb(0), 0).status()).isEqualTo(ScsiStatus.GOOD);
        assertSense(run(0, unmapCdb(4), 4, false, true), Sense.ILLEGAL_REQUEST, 0x1a, 0);
        byte[] beyond = unmapList(BLOCKS - 1, 2);
        assertSense(withData(0, unmapCdb(beyond.length), beyond), Sense.ILLEGAL_REQUEST, 0x21, 0);
        byte[] tooMany = unmapList(new long[2 * (BlockLimits.MAX_UNMAP_DESCRIPTORS + 1)]);
        assertSense(withData(0, unmapCdb(tooMany.length), tooMany), Sense.ILLEGAL_REQUEST, 0x26, 0);
        assertSense(run(0, cdb(0x42, 1, 0, 0, 0, 0, 0, 0, 24), 24, false, true), Sense.ILLEGAL_REQUEST, 0x24, 0);
    }

    @Test
    void getLbaStatusReportsMappedAndDeallocatedExtents() throws Exception {
        BackingStore sparse = disk.store();
        org.junit.jupiter.api.Assumptions.assumeTrue(sparse.mapsAllocation(), "the file system maps holes");
        withData(0, rw10(0x2a, 8192, 8, 0), random(4096, 23));
        ByteBuffer c = ByteBuffer.allocate(16).put(0, (byte) 0x9e).put(1, (byte) 0x12).putLong(2, 8192).putInt(10, 64);
        ByteBuffer d = ByteBuffer.wrap(dataIn(0, c.array(), 64));
        assertThat(d.getLong(8)).isEqualTo(8192);
        assertThat(d.getInt(16)).isGreaterThanOrEqualTo(8);
        assertThat(d.get(20) & 0x0f).isEqualTo(0);                       // mapped
        c.putLong(2, 0);
        ByteBuffer hole = ByteBuffer.wrap(dataIn(0, c.array(), 64));
        assertThat(hole.getLong(8)).isZero();
        assertThat(hole.get(20) & 0x0f).isEqualTo(1);                    // deallocated
        c.putLong(2, BLOCKS);
        assertSense(run(0, c.array(), 64, true, false), Sense.ILLEGAL_REQUEST, 0x21, 0);
    }

    @Test
    void transfersOverTheMaximumAreRefused() throws Exception {
        assertSense(run(0, rw16(0x88, 0, BlockLimits.MAX_TRANSFER_BLOCKS + 1, 0), 0, true, false),
                Sense.ILLEGAL_REQUEST, 0x24, 0);
    }

    @Test
    void startStopAndPreventAllowAreAccepted() throws Exception {
        assertThat(done(0, cdb(0x1b, 0, 0, 0, 1), 0).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(done(0, cdb(0x1e, 0, 0, 0, 0), 0).status()).isEqualTo(ScsiStatus.GOOD);
    }

    static byte[] rsoc(int options, int opcode, int serviceAction, boolean timeouts) {
        return ByteBuffer.allocate(16).put(0, (byte) 0xa3).put(1, (byte) 0x0c)
                .put(2, (byte) ((timeouts ? 0x80 : 0) | options)).put(3, (byte) opcode)
                .putShort(4, (short) serviceAction).putInt(6, 65535).array();
    }

    @Test
    void reportSupportedOpcodesListsEveryCommand() throws Exception {
        ByteBuffer all = ByteBuffer.wrap(dataIn(0, rsoc(0, 0, 0, false), 65535));
        int length = all.getInt(0);
        assertThat(length % 8).isZero();
        java.util.Set<Integer> opcodes = new java.util.HashSet<>();
        for (int at = 4; at < 4 + length; at += 8) {
            opcodes.add(all.get(at) & 0xff);
            boolean servactv = (all.get(at + 5) & 0x01) != 0;
            assertThat(servactv || all.getShort(at + 2) == 0).isTrue();
        }
        assertThat(opcodes).contains(0x28, 0x2a, 0x41, 0x42, 0x93, 0x9e, 0xa3);
        ByteBuffer withTimeouts = ByteBuffer.wrap(dataIn(0, rsoc(0, 0, 0, true), 65535));
        assertThat(withTimeouts.getInt(0) % 20).isZero();
        assertThat(withTimeouts.get(4 + 5) & 0x02).isEqualTo(0x02);                   // CTDP
        assertThat(withTimeouts.getShort(4 + 8)).isEqualTo((short) 0x0a);
    }

    @Test
    void reportSupportedOpcodesDescribesOneCommand() throws Exception {
        byte[] write16 = dataIn(0, rsoc(1, 0x8a, 0, false), 65535);
        assertThat(write16[1] & 0x07).isEqualTo(3);                                  // supported
        assertThat(ByteBuffer.wrap(write16).getShort(2)).isEqualTo((short) 16);
        assertThat(write16[4] & 0xff).isEqualTo(0x8a);
        assertThat(write16[5] & 0x18).isEqualTo(0x18);                               // DPO and FUA are used
        byte[] rc16 = dataIn(0, rsoc(2, 0x9e, 0x10, false), 65535);
        assertThat(rc16[1] & 0x07).isEqualTo(3);
        assertThat(dataIn(0, rsoc(1, 0xc7, 0, false), 65535)[1] & 0x07).isEqualTo(1);  // not supported
        assertSense(run(0, rsoc(1, 0x9e, 0, false), 65535, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
        assertSense(run(0, rsoc(2, 0x28, 0, false), 65535, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
        assertSense(run(0, rsoc(7, 0, 0, false), 65535, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);
        assertSense(run(0, cdb(0xa3, 0x0a), 255, true, false), Sense.ILLEGAL_REQUEST, 0x24, 0);   // other service actions
    }

    @Test
    void fixedSenseCarriesTheFieldPointer() {
        byte[] b = Sense.invalidFieldInCdb(7).fixed();
        assertThat(b[0]).isEqualTo((byte) 0x70);
        assertThat(b[2]).isEqualTo((byte) Sense.ILLEGAL_REQUEST);
        assertThat(b[7]).isEqualTo((byte) 10);
        assertThat(b[12]).isEqualTo((byte) 0x24);
        assertThat(b[15] & 0xc0).isEqualTo(0xc0);                        // SKSV, C/D
        assertThat(b[17]).isEqualTo((byte) 7);
        byte[] info = Sense.miscompare(0x1234).fixed();
        assertThat(info[0] & 0x80).isEqualTo(0x80);
        assertThat(ByteBuffer.wrap(info).getInt(3)).isEqualTo(0x1234);
    }
}
