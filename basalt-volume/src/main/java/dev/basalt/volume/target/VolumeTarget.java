package dev.basalt.volume.target;

import dev.basalt.iscsi.ConnectionInfo;

/**
 * Exports volumes so that initiators can reach them over iSCSI: one export (one target name) per
 * volume, guarded by that export's own CHAP credentials.
 *
 * <p>Implementations: {@link BuiltinTarget} (Basalt's own target, in this process) and
 * {@link TgtadmTarget} (the tgt daemon, driven with {@code tgtadm}). Every implementation passes the
 * same compliance suite (TargetCompliance, in this module's test-jar), run with real initiators.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #start()} is called once before the exports are touched; it fails with a
 *       {@link TargetException} saying what to fix when the target cannot serve.</li>
 *   <li>{@link #createExport} and {@link #removeExport} are idempotent: a service that restarts
 *       re-creates the exports of attached volumes, and a bus message may come twice.</li>
 *   <li>Safe to call from many threads at once.</li>
 * </ul>
 */
public interface VolumeTarget extends AutoCloseable {

    /** The name as written in configuration ({@code target_helper}), e.g. {@code "builtin"}. */
    String name();

    /**
     * Whether exports enforce the rate limits of back-end QoS specs ({@link ExportRequest#limits()});
     * what the backend reports as {@code QoS_support}.
     */
    default boolean enforcesLimits() {
        return false;
    }

    /** Makes the target ready to serve. */
    void start();

    /**
     * Serves the export from now on, reachable only with its CHAP credentials, and tells how to
     * reach it. An export of the same name that already exists is kept as it is.
     *
     * @throws TargetException when the export cannot be served (nothing is left half-made)
     */
    ConnectionInfo createExport(ExportRequest export);

    /**
     * Stops serving the export: its sessions are closed first, so nothing is half-written
     * afterwards. An export that does not exist is fine.
     *
     * @throws TargetException when the export cannot be removed
     */
    void removeExport(String iqn);

    /** Whether an export of that name is being served. */
    boolean hasExport(String iqn);

    /**
     * Lets go of the target; the volumes' files are not touched. A target in this process stops
     * serving the exports it made; a target daemon keeps serving them, so that hosts keep their
     * disks while the volume service restarts (its next start makes the same exports again).
     */
    @Override
    void close();
}
