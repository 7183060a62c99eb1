package dev.basalt.driver;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;

/**
 * The storage could not do what a driver was asked. The message names what failed and what an
 * operator can do about it (the path, the device, the missing permission, ...). For a caller of the
 * API it is an internal error (HTTP 500), as Cinder's {@code VolumeBackendAPIException}.
 */
public class VolumeDriverException extends BasaltException {

    public VolumeDriverException(String message) {
        super(Fault.INTERNAL, message);
    }

    public VolumeDriverException(String message, Throwable cause) {
        super(Fault.INTERNAL, message, cause);
    }
}
