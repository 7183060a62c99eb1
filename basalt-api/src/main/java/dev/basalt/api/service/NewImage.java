package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

/**
 * What a caller asks of the image a volume is uploaded as ({@code os-volume_upload_image}).
 *
 * @param visibility null before 3.1 (Glance's default applies)
 * @param isProtected null before 3.1
 * @param authToken  the caller's {@code X-Auth-Token}, which Glance is asked with; null without one
 */
public record NewImage(String name, String diskFormat, String containerFormat, boolean force, String visibility,
                       Boolean isProtected, String authToken) {
    public NewImage {
        requireNonNull(name, "name");
        requireNonNull(diskFormat, "diskFormat");
        requireNonNull(containerFormat, "containerFormat");
    }

    @Override
    public String toString() {
        return "NewImage[name=" + name + ", diskFormat=" + diskFormat + ", containerFormat=" + containerFormat
                + ", force=" + force + ", visibility=" + visibility + ", protected=" + isProtected
                + ", authToken=***]";
    }
}
