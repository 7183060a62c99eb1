package dev.basalt.iscsi.scsi;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A raw file (or block device node) a logical unit serves, opened as a {@link FileBackingStore}.
 *
 * @param path the file; its size, rounded down to a block, is the capacity
 */
public record BackingFile(Path path) implements BackingStoreOpener {
    public BackingFile {
        requireNonNull(path, "path");
    }

    @Override
    public BackingStore open(boolean readOnly) throws IOException {
        return FileBackingStore.open(path, readOnly);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
