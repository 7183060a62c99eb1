package dev.basalt.volume.target;

import static java.util.Objects.requireNonNull;

import dev.basalt.iscsi.scsi.BackingFile;
import dev.basalt.iscsi.scsi.BackingStoreOpener;
import java.nio.file.Path;

/**
 * What an export serves: a file on this host (every target can serve it), or a block device a
 * volume driver opens (only Basalt's own target, which reads and writes through it).
 */
public sealed interface ExportSource {

    /** How Basalt's own target opens it. */
    BackingStoreOpener opener();

    /** Names it in logs and errors. */
    String describe();

    /** A raw file or block device node on this host. */
    record File(Path path) implements ExportSource {
        public File {
            requireNonNull(path, "path");
        }

        @Override
        public BackingStoreOpener opener() {
            return new BackingFile(path);
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /** A volume's bytes opened through its driver's block I/O (an RBD image, ...). */
    record Device(BackingStoreOpener opener) implements ExportSource {
        public Device {
            requireNonNull(opener, "opener");
        }

        @Override
        public String describe() {
            return opener.toString();
        }
    }
}
