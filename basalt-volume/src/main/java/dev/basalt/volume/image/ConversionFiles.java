package dev.basalt.volume.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The temporary files an image conversion leaves in {@code image_conversion_dir}, and their removal. */
final class ConversionFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ConversionFiles.class);

    private ConversionFiles() {
    }

    /** Removes {@code file} (null: nothing to do), logging rather than failing when it cannot. */
    static void remove(Path file, String what) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not remove the {} {}: {}", what, file, e.getMessage());
        }
    }
}
