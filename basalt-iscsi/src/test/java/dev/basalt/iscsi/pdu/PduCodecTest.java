package dev.basalt.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PduCodecTest {

    /** Collects what a writer writes. */
    static final class Sink implements GatheringByteChannel {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final WritableByteChannel out = Channels.newChannel(bytes);
        int maxPerWrite = Integer.MAX_VALUE;

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            int budget = maxPerWrite;
            for (int i = offset; i < offset + length && budget > 0; i++) {
                ByteBuffer b = srcs[i];
                int n = Math.min(b.remaining(), budget);
                ByteBuffer part = b.slice(b.position(), n);
                out.write(part);
                b.position(b.position() + n);
                total += n;
                budget -= n;
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return out.write(src);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Hands out bytes in pieces of a chosen size, as a socket might. */
    static final class Source implements ReadableByteChannel {
        private final ByteBuffer bytes;
        private final int piece;

        Source(byte[] bytes, int piece) {
            this.bytes = ByteBuffer.wrap(bytes);
            this.piece = piece;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (!bytes.hasRemaining()) {
                return -1;
            }
            int n = Math.min(Math.min(piece, dst.remaining()), bytes.remaining());
            dst.put(bytes.slice(bytes.position(), n));
            bytes.position(bytes.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static byte[] write(boolean headerDigest, boolean dataDigest, int pdus, int dataLength, int maxPerWrite)
            throws IOException {
        Sink sink = new Sink();
        sink.maxPerWrite = maxPerWrite;
        PduWriter writer = new PduWriter(sink);
        writer.useDigests(headerDigest, dataDigest);
        for (int i = 0; i < pdus; i++) {
            ByteBuffer h = writer.header(Opcode.DATA_IN, 0x80);
            h.putInt(16, i);
            h.putInt(40, i * dataLength);
            writer.add(h, dataLength == 0 ? null : ByteBuffer.wrap(payload(i, dataLength)));
        }
        writer.flush();
        return sink.bytes.toByteArray();
    }

    private static byte[] payload(int seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @CsvSource({
        "false, false, 0, 1000", "false, false, 1, 1", "false, false, 3, 7", "false, false, 512, 100000",
        "true, false, 513, 3", "false, true, 1022, 64", "true, true, 8192, 1", "true, true, 65536, 4096",
        "true, true, 5, 100000"})
    void pdusSurviveARoundTripInAnySplitOfTheStream(boolean headerDigest, boolean dataDigest, int dataLength, int piece)
            throws Exception {
        int pdus = 40;                                                      // more than the writer's slots
        byte[] stream = write(headerDigest, dataDigest, pdus, dataLength, 7777);
        int pduLength = 48 + (headerDigest ? 4 : 0)
                + (dataLength == 0 ? 0 : dataLength + Bhs.padding(dataLength) + (dataDigest ? 4 : 0));
        assertThat(stream).hasSize(pdus * pduLength);

        PduReader reader = new PduReader(new Source(stream, piece), 65536, 65536);
        reader.useDigests(headerDigest, dataDigest);
        for (int i = 0; i < pdus; i++) {
            assertThat(reader.next()).isTrue();
            assertThat(Bhs.opcode(reader.header())).isEqualTo(Opcode.DATA_IN);
            assertThat(Bhs.isFinal(reader.header())).isTrue();
            assertThat(Bhs.initiatorTaskTag(reader.header())).isEqualTo(i);
            assertThat(Bhs.dataSegmentLength(reader.header())).isEqualTo(dataLength);
            byte[] data = new byte[reader.data().remaining()];
            reader.data().get(0, data);
            assertThat(data).isEqualTo(payload(i, dataLength));
        }
        assertThat(reader.next()).isFalse();
    }

    @Test
    void headerFieldsAreReadWhereRfc7143PutsThem() throws Exception {
        byte[] pdu = new byte[48 + 8];
        pdu[0] = (byte) (0x40 | Opcode.SCSI_COMMAND);
        pdu[1] = (byte) 0xc1;
        pdu[4] = 0;
        pdu[7] = 5;                                                         // DataSegmentLength 5, padded to 8
        ByteBuffer.wrap(pdu).putLong(8, 0x0003_0000_0000_0000L).putInt(16, 0xcafe_babe);
        System.arraycopy("hello".getBytes(), 0, pdu, 48, 5);
        PduReader reader = new PduReader(new Source(pdu, 100), 8192, 8192);
        assertThat(reader.next()).isTrue();
        ByteBuffer h = reader.header();
        assertThat(Bhs.opcode(h)).isEqualTo(Opcode.SCSI_COMMAND);
        assertThat(Bhs.immediate(h)).isTrue();
        assertThat(Bhs.flags(h)).isEqualTo(0xc1);
        assertThat(Bhs.lun(h)).isEqualTo(0x0003_0000_0000_0000L);
        assertThat(Bhs.initiatorTaskTag(h)).isEqualTo(0xcafe_babe);
        assertThat(reader.data().remaining()).isEqualTo(5);
        assertThat(reader.ahs().remaining()).isZero();
    }

    @Test
    void additionalHeaderSegmentsAreSeparatedFromTheData() throws Exception {
        byte[] pdu = new byte[48 + 20 + 4];
        pdu[0] = Opcode.SCSI_COMMAND;
        pdu[4] = 5;                                                         // 20 bytes of AHS
        pdu[7] = 4;
        pdu[48] = 0;
        pdu[49] = 17;                                                       // AHS length 17
        pdu[50] = 1;                                                        // extended CDB
        Arrays.fill(pdu, 68, 72, (byte) 0x5a);
        PduReader reader = new PduReader(new Source(pdu, 9), 8192, 8192);
        assertThat(reader.next()).isTrue();
        assertThat(reader.ahs().remaining()).isEqualTo(20);
        assertThat(reader.ahs().get(2)).isEqualTo((byte) 1);
        assertThat(reader.data().remaining()).isEqualTo(4);
        assertThat(reader.data().get(0)).isEqualTo((byte) 0x5a);
    }

    @Test
    void aDataSegmentOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        byte[] header = new byte[48];
        header[0] = Opcode.SCSI_COMMAND;
        header[5] = (byte) 0xff;                                            // 16 MiB - 1 announced, nothing sent
        header[6] = (byte) 0xff;
        header[7] = (byte) 0xff;
        PduReader reader = new PduReader(new Source(header, 48), 262144, 8192);
        assertThatThrownBy(reader::next).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds MaxRecvDataSegmentLength 8192");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 47, 48, 49, 60})
    void aStreamCutInsideAPduIsAnEndOfFile(int keep) throws Exception {
        byte[] stream = write(false, false, 1, 20, Integer.MAX_VALUE);
        PduReader reader = new PduReader(new Source(Arrays.copyOf(stream, keep), 5), 8192, 8192);
        assertThatThrownBy(reader::next).isInstanceOf(EOFException.class);
    }

    @Test
    void aCorruptHeaderDigestIsAProtocolError() throws Exception {
        byte[] stream = write(true, false, 1, 16, Integer.MAX_VALUE);
        stream[20] ^= 0x01;
        PduReader reader = new PduReader(new Source(stream, 1000), 8192, 8192);
        reader.useDigests(true, false);
        assertThatThrownBy(reader::next).isInstanceOf(ProtocolException.class).hasMessage("header digest error");
    }

    @Test
    void aCorruptDataDigestIsADataDigestError() throws Exception {
        byte[] stream = write(true, true, 1, 16, Integer.MAX_VALUE);
        stream[48 + 4 + 3] ^= 0x10;
        PduReader reader = new PduReader(new Source(stream, 1000), 8192, 8192);
        reader.useDigests(true, true);
        assertThatThrownBy(reader::next).isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).reason()).isEqualTo(ProtocolException.DATA_DIGEST_ERROR);
    }

    /** RFC 3720 appendix B.4: CRC32C of 32 bytes of zeros, of ones, incrementing and decrementing bytes. */
    @ParameterizedTest
    @CsvSource({"zeros, aa36918a", "ones, 43aba862", "incrementing, 4e79dd46", "decrementing, 5cdb3f11"})
    void crc32cMatchesTheKnownVectorsInWireOrder(String pattern, String wireBytes) {
        byte[] data = new byte[32];
        for (int i = 0; i < 32; i++) {
            data[i] = switch (pattern) {
                case "zeros" -> 0;
                case "ones" -> (byte) 0xff;
                case "incrementing" -> (byte) i;
                default -> (byte) (31 - i);
            };
        }
        CRC32C crc = new CRC32C();
        crc.update(data);
        ByteBuffer wire = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        assertThat(java.util.HexFormat.of().formatHex(wire.array())).isEqualTo(wireBytes);
    }

    @Test
    void theWriterPutsTheHeaderDigestInWireOrderAfterTheHeader() throws Exception {
        byte[] stream = write(true, false, 1, 0, Integer.MAX_VALUE);
        CRC32C crc = new CRC32C();
        crc.update(stream, 0, 48);
        long value = crc.getValue();
        assertThat(stream[48] & 0xff).isEqualTo((int) (value & 0xff));
        assertThat(stream[51] & 0xff).isEqualTo((int) (value >>> 24));
    }

    @Test
    void dataSegmentsArePaddedWithZerosToFourBytes() throws Exception {
        byte[] stream = write(false, false, 1, 5, Integer.MAX_VALUE);
        assertThat(stream).hasSize(48 + 8);
        assertThat(Arrays.copyOfRange(stream, 53, 56)).containsOnly(0);
        assertThat(stream[7]).isEqualTo((byte) 5);
    }
}
