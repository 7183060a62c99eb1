package dev.basalt.iscsi.scsi;

import java.io.IOException;

/**
 * Opens what a logical unit serves, when its export is added; the target closes the store when the
 * export is removed. {@code toString()} names it in logs and errors (a path, a volume).
 */
@FunctionalInterface
public interface BackingStoreOpener {

    /** Opens the store, for reading only when {@code readOnly}. */
    BackingStore open(boolean readOnly) throws IOException;
}
