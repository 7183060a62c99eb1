package dev.basalt.driver.file;

import dev.basalt.testkit.LoopFilesystem;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The file driver on XFS made with {@code reflink=1}: snapshots and clones share extents. */
class FileVolumeDriverOnXfsTest extends FileVolumeDriverContract {
    @RegisterExtension
    static final LoopFilesystem XFS = LoopFilesystem.xfs();

    private Path root;

    @Override
    protected Path root() {
        if (root == null) {
            root = XFS.newDirectory();
        }
        return root;
    }

    @Override
    protected boolean sharesExtents() {
        return true;
    }
}
