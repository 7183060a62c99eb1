package dev.basalt.volume.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.iscsi.ChapCredentials;
import dev.basalt.iscsi.ConnectionInfo;
import dev.basalt.iscsi.ExternalTools;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tgt daemon, started by the test on free ports of 127.0.0.1 and stopped after it. */
class TgtadmTargetTest extends TargetCompliance {
    private static TgtDaemon tgtd;

    @BeforeAll
    static void startTgtd(@TempDir Path logs) throws Exception {
        ExternalTools.requireFrom("tgt", "tgtd", "tgtadm");
        tgtd = TgtDaemon.start(logs);
    }

    @AfterAll
    static void stopTgtd() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @Override
    protected VolumeTarget newTarget() {
        return new TgtadmTarget(tgtd.tgtadm(), "127.0.0.1", tgtd.port());
    }

    @Override
    protected boolean exportsOutliveTheTarget() {
        return true;
    }

    @Override
    protected String portal() {
        return "127.0.0.1:" + tgtd.port();
    }

    @Test
    void startTellsTheOperatorToStartTgtdWhenItDoesNotAnswer() {
        // a control port where no daemon listens: tgtd names its socket after the number
        Tgtadm nobody = new Tgtadm(tgtd.controlPort() + 1, Duration.ofSeconds(10));
        TgtadmTarget target = new TgtadmTarget(nobody, "127.0.0.1", 3260);
        assertThatThrownBy(target::start).isInstanceOf(TargetException.class)
                .hasMessageContaining("does not answer")
                .hasMessageContaining("tgtd --iscsi portal=127.0.0.1:3260 -C " + nobody.controlPort());
    }

    @Test
    void startRefusesAPortalTgtdDoesNotListenOn() {
        int elsewhere = tgtd.port() == 65535 ? 65534 : tgtd.port() + 1;
        TgtadmTarget target = new TgtadmTarget(tgtd.tgtadm(), "127.0.0.1", elsewhere);
        assertThatThrownBy(target::start).isInstanceOf(TargetException.class)
                .hasMessageContaining("listens on [127.0.0.1:" + tgtd.port() + "], not on 127.0.0.1:" + elsewhere);
    }

    @Test
    void anExportLeftHalfMadeIsMadeAgain() throws Exception {
        Volume volume = newVolume(false);
        // what a crash between the first tgtadm command and the last leaves: a target without ACL
        tgtd.tgtadm().run("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", "99",
                "--targetname", volume.request().iqn());
        ConnectionInfo info = target().createExport(volume.request());
        assertReachable(info);
    }

    @Test
    void anAccountLeftBehindIsReplacedWithTheRequestedSecret() throws Exception {
        Volume volume = newVolume(false);
        ChapCredentials chap = volume.request().chap();
        tgtd.tgtadm().run("--lld", "iscsi", "--op", "new", "--mode", "account", "--user", chap.user(),
                "--password", "an-older-secret");
        ConnectionInfo info = target().createExport(volume.request());
        assertReachable(info);
    }

    @Test
    void aChapUserOfAnotherExportIsRefusedAndNothingIsLeft() {
        Volume first = newVolume(false);
        Volume second = newVolume(false);
        target().createExport(first.request());
        ExportRequest sameUser = new ExportRequest(second.request().iqn(), second.file(), second.request().serial(),
                false, first.request().chap());
        assertThatThrownBy(() -> target().createExport(sameUser)).isInstanceOf(TargetException.class)
                .hasMessageContaining("already bound to [" + first.request().iqn() + "]");
        assertThat(target().hasExport(sameUser.iqn())).isFalse();
        assertThat(target().hasExport(first.request().iqn())).isTrue();
    }

    @Test
    void aSerialLongerThanTgtKeepsIsRefused() {
        Volume volume = newVolume(false);
        ExportRequest longSerial = new ExportRequest(volume.request().iqn(), volume.file(), "x".repeat(37), false,
                volume.request().chap());
        assertThatThrownBy(() -> target().createExport(longSerial)).isInstanceOf(TargetException.class)
                .hasMessageContaining("1 to 36");
        assertThat(target().hasExport(longSerial.iqn())).isFalse();
    }

    @Test
    void anExportWithAnotherFileIsNotTakenForTheRequestedOne() {
        Volume volume = newVolume(false);
        Volume other = newVolume(false);
        target().createExport(volume.request());
        ExportRequest otherFile = new ExportRequest(volume.request().iqn(), other.file(), volume.request().serial(),
                false, volume.request().chap());
        assertThatThrownBy(() -> target().createExport(otherFile)).isInstanceOf(TargetException.class)
                .hasMessageContaining("remove that export first");
    }

    @Test
    void aVolumeOnABlockDeviceOfItsDriverIsRefusedSayingWhatServesIt() {
        Volume volume = newVolume(false);
        ExportRequest device = new ExportRequest(volume.request().iqn(), new ExportSource.Device(new DeviceOpener()),
                volume.request().serial(), false, volume.request().chap(), dev.basalt.iscsi.IoLimits.NONE);
        assertThatThrownBy(() -> target().createExport(device)).isInstanceOf(TargetException.class)
                .hasMessageContaining("serves files only").hasMessageContaining("volume v of the rbd driver")
                .hasMessageContaining("target_helper = builtin");
        assertThat(target().hasExport(device.iqn())).isFalse();
    }

    /** Opens nothing: tgt must refuse before opening anything. */
    private static final class DeviceOpener implements dev.basalt.iscsi.scsi.BackingStoreOpener {
        @Override
        public dev.basalt.iscsi.scsi.BackingStore open(boolean readOnly) {
            throw new AssertionError("tgt opened a block device");
        }

        @Override
        public String toString() {
            return "volume v of the rbd driver";
        }
    }
}
