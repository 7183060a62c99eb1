package dev.basalt.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Debian's libiscsi tools and QEMU against a running target. */
class RealInitiatorTest extends TargetTestSupport {
    static final Duration GUARD = Duration.ofMinutes(2);
    static final String CHAP_IQN = IQN + "-chap";
    static final String MUTUAL_IQN = IQN + "-mutual";
    Path chapDisk;

    @BeforeEach
    void moreExports() throws Exception {
        chapDisk = dir.resolve("chap.raw");
        try (RandomAccessFile f = new RandomAccessFile(chapDisk.toFile(), "rw")) {
            f.setLength(8 << 20);
        }
        target.addExport(Export.of(CHAP_IQN, List.of(Lun.readWrite(0, chapDisk, "chap-0"))).withChap("carol", "carol-secret-1"));
        target.addExport(Export.of(MUTUAL_IQN, List.of(Lun.readWrite(0, chapDisk, "mutual-0")))
                .withChap("dave", "dave-secret-12").withMutualChap("tgt", "target-secret-34"));
    }

    String portal() {
        return "127.0.0.1:" + target.address().getPort();
    }

    String url(String iqn, int lun) {
        return "iscsi://" + portal() + "/" + iqn + "/" + lun;
    }

    String imageOpts(String iqn, String... extra) {
        return "driver=iscsi,transport=tcp,portal=" + portal() + ",target=" + iqn + ",lun=0"
                + (extra.length == 0 ? "" : "," + String.join(",", extra));
    }

    @Test
    void iscsiLsDiscoversOnlyWhatTheInitiatorMaySee() throws Exception {
        ExternalTools.require("iscsi-ls");
        ExternalTools.Run open = ExternalTools.run(GUARD, "iscsi-ls", "-s", "iscsi://" + portal());
        assertThat(open.exitCode()).as(open.output()).isZero();
        assertThat(open.stdout()).contains("Target:" + IQN + " Portal:" + portal() + ",1").contains("Lun:0", "Lun:1")
                .doesNotContain(CHAP_IQN);
        ExternalTools.Run withChap = ExternalTools.run(GUARD, "iscsi-ls", "iscsi://carol%carol-secret-1@" + portal());
        assertThat(withChap.exitCode()).as(withChap.output()).isZero();
        assertThat(withChap.stdout()).contains("Target:" + CHAP_IQN).contains("Target:" + IQN + " ").doesNotContain(MUTUAL_IQN);
    }

    @Test
    void iscsiInqReadsStandardDataAndVitalProductData() throws Exception {
        ExternalTools.require("iscsi-inq");
        ExternalTools.Run standard = ExternalTools.run(GUARD, "iscsi-inq", url(IQN, 0));
        assertThat(standard.exitCode()).as(standard.output()).isZero();
        assertThat(standard.stdout()).contains("Peripheral Device Type:DIRECT_ACCESS", "Vendor:BASALT", "Product:VIRTUAL-DISK",
                "Version Descriptor:0460 SPC-4", "Version Descriptor:04c0 SBC-3");
        ExternalTools.Run pages = ExternalTools.run(GUARD, "iscsi-inq", "-e", "1", "-c", "0", url(IQN, 0));
        assertThat(pages.stdout()).contains("Page:0x80", "Page:0x83", "Page:0xb0", "Page:0xb1", "Page:0xb2");
        // iscsi-inq takes the page code in decimal
        ExternalTools.Run serial = ExternalTools.run(GUARD, "iscsi-inq", "-e", "1", "-c", "128", url(IQN, 1));
        assertThat(serial.stdout()).contains("Unit Serial Number:[scratch-1]");
        ExternalTools.Run ids = ExternalTools.run(GUARD, "iscsi-inq", "-e", "1", "-c", "131", url(IQN, 0));
        assertThat(ids.exitCode()).as(ids.output()).isZero();
        assertThat(ids.stdout()).contains("Designator Type:(3) NAA", "Designator:[BASALT  disk-0]",
                "Designator:[" + IQN + ",t,0x0001]");
        ExternalTools.Run limits = ExternalTools.run(GUARD, "iscsi-inq", "-e", "1", "-c", "176", url(IQN, 0));
        assertThat(limits.stdout()).contains("wsnz:1", "maximum unmap block descriptor count:256");
        ExternalTools.Run provisioning = ExternalTools.run(GUARD, "iscsi-inq", "-e", "1", "-c", "178", url(IQN, 0));
        assertThat(provisioning.stdout()).contains("lbpu:1", "lbpws:1", "lbprz:1", "provisioning type:2");
    }

