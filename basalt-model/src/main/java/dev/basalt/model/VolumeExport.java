package dev.basalt.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A volume's iSCSI export as the database keeps it, so that the volume service re-creates it after
 * a restart and initiators keep the credentials they were given.
 *
 * @param host the backend ({@code host@backend}) whose target serves it
 * @param iqn the export's target name
 * @param chapUser the CHAP user name an initiator logs in with
 * @param chapSecret the CHAP secret
 */
public record VolumeExport(String volumeId, String host, String iqn, String chapUser, String chapSecret,
                           Instant createdAt) {
    public VolumeExport {
        requireNonNull(volumeId, "volumeId");
        requireNonNull(host, "host");
        requireNonNull(iqn, "iqn");
        requireNonNull(chapUser, "chapUser");
        requireNonNull(chapSecret, "chapSecret");
    }

    @Override
    public String toString() {
        return "VolumeExport[" + volumeId + " as " + iqn + " on " + host + "]";
    }
}
