package dev.basalt.backup;

import java.io.IOException;

/** Bytes offered as a manifest are not one this repository can read; the message says what is wrong. */
public class MalformedManifestException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedManifestException(String message) {
        super(message);
    }

    public MalformedManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
