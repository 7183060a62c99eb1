package dev.basalt.driver;

import java.nio.file.Path;

/**
 * A {@link VolumeDriver} whose volumes are local files or block devices, so that a target in this
 * process (or on this host) can export them. The contract of {@link VolumeDriver} holds here too.
 */
public interface ExportCapable extends VolumeDriver {

    /**
     * Where the volume's bytes are on this host. Fails with a {@link VolumeDriverException} when
     * the volume does not exist.
     */
    Path exportPath(String volumeId);

    /**
     * Where the snapshot's bytes are on this host (a backup of the snapshot reads them). Fails with a
     * {@link VolumeDriverException} when the snapshot does not exist.
     */
    Path snapshotPath(String snapshotId);
}
