package dev.basalt.volume.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.basalt.iscsi.ChapCredentials;
import dev.basalt.iscsi.ConnectionInfo;
import dev.basalt.iscsi.ExternalTools;
import dev.basalt.iscsi.IoLimits;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link VolumeTarget} must do, checked with the initiators a user would have: QEMU
 * ({@code qemu-io}, {@code qemu-img} with iscsi:// URLs) and libiscsi's tools ({@code iscsi-inq},
 * {@code iscsi-ls}, {@code iscsi-readcapacity16}, {@code iscsi-test-cu}). Without them the tests
 * skip, naming the packages; with {@code CI=true} they fail instead.
 *
 * <p>A target's test extends this class and gives a new target (not started) and the portal that
 * initiators reach it at; the base starts the target before each test and closes it after. Each
 * test exports files of its own, filled with seeded random bytes, and compares what initiators
 * read and write with the bytes on disk.
 */
public abstract class TargetCompliance {
    protected static final Duration GUARD = Duration.ofMinutes(2);
    protected static final String PREFIX = "iqn.2010-10.org.openstack:";
    private static final int MIB = 1 << 20;
    private static final int SIZE = 8 * MIB;
    private static final Pattern CUNIT_TESTS = Pattern.compile("tests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");

    @TempDir
    Path dir;
    private VolumeTarget target;
    private long seed = 1;
    private final List<Volume> volumes = new ArrayList<>();

    /** A new target, not started yet. */
    protected abstract VolumeTarget newTarget() throws Exception;

    /** {@code host:port} where initiators reach the targets that {@link #newTarget} makes. */
    protected abstract String portal();

    @BeforeEach
    final void startTarget() throws Exception {
        ExternalTools.require("qemu-io", "qemu-img", "iscsi-inq", "iscsi-ls", "iscsi-readcapacity16", "iscsi-test-cu");
        target = newTarget();
        target.start();
    }

    @AfterEach
    final void closeTarget() {
        if (target != null) {
            for (Volume volume : volumes) {
                target.removeExport(volume.request().iqn());
            }
            target.close();
        }
    }

    /**
     * Whether exports outlive the target object that made them: true for a target daemon, which
     * keeps serving hosts while the volume service restarts; false for a target in this process.
     */
    protected abstract boolean exportsOutliveTheTarget();

    /** The target under test, started. */
    protected final VolumeTarget target() {
        return target;
    }

    // ---------------------------------------------------------------- the data path

