package dev.basalt.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.iscsi.pdu.Opcode;
import dev.basalt.iscsi.pdu.TextParameters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random input: garbage, mutated and truncated PDUs, random CDBs. After each, the target
 * still accepts a new session, a session opened before goes on working, and the disk still holds
 * what it held. (Timeouts only guard against a hang; nothing here measures time.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FuzzTest extends TargetTestSupport {
    /** Opcodes of commands a disk knows, so that random CDBs reach the decoders, not only the opcode check. */
    private static final int[] KNOWN = {0x00, 0x03, 0x08, 0x0a, 0x12, 0x1a, 0x1b, 0x1e, 0x25, 0x28, 0x2a, 0x2e, 0x2f,
        0x34, 0x35, 0x41, 0x42, 0x5a, 0x88, 0x8a, 0x8e, 0x8f, 0x90, 0x91, 0x93, 0x9e, 0xa0, 0xa8, 0xaa, 0xae, 0xaf};

    private TestInitiator bystander;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 40);
    }

    @BeforeEach
    void openBystander() throws IOException {
        bystander = TestInitiator.connect(target.address(), 0xb0b);
        assertThat(bystander.login(IQN, Map.of())).isZero();
    }

    @AfterEach
    void bystanderStillWorks() throws IOException {
        assertThat(bystander.command(0, testUnitReady(), 0, null, false).good()).isTrue();
        assertThat(bystander.read(0, read16(0, 8), 4096).data()).isEqualTo(pattern(0, 4096));
        bystander.close();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void garbageInsteadOfALogin(long seed) throws Exception {
        Random random = new Random(seed);
        byte[] junk = new byte[1 + random.nextInt(4096)];
        random.nextBytes(junk);
        if (random.nextBoolean()) {
            junk[0] = 0x43;                                              // looks like a Login Request
            if (junk.length > 8) {
                junk[4] = 0;
            }
        }
        try (TestInitiator i = TestInitiator.connect(target.address())) {
            i.raw(junk);
            i.channel().shutdownOutput();
            assertThat(i.closedByTarget()).isTrue();
        }
        assertTargetServes();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aLoginRequestWithRandomText(long seed) throws Exception {
        Random random = new Random(seed);
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("InitiatorName", random.nextInt(4) == 0 ? "" : TestInitiator.NAME);
        String[] names = {"TargetName", "SessionType", "AuthMethod", "HeaderDigest", "MaxBurstLength", "CHAP_A",
            "CHAP_R", "MaxRecvDataSegmentLength", "X-junk", "FirstBurstLength", "ErrorRecoveryLevel"};
        for (int k = 0; k < random.nextInt(8); k++) {
            byte[] value = new byte[random.nextInt(40)];
            for (int v = 0; v < value.length; v++) {
                value[v] = (byte) (0x21 + random.nextInt(0x5d));
            }
            keys.put(names[random.nextInt(names.length)], new String(value, java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (random.nextBoolean()) {
            keys.put("TargetName", IQN);
        }
        try (TestInitiator i = TestInitiator.connect(target.address())) {
            int csg = random.nextInt(4);
            int nsg = random.nextInt(4);
            try {
                i.loginRequest(csg, nsg, random.nextBoolean(), keys);
            } catch (IOException e) {
                // refused by closing: fine
            }
        }
        assertTargetServes();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mutatedAndTruncatedPdusInASession(long seed) throws Exception {
        Random random = new Random(seed);
        try (TestInitiator i = session(Map.of("InitialR2T", "No", "MaxRecvDataSegmentLength", "65536"))) {
            try {
                for (int n = 0; n < 5; n++) {
                    byte[] pdu = validPdu(random, i);
                    int flips = random.nextInt(6);
                    for (int f = 0; f < flips; f++) {
                        int at = random.nextInt(Math.min(pdu.length, 48));
                        pdu[at] ^= (byte) (1 << random.nextInt(8));
                    }
                    if ((pdu[0] & 0x3f) == Opcode.SCSI_COMMAND) {
                        ByteBuffer.wrap(pdu).putLong(8, 0x0001_0000_0000_0000L);   // only the scratch LUN may be hit
                    }
                    if (random.nextInt(3) == 0) {
                        i.raw(Arrays.copyOf(pdu, random.nextInt(pdu.length)));     // cut short
                        break;
                    }
                    i.raw(pdu);
                }
                i.channel().shutdownOutput();
            } catch (IOException e) {
                // the target hung up on us part way: that is one of the right answers
            }
            i.closedByTarget();
        }
        assertTargetServes();
    }

    /** One well-formed PDU of a random kind, numbered to fit the session. */
    private static byte[] validPdu(Random random, TestInitiator i) {
        int data = random.nextInt(4) == 0 ? random.nextInt(70000) : random.nextInt(600);
        ByteBuffer h = ByteBuffer.allocate(48);
        h.putInt(24, i.nextCmdSn()).putInt(28, i.expStatSn()).putInt(16, random.nextInt());
        byte[] payload = new byte[data];
        random.nextBytes(payload);
        switch (random.nextInt(7)) {
            case 0 -> {
                h.put(0, (byte) Opcode.SCSI_COMMAND).put(1, (byte) (0x80 | 0x20)).putInt(20, data);
                h.put(32, (byte) 0x2a).putInt(34, random.nextInt(2048)).putShort(39, (short) ((data + 511) / 512));
            }
            case 1 -> {
                h.put(0, (byte) Opcode.SCSI_COMMAND).put(1, (byte) 0xc0).putInt(20, random.nextInt(65536));
                h.put(32, (byte) 0x28).putShort(39, (short) random.nextInt(128));
                payload = new byte[0];
            }
            case 2 -> {
                h.put(0, (byte) (0x40 | Opcode.NOP_OUT)).put(1, (byte) 0x80).putInt(20, 0xffffffff);
            }
            case 3 -> {
                h.put(0, (byte) (0x40 | Opcode.TASK_MANAGEMENT_REQUEST)).put(1, (byte) (0x80 | random.nextInt(16)));
                payload = new byte[0];
            }
            case 4 -> {
                h.put(0, (byte) (0x40 | Opcode.TEXT_REQUEST)).put(1, (byte) 0x80).putInt(20, 0xffffffff);
                payload = TextParameters.encode(Map.of("SendTargets", "All"));
            }
            case 5 -> {
                h.put(0, (byte) Opcode.DATA_OUT).put(1, (byte) 0x80).putInt(20, random.nextInt()).putInt(40, random.nextInt(4096));
            }
            default -> {
                h.put(0, (byte) random.nextInt(64)).put(1, (byte) random.nextInt(256));
            }
        }
        int length = payload.length;
        h.put(5, (byte) (length >>> 16)).put(6, (byte) (length >>> 8)).put(7, (byte) length);
        byte[] pdu = new byte[48 + length + dev.basalt.iscsi.pdu.Bhs.padding(length)];
        System.arraycopy(h.array(), 0, pdu, 0, 48);
        System.arraycopy(payload, 0, pdu, 48, length);
        return pdu;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomCdbsAlwaysGetAnAnswer(long seed) throws Exception {
        Random random = new Random(seed);
        try (TestInitiator i = session(Map.of("InitialR2T", random.nextBoolean() ? "Yes" : "No",
                "ImmediateData", random.nextBoolean() ? "Yes" : "No", "MaxRecvDataSegmentLength", "65536"))) {
            for (int n = 0; n < 50; n++) {
                byte[] cdb = new byte[16];
                random.nextBytes(cdb);
                cdb[0] = (byte) (random.nextInt(3) > 0 ? KNOWN[random.nextInt(KNOWN.length)] : random.nextInt(256));
                if (random.nextBoolean()) {
                    Arrays.fill(cdb, 2, 10, (byte) 0);                   // small LBAs: in range more often
                    cdb[random.nextInt(2) + 8] = (byte) random.nextInt(4);
                }
                int expected = random.nextInt(4) == 0 ? 0 : random.nextInt(65537);
                boolean write = random.nextInt(3) == 0;
                byte[] data = write ? TargetTestSupport.random(expected, seed * 1000 + n) : null;
                int lun = random.nextInt(8) == 0 ? 5 : 1;                // the scratch LUN, sometimes none at all
                TestInitiator.Result r = i.command(lun, cdb, expected, data, !write);
                assertThat(r.status()).as("status of CDB %s", java.util.HexFormat.of().formatHex(cdb)).isIn(0x00, 0x02, 0x28);
                if (r.status() == 0x02) {
                    assertThat(r.sense()).hasSizeGreaterThanOrEqualTo(14);
                }
                assertThat(r.data().length).isLessThanOrEqualTo(expected);
            }
            assertThat(i.command(0, testUnitReady(), 0, null, false).good()).isTrue();
        }
        assertTargetServes();
    }
}
