package dev.basalt.volume.target;

import static java.util.Objects.requireNonNull;

import dev.basalt.iscsi.ChapCredentials;
import dev.basalt.iscsi.IoLimits;
import dev.basalt.iscsi.Iqn;
import java.nio.file.Path;

/**
 * One volume to export.
 *
 * @param iqn the export's iSCSI target name ({@code target_prefix} + {@code volume-<id>}), kept in
 *     lower case as iSCSI names compare case-insensitively
 * @param source the volume's bytes: a file on this host, or a block device its driver opens
 * @param serial the unit serial number initiators see (the volume's id)
 * @param readOnly whether initiators may only read
 * @param chap the credentials an initiator must log in with
 * @param limits the rate limits of its reads and writes (back-end QoS; {@link IoLimits#NONE}: none)
 */
public record ExportRequest(String iqn, ExportSource source, String serial, boolean readOnly, ChapCredentials chap,
                            IoLimits limits) {
    public ExportRequest {
        requireNonNull(iqn, "iqn");
        if (!Iqn.isValid(iqn)) {
            throw new IllegalArgumentException("not an iSCSI name (iqn.yyyy-mm.domain[:id], eui.…, naa.…): " + iqn);
        }
        iqn = Iqn.normalize(iqn);
        requireNonNull(source, "source");
        requireNonNull(serial, "serial");
        requireNonNull(chap, "chap");
        requireNonNull(limits, "limits");
    }

    /** An export of a file. */
    public ExportRequest(String iqn, Path file, String serial, boolean readOnly, ChapCredentials chap,
                         IoLimits limits) {
        this(iqn, new ExportSource.File(file), serial, readOnly, chap, limits);
    }

    /** An export of a file, without rate limits. */
    public ExportRequest(String iqn, Path file, String serial, boolean readOnly, ChapCredentials chap) {
        this(iqn, file, serial, readOnly, chap, IoLimits.NONE);
    }
}