    @Test
    void theConnectionInfoTakesAnInitiatorToTheFile() throws Exception {
        Volume volume = newVolume(false);
        ConnectionInfo info = target.createExport(volume.request());

        assertThat(info.portal()).isEqualTo(portal());
        assertThat(info.iqn()).isEqualTo(volume.request().iqn());
        assertThat(info.chap()).contains(volume.request().chap());
        assertThat(info.authMethod()).isEqualTo("CHAP");
        assertThat(info.mutualChap()).isEmpty();
        assertThat(target.hasExport(volume.request().iqn())).isTrue();

        ExternalTools.Run write = qemuIo(info.url(), "write -P 0xa5 1M 512k", "write -P 0x5a 7M 1M");
        assertThat(write.exitCode()).as(write.output()).isZero();
        assertThat(fileBytes(volume.file(), MIB, 512 << 10)).containsOnly(0xa5);
        assertThat(fileBytes(volume.file(), 7 * MIB, MIB)).containsOnly(0x5a);
        assertThat(fileBytes(volume.file(), MIB + (512 << 10), 5 * MIB + (512 << 10)))
                .isEqualTo(volume.original(MIB + (512 << 10), 5 * MIB + (512 << 10)));

        ExternalTools.Run read = qemuIo(info.url(), "read -P 0xa5 1M 512k", "read -P 0x5a 7M 1M");
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).doesNotContain("Pattern verification failed");
        assertThat(copyOut(info.url())).hasSameBinaryContentAs(volume.file());
    }

    @Test
    void theUnitShowsTheFilesSizeAndTheRequestedSerial() throws Exception {
        Volume volume = newVolume(false);
        ConnectionInfo info = target.createExport(volume.request());
        ExternalTools.Run capacity = ExternalTools.run(GUARD, "iscsi-readcapacity16", info.url());
        assertThat(capacity.exitCode()).as(capacity.output()).isZero();
        assertThat(capacity.stdout()).contains("LOGICAL BLOCK LENGTH IN BYTES:512", "Total size:" + SIZE);
        ExternalTools.Run serial = ExternalTools.run(GUARD, "iscsi-inq", "-e", "1", "-c", "128", info.url());
        assertThat(serial.exitCode()).as(serial.output()).isZero();
        assertThat(serial.stdout()).contains("Unit Serial Number:[" + volume.request().serial() + "]");
    }

    @Test
    void theUnitPassesLibiscsisReadWriteTests() throws Exception {
        Volume volume = newVolume(false);
        ConnectionInfo info = target.createExport(volume.request());
        ExternalTools.Run run = ExternalTools.run(GUARD, "iscsi-test-cu", "--dataloss", "--silent",
                "--test=SCSI.TestUnitReady,SCSI.Inquiry.Standard,SCSI.ReadCapacity16,SCSI.Read10,SCSI.Write10,SCSI.Write16",
                info.url());
        assertThat(run.exitCode()).as(run.output()).isZero();
        Matcher tests = CUNIT_TESTS.matcher(run.stdout());
        assertThat(tests.find()).as(run.output()).isTrue();
        assertThat(Integer.parseInt(tests.group(2))).as("tests run").isPositive();
        assertThat(Integer.parseInt(tests.group(4))).as("tests failed: " + run.output()).isZero();
    }

    // ---------------------------------------------------------------- CHAP

    @Test
    void aWrongChapSecretIsRefused() throws Exception {
        Volume volume = newVolume(false);
        ConnectionInfo info = target.createExport(volume.request());
        String wrong = withChap(info, new ChapCredentials(volume.request().chap().user(), "not-the-secret-1"));
        ExternalTools.Run inquiry = ExternalTools.run(GUARD, "iscsi-inq", wrong);
        assertThat(inquiry.exitCode()).as(inquiry.output()).isNotZero();
        assertThat(qemuIo(wrong, "write -P 0x66 0 64k").exitCode()).isNotZero();
        assertThat(volume.file()).hasBinaryContent(volume.original());
    }

    @Test
    void noCredentialsAreRefused() throws Exception {
        Volume volume = newVolume(false);
        ConnectionInfo info = target.createExport(volume.request());
        String anonymous = new ConnectionInfo(info.host(), info.port(), info.iqn(), info.lun(), Optional.empty(),
                Optional.empty()).url();
        ExternalTools.Run inquiry = ExternalTools.run(GUARD, "iscsi-inq", anonymous);
        assertThat(inquiry.exitCode()).as(inquiry.output()).isNotZero();
        assertThat(qemuIo(anonymous, "write -P 0x66 0 64k").exitCode()).isNotZero();
        assertThat(volume.file()).hasBinaryContent(volume.original());
    }

    // ---------------------------------------------------------------- the export's life

    @Test
    void creatingAnExportTwiceKeepsItAndGivesTheSameInfo() throws Exception {
        Volume volume = newVolume(false);
        ConnectionInfo first = target.createExport(volume.request());
        ConnectionInfo second = target.createExport(volume.request());
        assertThat(second).isEqualTo(first);
        assertThat(target.hasExport(volume.request().iqn())).isTrue();
        assertReachable(second);
    }

    @Test
    void aRemovedExportIsGoneAndItsFileIntact() throws Exception {
        Volume volume = newVolume(false);
        ConnectionInfo info = target.createExport(volume.request());
        assertThat(qemuIo(info.url(), "write -P 0x3c 2M 1M").exitCode()).isZero();
        assertThat(discover(info)).contains(info.iqn());

        target.removeExport(volume.request().iqn());

        assertThat(target.hasExport(volume.request().iqn())).isFalse();
        assertUnreachable(info);
        assertThat(discover(info)).doesNotContain(info.iqn());
        assertThatCode(() -> target.removeExport(volume.request().iqn())).doesNotThrowAnyException();
        assertThat(Files.size(volume.file())).isEqualTo(SIZE);
        assertThat(fileBytes(volume.file(), 2 * MIB, MIB)).containsOnly(0x3c);
        assertThat(fileBytes(volume.file(), 0, 2 * MIB)).isEqualTo(volume.original(0, 2 * MIB));
        assertThat(fileBytes(volume.file(), 3 * MIB, 5 * MIB)).isEqualTo(volume.original(3 * MIB, 5 * MIB));
    }

    @Test
    void removingAnExportClosesTheSessionsOpenOnIt() throws Exception {
        Volume volume = newVolume(false);
        ConnectionInfo info = target.createExport(volume.request());
        // qemu-io writes, then keeps its session open while it sleeps
        Process holder = new ProcessBuilder("qemu-io", "-f", "raw", "-c", "write -P 0x5e 0 64k", "-c", "sleep 120000", info.url())
                .redirectErrorStream(true).redirectOutput(dir.resolve("holder.log").toFile()).start();
        try {
            await().atMost(GUARD).pollInterval(Duration.ofMillis(50))
                    .until(() -> isFilled(fileBytes(volume.file(), 0, 64 << 10), 0x5e));

            target.removeExport(volume.request().iqn());

            assertThat(target.hasExport(volume.request().iqn())).isFalse();
            assertUnreachable(info);
            assertThat(fileBytes(volume.file(), 64 << 10, MIB)).isEqualTo(volume.original(64 << 10, MIB));
        } finally {
            // libiscsi keeps trying to reconnect to the export that is gone
            holder.destroyForcibly().waitFor();
        }
    }

    @Test
    void removingAnExportThatNeverExistedIsFine() {
        String iqn = PREFIX + "volume-" + UUID.randomUUID();
        assertThatCode(() -> target.removeExport(iqn)).doesNotThrowAnyException();
        assertThat(target.hasExport(iqn)).isFalse();
    }

    @Test
    void anExportCanBeMadeAgainAfterItWasRemoved() throws Exception {
        Volume volume = newVolume(false);
        target.createExport(volume.request());
        target.removeExport(volume.request().iqn());
        ConnectionInfo again = target.createExport(volume.request());
        assertReachable(again);
        assertThat(qemuIo(again.url(), "write -P 0x44 0 4k").exitCode()).isZero();
        assertThat(fileBytes(volume.file(), 0, 4096)).containsOnly(0x44);
    }

    @Test
    void anExportOfAMissingFileFailsAndLeavesNothingBehind() throws Exception {
        Volume volume = newVolume(false);
        ExportRequest missing = new ExportRequest(volume.request().iqn(), dir.resolve("no-such-file"),
                volume.request().serial(), false, volume.request().chap());
        assertThatThrownBy(() -> target.createExport(missing)).isInstanceOf(TargetException.class);
        assertThat(target.hasExport(missing.iqn())).isFalse();
        ConnectionInfo info = target.createExport(volume.request());
        assertReachable(info);
    }

    @Test
    void closingTheTargetLeavesTheFilesAndTheNextOneServesTheSameExportsAgain() throws Exception {
        Volume a = newVolume(false);
        Volume b = newVolume(false);
        ConnectionInfo infoA = target.createExport(a.request());
        ConnectionInfo infoB = target.createExport(b.request());
        assertThat(qemuIo(infoA.url(), "write -P 0x71 0 1M").exitCode()).isZero();

        target.close();
        if (exportsOutliveTheTarget()) {
            assertReachable(infoA);
            assertReachable(infoB);
        } else {
            assertUnreachable(infoA);
            assertUnreachable(infoB);
        }
        assertThat(fileBytes(a.file(), 0, MIB)).containsOnly(0x71);
        assertThat(b.file()).hasBinaryContent(b.original());

        target = newTarget();
        target.start();
        assertThat(target.createExport(a.request())).isEqualTo(infoA);
        ExternalTools.Run read = qemuIo(infoA.url(), "read -P 0x71 0 1M");
        assertThat(read.exitCode()).as(read.output()).isZero();
    }

    // ---------------------------------------------------------------- several exports

    @Test
    void twoExportsAreIndependent() throws Exception {
        Volume a = newVolume(false);
        Volume b = newVolume(false);
        ConnectionInfo infoA = target.createExport(a.request());
        ConnectionInfo infoB = target.createExport(b.request());
        assertThat(infoA.iqn()).isNotEqualTo(infoB.iqn());

        assertThat(qemuIo(infoA.url(), "write -P 0x11 0 1M").exitCode()).isZero();
        assertThat(qemuIo(infoB.url(), "write -P 0x22 0 1M").exitCode()).isZero();
        assertThat(fileBytes(a.file(), 0, MIB)).containsOnly(0x11);
        assertThat(fileBytes(b.file(), 0, MIB)).containsOnly(0x22);

        String bWithCredentialsOfA = withChap(infoB, a.request().chap());
        assertThat(ExternalTools.run(GUARD, "iscsi-inq", bWithCredentialsOfA).exitCode()).isNotZero();

        target.removeExport(a.request().iqn());
        assertUnreachable(infoA);
        ExternalTools.Run stillB = qemuIo(infoB.url(), "read -P 0x22 0 1M");
        assertThat(stillB.exitCode()).as(stillB.output()).isZero();
        assertThat(stillB.output()).doesNotContain("Pattern verification failed");
        assertThat(target.hasExport(b.request().iqn())).isTrue();
    }

    @Test
    void exportsMadeFromSeveralThreadsAtOnceAllServe() throws Exception {
        List<Volume> volumes = List.of(newVolume(false), newVolume(false), newVolume(false), newVolume(true));
        List<Future<ConnectionInfo>> made = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(volumes.size())) {
            for (Volume volume : volumes) {
                made.add(threads.submit(() -> target.createExport(volume.request())));
            }
        }
        for (int i = 0; i < volumes.size(); i++) {
            ConnectionInfo info = made.get(i).get();
            ExternalTools.Run serial = ExternalTools.run(GUARD, "iscsi-inq", "-e", "1", "-c", "128", info.url());
            assertThat(serial.stdout()).as(serial.output()).contains("[" + volumes.get(i).request().serial() + "]");
        }
    }

    // ---------------------------------------------------------------- read-only

    @Test
    void aReadOnlyExportRefusesWritesAndServesReads() throws Exception {
        Volume volume = newVolume(true);
        ConnectionInfo info = target.createExport(volume.request());

        ExternalTools.Run qemu = qemuIo(info.url(), "write -P 0x99 0 64k");
        assertThat(qemu.exitCode()).as(qemu.output()).isNotZero();
        // QEMU sees the write protection and does not try; libiscsi's test sends the writes anyway
        ExternalTools.Run writes = ExternalTools.run(GUARD, "iscsi-test-cu", "--dataloss", "--Verbose-scsi",
                "--test=SCSI.ReadOnly.ReadOnlySBC", info.url());
        assertThat(writes.output()).contains(
                "WRITE10 returned CHECK_CONDITION DATA PROTECTION(0x07) WRITE_PROTECTED(0x2700)",
                "WRITE16 returned CHECK_CONDITION DATA PROTECTION(0x07) WRITE_PROTECTED(0x2700)");
        assertThat(volume.file()).hasBinaryContent(volume.original());

        assertThat(copyOut(info.url())).hasBinaryContent(volume.original());
    }

    // ---------------------------------------------------------------- helpers

    /** A file to export, with the bytes it started with, and the request that exports it. */
    protected record Volume(Path file, byte[] bytes, ExportRequest request) {
        /** The bytes the file started with. */
        public byte[] original() {
            return bytes.clone();
        }

        public byte[] original(int offset, int length) {
            return Arrays.copyOfRange(bytes, offset, offset + length);
        }
    }

    /** An 8 MiB file of seeded random bytes and a request to export it, with its own name, serial and CHAP account. */
    protected final Volume newVolume(boolean readOnly) {
        String id = UUID.randomUUID().toString();
        byte[] bytes = new byte[SIZE];
        new Random(seed++).nextBytes(bytes);
        Path file = dir.resolve("volume-" + id);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChapCredentials chap = new ChapCredentials("user-" + id.substring(0, 8), id.replace("-", "").substring(0, 20));
        Volume volume = new Volume(file, bytes, new ExportRequest(PREFIX + "volume-" + id, source(id, file), id, readOnly,
                chap, IoLimits.NONE));
        volumes.add(volume);
        return volume;
    }

    /** What an export of the volume {@code id}, whose bytes are {@code file}, serves: the file itself. */
    protected ExportSource source(String id, Path file) {
        return new ExportSource.File(file);
    }

    protected static ExternalTools.Run qemuIo(String url, String... commands) throws Exception {
        List<String> command = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        for (String c : commands) {
            command.addAll(List.of("-c", c));
        }
        command.add(url);
        return ExternalTools.run(GUARD, command.toArray(String[]::new));
    }

    /** The LUN's whole contents, read with qemu-img into a local file. */
    private Path copyOut(String url) throws Exception {
        Path out = Files.createTempFile(dir, "copy-", ".raw");
        ExternalTools.Run copy = ExternalTools.run(GUARD, "qemu-img", "convert", "-f", "raw", "-O", "raw", url, out.toString());
        assertThat(copy.exitCode()).as(copy.output()).isZero();
        return out;
    }

    /** The target names that discovery (SendTargets) at the portal lists, asked with the export's credentials. */
    private static String discover(ConnectionInfo info) throws Exception {
        ChapCredentials chap = info.chap().orElseThrow();
        return ExternalTools.run(GUARD, "iscsi-ls", "iscsi://" + chap.user() + "%" + chap.secret() + "@" + info.portal()).stdout();
    }

    /** The URL of the export's LUN with other credentials. */
    private static String withChap(ConnectionInfo info, ChapCredentials chap) {
        return new ConnectionInfo(info.host(), info.port(), info.iqn(), info.lun(), Optional.of(chap), Optional.empty()).url();
    }

    protected static void assertReachable(ConnectionInfo info) throws Exception {
        ExternalTools.Run inquiry = ExternalTools.run(GUARD, "iscsi-inq", info.url());
        assertThat(inquiry.exitCode()).as(inquiry.output()).isZero();
        assertThat(inquiry.stdout()).contains("Peripheral Device Type:DIRECT_ACCESS");
    }

    protected static void assertUnreachable(ConnectionInfo info) throws Exception {
        ExternalTools.Run inquiry = ExternalTools.run(GUARD, "iscsi-inq", info.url());
        assertThat(inquiry.exitCode()).as(inquiry.output()).isNotZero();
    }

    private static boolean isFilled(byte[] bytes, int value) {
        for (byte b : bytes) {
            if ((b & 0xff) != value) {
                return false;
            }
        }
        return true;
    }

    private static byte[] fileBytes(Path file, long offset, int length) throws IOException {
        byte[] b = new byte[length];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(offset);
            f.readFully(b);
        }
        return b;
    }
}
