package dev.basalt.volume.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.iscsi.IscsiTarget;
import dev.basalt.iscsi.TargetConfig;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Basalt's own target: one {@link IscsiTarget} on a free port of 127.0.0.1, shared by the tests as backends share it. */
class BuiltinTargetTest extends TargetCompliance {
    private static IscsiTarget iscsi;

    @BeforeAll
    static void startIscsiTarget() throws IOException {
        iscsi = new IscsiTarget(TargetConfig.defaults().withAddress("127.0.0.1", 0));
        iscsi.start();
    }

    @AfterAll
    static void stopIscsiTarget() {
        if (iscsi != null) {
            iscsi.close();
        }
    }

    @Override
    protected VolumeTarget newTarget() {
        return new BuiltinTarget(iscsi);
    }

    @Override
    protected boolean exportsOutliveTheTarget() {
        return false;
    }

    @Override
    protected String portal() {
        return "127.0.0.1:" + iscsi.address().getPort();
    }

    @Test
    void startFailsWhenTheSharedTargetIsNotRunning() {
        BuiltinTarget stopped = new BuiltinTarget(new IscsiTarget(TargetConfig.defaults().withAddress("127.0.0.1", 0)));
        assertThatThrownBy(stopped::start).isInstanceOf(TargetException.class).hasMessageContaining("is not running");
    }

    @Test
    void closingLeavesExportsThatOthersMade() {
        Volume volume = newVolume(false);
        BuiltinTarget other = new BuiltinTarget(iscsi);
        other.createExport(volume.request());
        target().close();
        assertThat(iscsi.export(volume.request().iqn())).isPresent();
        other.close();
        assertThat(iscsi.export(volume.request().iqn())).isEmpty();
    }
}
