package dev.basalt.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.basalt.iscsi.pdu.Bhs;
import dev.basalt.iscsi.pdu.Opcode;
import dev.basalt.iscsi.pdu.TextParameters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The target end to end through its socket, driven by {@link TestInitiator}. */
class IscsiTargetTest extends TargetTestSupport {

    static Stream<Arguments> negotiations() {
        return Stream.of(
                Arguments.of("defaults (InitialR2T=Yes, ImmediateData=Yes)", Map.of()),
                Arguments.of("unsolicited Data-Out", Map.of("InitialR2T", "No", "FirstBurstLength", "65536",
                        "MaxRecvDataSegmentLength", "262144")),
                Arguments.of("R2T only, small bursts", Map.of("ImmediateData", "No", "MaxBurstLength", "16384",
                        "MaxRecvDataSegmentLength", "4096")),
                Arguments.of("several R2Ts outstanding", Map.of("ImmediateData", "No", "MaxBurstLength", "8192",
                        "MaxOutstandingR2T", "4")),
                Arguments.of("big bursts", Map.of("InitialR2T", "No", "MaxBurstLength", "1048576",
                        "FirstBurstLength", "524288", "MaxRecvDataSegmentLength", "1048576")),
                Arguments.of("header and data digests", Map.of("HeaderDigest", "CRC32C", "DataDigest", "CRC32C",
                        "InitialR2T", "No", "MaxRecvDataSegmentLength", "65536")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negotiations")
    void whatIsWrittenIsInTheFileAndReadsBack(String name, Map<String, String> keys) throws Exception {
        try (TestInitiator i = session(keys)) {
            int[] sizes = {1, 3, 8, 16, 127, 128, 129, 513, 2048, 4096};
            long lba = 64;
            for (int blocks : sizes) {
                byte[] data = random(blocks * 512, blocks);
                TestInitiator.Result w = i.write(0, write16(lba, blocks), data);
                assertThat(w.good()).as("write of %d blocks: %s", blocks, w).isTrue();
                assertThat(w.residualFlags()).isZero();
                assertThat(fileBytes(disk, lba * 512, data.length)).isEqualTo(data);
                TestInitiator.Result r = i.read(0, read16(lba, blocks), data.length);
                assertThat(r.good()).isTrue();
                assertThat(r.data()).isEqualTo(data);
                lba += blocks;
            }
            assertThat(i.logout()).isZero();
        }
    }

    @Test
    void theNegotiatedValuesAreAnswered() throws Exception {
        try (TestInitiator i = session(Map.of("HeaderDigest", "CRC32C,None", "MaxBurstLength", "65536",
                "MaxRecvDataSegmentLength", "8192"))) {
            assertThat(i.negotiated()).containsEntry("HeaderDigest", "CRC32C").containsEntry("MaxBurstLength", "65536")
                    .containsEntry("MaxRecvDataSegmentLength", "262144").containsEntry("TargetPortalGroupTag", "1");
        }
    }

    @Test
    void dataInIsSplitByTheInitiatorsSegmentLengthWithFinalBitsPerBurst() throws Exception {
        try (TestInitiator i = session(Map.of("MaxRecvDataSegmentLength", "4096", "MaxBurstLength", "8192"))) {
            int tag = i.send(0, read16(0, 48), 48 * 512, null, true);
            List<TestInitiator.Pdu> pdus = new ArrayList<>();
            TestInitiator.Pdu p;
            do {
                p = i.next();
                pdus.add(p);
            } while ((p.flags() & 0x01) == 0);
            assertThat(pdus).hasSize(6).allSatisfy(d -> {
                assertThat(d.opcode()).isEqualTo(Opcode.DATA_IN);
                assertThat(d.int32(16)).isEqualTo(tag);
                assertThat(d.data()).hasSize(4096);
            });
            for (int k = 0; k < 6; k++) {
                assertThat(pdus.get(k).int32(36)).as("DataSN").isEqualTo(k);
                assertThat(pdus.get(k).int32(40)).as("offset").isEqualTo(k * 4096);
                assertThat(pdus.get(k).flags() & 0x80).as("F of PDU %d", k).isEqualTo(k % 2 == 1 ? 0x80 : 0);
            }
        }
    }

    @Test
    void residualsAreReportedBothWays() throws Exception {
        try (TestInitiator i = session()) {
            TestInitiator.Result under = i.read(0, read16(0, 1), 10000);
            assertThat(under.data()).hasSize(512);
            assertThat(under.residualFlags()).isEqualTo(0x02);
            assertThat(under.residual()).isEqualTo(10000 - 512);
            TestInitiator.Result over = i.read(0, read16(0, 2), 200);
            assertThat(over.data()).isEqualTo(pattern(0, 200));
            assertThat(over.residualFlags()).isEqualTo(0x04);
            assertThat(over.residual()).isEqualTo(1024 - 200);
            TestInitiator.Result none = i.command(0, read16(0, 1), 0, null, false);
            assertThat(none.good()).isTrue();
            assertThat(none.residual()).isEqualTo(512);
            byte[] data = random(1024, 3);
            TestInitiator.Result shortWrite = i.command(0, write16(200, 2), 512, data, false);
            assertThat(shortWrite.good()).isTrue();
            assertThat(shortWrite.residualFlags()).isEqualTo(0x04);
            assertThat(fileBytes(disk, 200 * 512, 512)).isEqualTo(java.util.Arrays.copyOf(data, 512));
            assertThat(fileBytes(disk, 201 * 512, 512)).isEqualTo(pattern(201 * 512, 512));
        }
    }

    @Test
    void checkConditionCarriesFixedSense() throws Exception {
        try (TestInitiator i = session()) {
            TestInitiator.Result r = i.read(0, read16(DISK_BLOCKS, 1), 512);
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.senseKey()).isEqualTo(5);
            assertThat(r.asc()).isEqualTo(0x2100);
            TestInitiator.Result bad = i.command(0, new byte[] {(byte) 0xc7}, 0, null, false);
            assertThat(bad.asc()).isEqualTo(0x2000);
        }
    }

    @Test
    void nopOutIsEchoed() throws Exception {
        try (TestInitiator i = session()) {
            assertThat(i.ping("ping".getBytes(StandardCharsets.US_ASCII))).asString(StandardCharsets.US_ASCII).isEqualTo("ping");
            assertThat(i.ping(new byte[0])).isEmpty();
        }
    }

    @Test
    void sendTargetsInANormalSessionNamesOnlyItsTarget() throws Exception {
        try (TestInitiator i = session()) {
            String answer = new String(i.text(Map.of("SendTargets", "")), StandardCharsets.UTF_8);
            assertThat(answer).isEqualTo("TargetName=" + IQN + "\0TargetAddress=127.0.0.1:" + target.address().getPort() + ",1\0");
            assertThat(new String(i.text(Map.of("SendTargets", "All")), StandardCharsets.UTF_8)).isEqualTo("SendTargets=Reject\0");
            assertThat(new String(i.text(Map.of("X-foo", "1")), StandardCharsets.UTF_8)).isEqualTo("X-foo=NotUnderstood\0");
        }
    }

    @Test
    void aTextRequestSplitOverTwoPdusIsAnswered() throws Exception {
        try (TestInitiator i = session()) {
            int tag = i.newTag();
            ByteBuffer h = i.writer().header(Opcode.TEXT_REQUEST | 0x40, 0x40);                  // C: more follows
            h.putInt(16, tag).putInt(20, Bhs.RESERVED_TAG).putInt(24, i.nextCmdSn()).putInt(28, i.expStatSn());
            i.writer().add(h, ByteBuffer.wrap("SendTar".getBytes(StandardCharsets.US_ASCII)));
            i.writer().flush();
            TestInitiator.Pdu empty = i.next();
            assertThat(empty.opcode()).isEqualTo(Opcode.TEXT_RESPONSE);
            assertThat(empty.flags() & 0xc0).isZero();
            assertThat(empty.data()).isEmpty();
            h = i.writer().header(Opcode.TEXT_REQUEST | 0x40, 0x80);
            h.putInt(16, tag).putInt(20, empty.int32(20)).putInt(24, i.nextCmdSn()).putInt(28, i.expStatSn());
            i.writer().add(h, ByteBuffer.wrap("gets=\0".getBytes(StandardCharsets.US_ASCII)));
            i.writer().flush();
            TestInitiator.Pdu answer = i.next();
            assertThat(answer.flags() & 0x80).isEqualTo(0x80);
            assertThat(new String(answer.data(), StandardCharsets.UTF_8)).startsWith("TargetName=" + IQN + "\0");
        }
    }

    @Test
    void discoveryListsWhatTheInitiatorMaySeeInPiecesItAccepts() throws Exception {
        for (int k = 0; k < 40; k++) {
            target.addExport(Export.of(IQN + "-" + k, List.of(Lun.readOnly(0, scratch, "s" + k))));
        }
        target.addExport(Export.of(IQN + "-chap", List.of(Lun.readOnly(0, scratch, "c"))).withChap("carol", "carol-secret-1"));
        target.addExport(Export.of(IQN + "-acl", List.of(Lun.readOnly(0, scratch, "a")))
                .withInitiators(java.util.Set.of("iqn.2024-01.dev.basalt:someone-else")));
        try (TestInitiator i = TestInitiator.connect(target.address())) {
            assertThat(i.login(null, Map.of("MaxRecvDataSegmentLength", "512"))).isZero();
            String answer = new String(i.text(Map.of("SendTargets", "All")), StandardCharsets.UTF_8);
            assertThat(answer.split("\0")).filteredOn(s -> s.startsWith("TargetName=")).hasSize(41)
                    .doesNotContain("TargetName=" + IQN + "-chap", "TargetName=" + IQN + "-acl");
            TestInitiator.Result r = null;
            assertThatThrownBy(() -> i.command(0, testUnitReady(), 0, null, false)).isInstanceOf(IOException.class);
            assertThat(r).isNull();
        }
    }

    @Test
    void discoveryWithChapAlsoShowsThatExport() throws Exception {
        target.addExport(Export.of(IQN + "-chap", List.of(Lun.readOnly(0, scratch, "c"))).withChap("carol", "carol-secret-1"));
        try (TestInitiator i = TestInitiator.connect(target.address())) {
            assertThat(i.login(null, new ChapCredentials("carol", "carol-secret-1"), null, Map.of())).isZero();
            String answer = new String(i.text(Map.of("SendTargets", "All")), StandardCharsets.UTF_8);
            assertThat(answer).contains("TargetName=" + IQN + "-chap\0", "TargetName=" + IQN + "\0");
        }
    }

    @Test
    void chapProtectsAnExportAndAWrongSecretIsRefused() throws Exception {
        target.addExport(Export.of(IQN + "-chap", List.of(Lun.readWrite(0, scratch, "c"))).withChap("carol", "carol-secret-1"));
        try (TestInitiator wrong = TestInitiator.connect(target.address())) {
            assertThat(wrong.login(IQN + "-chap", new ChapCredentials("carol", "not-the-secret"), null, Map.of()))
                    .isEqualTo(0x0201);
            assertThat(wrong.closedByTarget()).isTrue();
        }
        try (TestInitiator none = TestInitiator.connect(target.address())) {
            assertThat(none.login(IQN + "-chap", Map.of())).isEqualTo(0x0201);
        }
        try (TestInitiator right = TestInitiator.connect(target.address())) {
            assertThat(right.login(IQN + "-chap", new ChapCredentials("carol", "carol-secret-1"), null, Map.of())).isZero();
            assertThat(right.command(0, testUnitReady(), 0, null, false).good()).isTrue();
        }
        assertTargetServes();
    }

    @Test
    void mutualChapAuthenticatesTheTarget() throws Exception {
        target.addExport(Export.of(IQN + "-mutual", List.of(Lun.readWrite(0, scratch, "m")))
                .withChap("dave", "dave-secret-12").withMutualChap("tgt", "target-secret-34"));
        try (TestInitiator i = TestInitiator.connect(target.address())) {
            assertThat(i.login(IQN + "-mutual", new ChapCredentials("dave", "dave-secret-12"),
                    new ChapCredentials("tgt", "target-secret-34"), Map.of())).isZero();
        }
        try (TestInitiator i = TestInitiator.connect(target.address())) {
            assertThatThrownBy(() -> i.login(IQN + "-mutual", new ChapCredentials("dave", "dave-secret-12"),
                    new ChapCredentials("tgt", "a-different-one"), Map.of())).hasMessageContaining("mutual");
        }
    }

    @Test
    void loginToAnUnknownTargetIsNotFound() throws Exception {
        try (TestInitiator i = TestInitiator.connect(target.address())) {
            assertThat(i.login(IQN + "-missing", Map.of())).isEqualTo(0x0203);
        }
    }

    @Test
    void twoSessionsWorkAtOnce() throws Exception {
        try (TestInitiator a = TestInitiator.connect(target.address(), 1); TestInitiator b = TestInitiator.connect(target.address(), 2)) {
            assertThat(a.login(IQN, Map.of())).isZero();
            assertThat(b.login(IQN, Map.of())).isZero();
            assertThat(target.sessions()).hasSize(2).extracting(SessionInfo::iqn).containsOnly(IQN);
            assertThat(target.sessions()).extracting(SessionInfo::tsih).doesNotHaveDuplicates();
            byte[] fromA = random(4096, 41);
            assertThat(a.write(0, write16(500, 8), fromA).good()).isTrue();
            assertThat(b.read(0, read16(500, 8), 4096).data()).isEqualTo(fromA);
            byte[] fromB = random(4096, 42);
            assertThat(b.write(0, write16(500, 8), fromB).good()).isTrue();
            assertThat(a.read(0, read16(500, 8), 4096).data()).isEqualTo(fromB);
        }
    }

    @Test
    void aNewLoginWithTheSameIsidReplacesTheOldSession() throws Exception {
        TestInitiator old = TestInitiator.connect(target.address(), 7);
        assertThat(old.login(IQN, Map.of())).isZero();
        try (TestInitiator again = TestInitiator.connect(target.address(), 7)) {
            assertThat(again.login(IQN, Map.of())).isZero();
            assertThat(old.closedByTarget()).isTrue();
            assertThat(again.command(0, testUnitReady(), 0, null, false).good()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> target.sessions().size() == 1);
        } finally {
            old.close();
        }
    }

    @Test
    void removingAnExportClosesItsSessionsAndLaterLoginsFail() throws Exception {
        TestInitiator i = session();
        try {
            byte[] data = random(512, 5);
            assertThat(i.write(0, write16(9, 1), data).good()).isTrue();
            assertThat(target.removeExport(IQN)).isTrue();
            assertThat(i.closedByTarget()).isTrue();
            assertThat(fileBytes(disk, 9 * 512, 512)).isEqualTo(data);
        } finally {
            i.close();
        }
        try (TestInitiator later = TestInitiator.connect(target.address())) {
            assertThat(later.login(IQN, Map.of())).isEqualTo(0x0203);
        }
        assertThat(target.removeExport(IQN)).isFalse();
        assertThat(target.exports()).isEmpty();
    }

    @Test
    void anExportNameIsUsedOnce() {
        assertThatThrownBy(() -> target.addExport(export())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMissingBackingFileIsRefusedAndNothingIsExported() {
        Export broken = Export.of(IQN + "-broken", List.of(Lun.readWrite(0, disk, "x"), Lun.readWrite(1, Path.of("/nonexistent/f"), "y")));
        assertThatThrownBy(() -> target.addExport(broken)).isInstanceOf(IOException.class);
        assertThat(target.export(IQN + "-broken")).isEmpty();
    }

    @Test
    void connectionInfoNamesThePortalAndCredentials() throws Exception {
        target.addExport(Export.of(IQN + "-chap", List.of(Lun.readWrite(0, scratch, "c"))).withChap("carol", "carol-secret-1"));
        ConnectionInfo info = target.connectionInfo(IQN + "-chap", 0);
        assertThat(info.portal()).isEqualTo("127.0.0.1:" + target.address().getPort());
        assertThat(info.authMethod()).isEqualTo("CHAP");
        assertThat(info.url()).isEqualTo("iscsi://carol%carol-secret-1@127.0.0.1:" + target.address().getPort() + "/" + IQN + "-chap/0");
        assertThatThrownBy(() -> target.connectionInfo(IQN, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void abortTaskEndsAWriteWaitingForData() throws Exception {
        try (TestInitiator i = session(Map.of("ImmediateData", "No"))) {
            int tag = i.send(0, write16(700, 8), 4096, random(4096, 1), false);
            TestInitiator.Pdu r2t = i.next();
            assertThat(r2t.opcode()).isEqualTo(Opcode.READY_TO_TRANSFER);
            assertThat(r2t.int32(44)).isEqualTo(4096);
            assertThat(i.taskManagement(1, 0, tag)).isZero();                                 // function complete
            i.dataOut(tag, 0, r2t.int32(20), random(4096, 1), 0, 4096);                       // too late: dropped
            assertThat(i.taskManagement(1, 0, tag)).isEqualTo(1);                             // no such task now
            assertThat(i.command(0, testUnitReady(), 0, null, false).good()).isTrue();
            assertThat(fileBytes(disk, 700 * 512, 4096)).isEqualTo(pattern(700 * 512, 4096));
        }
    }

    @Test
    void resetsAnswerAndTheSessionGoesOn() throws Exception {
        try (TestInitiator i = session(Map.of("ImmediateData", "No"))) {
            i.send(0, write16(700, 8), 4096, random(4096, 1), false);
            assertThat(i.next().opcode()).isEqualTo(Opcode.READY_TO_TRANSFER);
            assertThat(i.taskManagement(5, 0, Bhs.RESERVED_TAG)).isZero();        // LUN RESET
            assertThat(i.taskManagement(5, 9, Bhs.RESERVED_TAG)).isEqualTo(2);    // no such LUN
            assertThat(i.taskManagement(2, 0, Bhs.RESERVED_TAG)).isZero();        // ABORT TASK SET
            assertThat(i.taskManagement(6, 0, Bhs.RESERVED_TAG)).isZero();        // TARGET WARM RESET
            assertThat(i.taskManagement(3, 0, Bhs.RESERVED_TAG)).isEqualTo(5);    // CLEAR ACA: not supported
            assertThat(i.taskManagement(8, 0, 1)).isEqualTo(4);                   // TASK REASSIGN: needs ERL 2
            assertThat(i.command(0, testUnitReady(), 0, null, false).good()).isTrue();
            assertThat(i.taskManagement(7, 0, Bhs.RESERVED_TAG)).isZero();        // TARGET COLD RESET...
            assertThat(i.closedByTarget()).isTrue();                              // ...drops the connection
        }
        assertTargetServes();
    }

    @Test
    void commandsOutsideTheWindowAreDroppedSilently() throws Exception {
        try (TestInitiator i = session()) {
            ByteBuffer h = i.writer().header(Opcode.SCSI_COMMAND, 0x80);
            h.putInt(16, i.newTag());
            h.putInt(24, i.nextCmdSn() + 1000);
            h.putInt(28, i.expStatSn());
            i.writer().add(h, null);
            i.writer().flush();
            assertThat(i.ping("after".getBytes(StandardCharsets.US_ASCII))).hasSize(5);  // nothing came back in between
            assertThat(i.command(0, testUnitReady(), 0, null, false).good()).isTrue();
        }
    }

    @Test
    void anUnknownOpcodeIsRejectedAndTheSessionGoesOn() throws Exception {
        try (TestInitiator i = session()) {
            byte[] pdu = new byte[48];
            pdu[0] = 0x0e;
            pdu[1] = (byte) 0x80;
            i.raw(pdu);
            TestInitiator.Pdu reject = i.next();
            assertThat(reject.opcode()).isEqualTo(Opcode.REJECT);
            assertThat(reject.header()[2]).isEqualTo((byte) 0x05);
            assertThat(reject.data()).isEqualTo(pdu);
            assertThat(i.command(0, testUnitReady(), 0, null, false).good()).isTrue();
        }
    }

    @Test
    void aCorruptDataDigestEndsOnlyThatSessionAndNothingWrittenBeforeIsLost() throws Exception {
        try (TestInitiator other = TestInitiator.connect(target.address(), 0x11)) {
            assertThat(other.login(IQN, Map.of())).isZero();
            try (TestInitiator i = session(Map.of("HeaderDigest", "CRC32C", "DataDigest", "CRC32C", "ImmediateData", "No"))) {
                byte[] kept = random(4096, 77);
                assertThat(i.write(0, write16(1000, 8), kept).good()).isTrue();
                // a Data-Out whose payload does not match its digest
                int tag = i.send(0, write16(2000, 8), 4096, new byte[4096], false);
                TestInitiator.Pdu r2t = i.next();
                assertThat(r2t.opcode()).isEqualTo(Opcode.READY_TO_TRANSFER);
                byte[] bad = buildDataOut(tag, r2t.int32(20), 4096, true);
                i.raw(bad);
                TestInitiator.Pdu reject = i.next();
                assertThat(reject.opcode()).isEqualTo(Opcode.REJECT);
                assertThat(reject.header()[2]).isEqualTo((byte) 0x02);
                assertThat(i.closedByTarget()).isTrue();
                assertThat(fileBytes(disk, 1000 * 512, 4096)).isEqualTo(kept);
            }
            assertThat(other.command(0, testUnitReady(), 0, null, false).good()).isTrue();
        }
        assertTargetServes();
    }

    /** A Data-Out for [0, length) with header and data digests, the data digest wrong when asked. */
    private static byte[] buildDataOut(int tag, int ttt, int length, boolean corrupt) {
        ByteBuffer b = ByteBuffer.allocate(48 + 4 + length + 4);
        b.put(0, (byte) Opcode.DATA_OUT).put(1, (byte) 0x80);
        b.put(5, (byte) (length >>> 16)).put(6, (byte) (length >>> 8)).put(7, (byte) length);
        b.putInt(16, tag).putInt(20, ttt);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.array(), 0, 48);
        b.order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(48, (int) crc.getValue());
        byte[] data = random(length, 9);
        crc.reset();
        crc.update(data);
        b.put(52, data);
        b.putInt(52 + length, (int) crc.getValue() ^ (corrupt ? 1 : 0));
        return b.array();
    }

    /** Data-Out PDUs for a 2-block write answering one R2T: {DataSN, offset, F bit}, and the ASC/ASCQ the command fails with. */
    static Stream<Arguments> dataOutOfSequence() {
        return Stream.of(
                Arguments.of("DataSN repeated", new int[][] {{0, 0, 0}, {0, 512, 1}}, 0x4705),
                Arguments.of("DataSN far ahead", new int[][] {{27, 0, 0}, {1, 512, 1}}, 0x4705),
                Arguments.of("PDUs in reverse order", new int[][] {{1, 512, 0}, {0, 0, 1}}, 0x4705),
                Arguments.of("offset repeated", new int[][] {{0, 0, 0}, {1, 0, 1}}, 0x4b05),
                Arguments.of("F bit before the end", new int[][] {{0, 0, 1}}, 0x0c0d),
                Arguments.of("no F bit at the end", new int[][] {{0, 0, 0}, {1, 512, 0}}, 0x0c0d));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dataOutOfSequence")
    void dataOutOfSequenceFailsItsCommandAndTheSessionGoesOn(String name, int[][] pdus, int asc) throws Exception {
        try (TestInitiator i = session(Map.of("ImmediateData", "No"))) {
            byte[] data = random(1024, 5);
            int tag = i.send(0, write16(800, 2), 1024, data, false);
            TestInitiator.Pdu r2t = i.next();
            assertThat(r2t.opcode()).isEqualTo(Opcode.READY_TO_TRANSFER);
            for (int[] pdu : pdus) {
                i.dataOutPdu(tag, 0, r2t.int32(20), pdu[0], pdu[1], java.util.Arrays.copyOfRange(data, pdu[1], pdu[1] + 512),
                        pdu[2] == 1);
            }
            TestInitiator.Result failed = i.await(tag, data);
            assertThat(failed.status()).as("status").isEqualTo(2);
            assertThat(failed.senseKey()).as("ABORTED COMMAND").isEqualTo(0x0b);
            assertThat(failed.asc()).isEqualTo(asc);
            assertThat(i.write(0, write16(800, 2), data).good()).as("the same write, in order").isTrue();
            assertThat(fileBytes(disk, 800 * 512, 1024)).isEqualTo(data);
            assertThat(i.logout()).isZero();
        }
    }

    @Test
    void unsolicitedDataOutOfSequenceFailsItsCommandWithoutAskingForMore() throws Exception {
        try (TestInitiator i = session(Map.of("ImmediateData", "No", "InitialR2T", "No", "FirstBurstLength", "1024"))) {
            byte[] data = random(2048, 6);
            int tag = i.sendWrite(0, write16(900, 4), 2048, true);
            i.dataOutPdu(tag, 0, Bhs.RESERVED_TAG, 0, 0, java.util.Arrays.copyOfRange(data, 0, 512), false);
            i.dataOutPdu(tag, 0, Bhs.RESERVED_TAG, 9, 512, java.util.Arrays.copyOfRange(data, 512, 1024), true);
            TestInitiator.Result failed = i.await(tag, data);
            assertThat(failed.senseKey()).isEqualTo(0x0b);
            assertThat(failed.asc()).isEqualTo(0x4705);
            assertThat(i.write(0, write16(900, 4), data).good()).isTrue();
            assertThat(fileBytes(disk, 900 * 512, 2048)).isEqualTo(data);
        }
    }

    @Test
    void aConnectionDroppedMidWriteLeavesTheTargetServing() throws Exception {
        TestInitiator i = session(Map.of("ImmediateData", "No"));
        byte[] before = random(4096, 99);
        assertThat(i.write(0, write16(3000, 8), before).good()).isTrue();
        int tag = i.send(0, write16(4000, 64), 64 * 512, random(64 * 512, 1), false);
        TestInitiator.Pdu r2t = i.next();
        i.dataOut(tag, 0, r2t.int32(20), random(64 * 512, 1), 0, 8192);          // part of the burst, then gone
        i.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> target.sessions().isEmpty());
        assertThat(fileBytes(disk, 3000 * 512, 4096)).isEqualTo(before);
        assertTargetServes();
    }

    @Test
    void aConnectionThatNeverLogsInIsClosed() throws Exception {
        IscsiTarget quick = new IscsiTarget(config().withLoginTimeout(Duration.ofMillis(200)));
        quick.start();
        try (TestInitiator idle = TestInitiator.connect(quick.address())) {
            assertThat(idle.closedByTarget()).isTrue();
        } finally {
            quick.close();
        }
    }

    @Test
    void closingTheTargetEndsEverySession() throws Exception {
        TestInitiator i = session();
        target.close();
        assertThat(i.closedByTarget()).isTrue();
        i.close();
        assertThat(target.running()).isFalse();
    }

    @Test
    void commandsHoldingBufferedDataAreBoundedPerConnection() throws Exception {
        try (TestInitiator i = session(Map.of("ImmediateData", "No"))) {
            byte[] unmap = new byte[16];
            unmap[0] = 0x42;
            unmap[7] = (byte) 0xff;                                    // a 65,520-byte parameter list, never sent
            unmap[8] = (byte) 0xf0;
            int full = 0;
            for (int n = 0; n < 70; n++) {
                i.send(1, unmap, 65520, new byte[65520], false);
                TestInitiator.Pdu p = i.next();
                if (p.opcode() == Opcode.SCSI_RESPONSE) {
                    assertThat(p.header()[3]).isEqualTo((byte) 0x28);                 // TASK SET FULL
                    full++;
                } else {
                    assertThat(p.opcode()).isEqualTo(Opcode.READY_TO_TRANSFER);
                }
            }
            assertThat(full).isEqualTo(70 - 64);                       // 64 lists of 64 KiB fit in 4 MiB
            assertThat(i.taskManagement(6, 0, Bhs.RESERVED_TAG)).isZero();
            assertThat(i.command(0, testUnitReady(), 0, null, false).good()).isTrue();
        }
    }

    @Test
    void aLoginWithATsihIsRefused() throws Exception {
        try (TestInitiator i = TestInitiator.connect(target.address())) {
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("InitiatorName", TestInitiator.NAME);
            keys.put("TargetName", IQN);
            ByteBuffer h = i.writer().header(Opcode.LOGIN_REQUEST | 0x40, 0x87);
            h.putShort(14, (short) 0x1234);
            i.writer().add(h, ByteBuffer.wrap(TextParameters.encode(keys)));
            i.writer().flush();
            TestInitiator.Pdu r = i.next();
            assertThat(TestInitiator.status(r)).isEqualTo(0x020a);
        }
    }
}