    @Test
    void iscsiReadCapacity16ReportsTheFilesSize() throws Exception {
        ExternalTools.require("iscsi-readcapacity16");
        ExternalTools.Run r = ExternalTools.run(GUARD, "iscsi-readcapacity16", url(IQN, 0));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout()).contains("LOGICAL BLOCK LENGTH IN BYTES:512", "Total size:" + DISK_BLOCKS * 512L, "LBPME:1");
    }

    @Test
    void qemuIoWritesAPatternThatIsInTheFileAndReadsBack() throws Exception {
        ExternalTools.require("qemu-io");
        ExternalTools.Run write = ExternalTools.run(GUARD, "qemu-io", "-f", "raw", "-c", "write -P 0xab 1M 768k",
                "-c", "write -P 0x5c 15M 1M", url(IQN, 0));
        assertThat(write.exitCode()).as(write.output()).isZero();
        assertThat(write.stdout()).contains("wrote 786432/786432 bytes at offset 1048576");
        byte[] written = fileBytes(disk, 1 << 20, 768 << 10);
        assertThat(written).containsOnly(0xab);
        assertThat(fileBytes(disk, 15 << 20, 1 << 20)).containsOnly(0x5c);
        assertThat(fileBytes(disk, (1 << 20) + (768 << 10), 512)).isEqualTo(pattern((1 << 20) + (768 << 10), 512));
        ExternalTools.Run read = ExternalTools.run(GUARD, "qemu-io", "-f", "raw", "-c", "read -P 0xab 1M 768k",
                "-c", "read -P 0x5c 15M 1M", url(IQN, 0));
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).doesNotContain("Pattern verification failed").contains("read 786432/786432 bytes");
    }

    @Test
    void qemuImgCopiesTheWholeDiskBothWays() throws Exception {
        ExternalTools.require("qemu-img");
        Path out = dir.resolve("copy.raw");
        ExternalTools.Run read = ExternalTools.run(GUARD, "qemu-img", "convert", "-f", "raw", "-O", "raw", url(IQN, 0), out.toString());
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(Files.mismatch(out, disk)).isEqualTo(-1);
        Path in = dir.resolve("in.raw");
        Files.write(in, random(1 << 20, 1234));
        ExternalTools.Run write = ExternalTools.run(GUARD, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", in.toString(),
                url(IQN, 1));
        assertThat(write.exitCode()).as(write.output()).isZero();
        assertThat(Files.mismatch(in, scratch)).isEqualTo(-1);
    }

    @Test
    void chapCredentialsInTheUrlLetQemuInAndAWrongSecretIsRefused() throws Exception {
        ExternalTools.require("qemu-io", "iscsi-inq");
        ExternalTools.Run write = ExternalTools.run(GUARD, "qemu-io", "-f", "raw", "-c", "write -P 0x77 0 64k",
                "iscsi://carol%carol-secret-1@" + portal() + "/" + CHAP_IQN + "/0");
        assertThat(write.exitCode()).as(write.output()).isZero();
        assertThat(fileBytes(chapDisk, 0, 64 << 10)).containsOnly(0x77);
        ExternalTools.Run wrong = ExternalTools.run(GUARD, "iscsi-inq", "iscsi://carol%not-the-secret@" + portal() + "/" + CHAP_IQN + "/0");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.output()).contains("Authentication failure");
        ExternalTools.Run none = ExternalTools.run(GUARD, "iscsi-inq", url(CHAP_IQN, 0));
        assertThat(none.exitCode()).isNotZero();
        assertTargetServes();
    }

    @Test
    void mutualChapWithLibiscsi() throws Exception {
        ExternalTools.require("iscsi-inq");
        String base = "iscsi://dave%dave-secret-12@" + portal() + "/" + MUTUAL_IQN + "/0";
        ExternalTools.Run right = ExternalTools.run(GUARD, "iscsi-inq", base + "?target_user=tgt&target_password=target-secret-34");
        assertThat(right.exitCode()).as(right.output()).isZero();
        ExternalTools.Run wrong = ExternalTools.run(GUARD, "iscsi-inq", base + "?target_user=tgt&target_password=something-else");
        assertThat(wrong.exitCode()).isNotZero();
    }

    @Test
    void qemuWithHeaderDigestsMovesDataIntact() throws Exception {
        ExternalTools.require("qemu-io");
        ExternalTools.Run run = ExternalTools.run(GUARD, "qemu-io", "--image-opts", "-c", "write -P 0x3e 2M 1M",
                "-c", "read -P 0x3e 2M 1M", imageOpts(IQN, "header-digest=crc32c"));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain("Pattern verification failed");
        assertThat(fileBytes(disk, 2 << 20, 1 << 20)).containsOnly(0x3e);
    }

    @Test
    void twoQemuSessionsAtOnce() throws Exception {
        ExternalTools.require("qemu-io");
        CompletableFuture<ExternalTools.Run> a = CompletableFuture.supplyAsync(() -> qemuIo("write -P 0x11 0 4M", url(IQN, 0)));
        CompletableFuture<ExternalTools.Run> b = CompletableFuture.supplyAsync(() -> qemuIo("write -P 0x22 8M 4M", url(IQN, 0)));
        assertThat(a.join().exitCode()).as(a.join().output()).isZero();
        assertThat(b.join().exitCode()).as(b.join().output()).isZero();
        assertThat(fileBytes(disk, 0, 4 << 20)).containsOnly(0x11);
        assertThat(fileBytes(disk, 8 << 20, 4 << 20)).containsOnly(0x22);
        assertThat(fileBytes(disk, 4 << 20, 4096)).isEqualTo(pattern(4 << 20, 4096));
    }

    @Test
    void qemuDiscardPunchesHoles() throws Exception {
        ExternalTools.require("qemu-io");
        ExternalTools.Run run = ExternalTools.run(GUARD, "qemu-io", "-f", "raw", "-c", "discard 4M 2M", url(IQN, 0));
        assertThat(run.exitCode()).as(run.output()).isZero();
        byte[] zeros = fileBytes(disk, 4 << 20, 2 << 20);
        assertThat(Arrays.equals(zeros, new byte[2 << 20])).isTrue();
    }

    private static ExternalTools.Run qemuIo(String command, String url) {
        try {
            return ExternalTools.run(GUARD, "qemu-io", "-f", "raw", "-c", command, url);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
