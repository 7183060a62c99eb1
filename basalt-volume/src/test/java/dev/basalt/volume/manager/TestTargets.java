package dev.basalt.volume.manager;

import dev.basalt.iscsi.IscsiTarget;
import dev.basalt.iscsi.TargetConfig;
import dev.basalt.volume.target.BuiltinTarget;
import dev.basalt.volume.target.VolumeTarget;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A builtin iSCSI target on 127.0.0.1 and a free port, started on first use, for volume service tests. */
final class TestTargets implements AutoCloseable {
    private IscsiTarget iscsi;

    synchronized VolumeTarget target() {
        if (iscsi == null) {
            iscsi = new IscsiTarget(TargetConfig.defaults().withAddress("127.0.0.1", 0));
            try {
                iscsi.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new BuiltinTarget(iscsi);
    }

    @Override
    public synchronized void close() {
        if (iscsi != null) {
            iscsi.close();
        }
    }
}
