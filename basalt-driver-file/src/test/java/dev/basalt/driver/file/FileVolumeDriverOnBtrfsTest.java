package dev.basalt.driver.file;

import dev.basalt.testkit.LoopFilesystem;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The file driver on btrfs: snapshots and clones share extents. */
class FileVolumeDriverOnBtrfsTest extends FileVolumeDriverContract {
    @RegisterExtension
    static final LoopFilesystem BTRFS = LoopFilesystem.btrfs();

    private Path root;

    @Override
    protected Path root() {
        if (root == null) {
            root = BTRFS.newDirectory();
        }
        return root;
    }

    @Override
    protected boolean sharesExtents() {
        return true;
    }
}
