package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.AttachmentRepository;
import dev.basalt.db.ExportRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.iscsi.ChapCredentials;
import dev.basalt.iscsi.ConnectionInfo;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeExport;
import dev.basalt.rpc.InitializeConnection;
import dev.basalt.rpc.VolumeConnection;
import dev.basalt.rpc.TerminateConnection;
import dev.basalt.driver.BlockIoCapable;
import dev.basalt.driver.ExportCapable;
import dev.basalt.driver.NativeConnectionCapable;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.driver.VolumeDriverException;
import dev.basalt.volume.target.DriverDeviceOpener;
import dev.basalt.volume.target.ExportRequest;
import dev.basalt.volume.target.ExportSource;
import dev.basalt.volume.target.TargetException;
import dev.basalt.volume.target.VolumeTarget;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells hosts how to reach this backend's volumes: natively when the driver offers a connection of
 * its own (RBD) and the host does not ask otherwise, else over iSCSI, exporting the volume through the
 * target when a host connects (its file, or its driver's block device) and removing the export when
 * the last host is done ({@link ConnectionProtocols} decides which). The database keeps each export (its name and CHAP credentials), so
 * that {@link #recover()} serves the same exports with the same credentials after a restart.
 */
final class VolumeExporter {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeExporter.class);

    private final String backend;
    private final VolumeDriver driver;
    private final VolumeTarget target;
    private final String targetPrefix;
    private final VolumeRepository volumes;
    private final ExportRepository exports;
    private final AttachmentRepository attachments;
    private final BackEndQos backEndQos;
    private final Clock clock;
    private final ChapSecrets secrets = new ChapSecrets();
    private final ConnectionProtocols protocols;

    VolumeExporter(String backend, VolumeDriver driver, VolumeTarget target, String targetPrefix,
                   VolumeRepository volumes, ExportRepository exports, AttachmentRepository attachments,
                   BackEndQos backEndQos, Clock clock) {
        this.backend = requireNonNull(backend, "backend");
        this.driver = requireNonNull(driver, "driver");
        this.target = requireNonNull(target, "target");
        this.targetPrefix = requireNonNull(targetPrefix, "targetPrefix");
        this.volumes = requireNonNull(volumes, "volumes");
        this.exports = requireNonNull(exports, "exports");
        this.attachments = requireNonNull(attachments, "attachments");
        this.backEndQos = requireNonNull(backEndQos, "backEndQos");
        this.clock = requireNonNull(clock, "clock");
        this.protocols = new ConnectionProtocols(backend, driver);
    }

    /** Tells how the connector's host reaches the volume, exporting it (once) when that is over iSCSI. */
    VolumeConnection initialize(InitializeConnection request) {
        Volume volume = volumes.find(request.volumeId())
                .orElseThrow(() -> BasaltException.notFound("Volume %s could not be found.", request.volumeId()));
        if (!backend.equals(volume.backend())) {
            throw BasaltException.conflict("Volume %s is not on backend %s.", volume.id(), backend);
        }
        String protocol = protocols.choose(request.connector());
        if (!VolumeConnection.ISCSI.equals(protocol)) {
            return nativeConnection(request, (NativeConnectionCapable) driver, volume);
        }
        Object initiator = request.connector().get("initiator");
        if (!(initiator instanceof String name) || name.isBlank()) {
            throw BasaltException.badRequest("Invalid input received: Connector doesn't have required information:"
                    + " initiator. An iSCSI connection needs the host's initiator name in the connector.");
        }
        VolumeExport candidate = newExport(volume.id());
        VolumeExport export = exports.findOrAdd(candidate)
                .orElseThrow(() -> BasaltException.notFound("Volume %s could not be found.", volume.id()));
        ConnectionInfo info;
        try {
            info = serve(export, volume);
        } catch (RuntimeException e) {
            if (export == candidate) {
                exports.delete(volume.id());   // made just now and never served: nothing to keep
            }
            throw e;
        }
        LOG.info("{} volume {} exported as {} for initiator {}", request.requestId(), volume.id(), info.iqn(), initiator);
        return VolumeConnection.iscsi(info.portal(), info.iqn(), info.lun(), "CHAP", export.chapUser(),
                export.chapSecret());
    }

    /** Removes the volume's export unless an attachment other than the one going still uses it. */
    void terminate(TerminateConnection request) {
        boolean stillUsed = attachments.ofVolume(request.volumeId()).stream()
                .anyMatch(a -> a.connected() && !a.id().equals(request.attachmentId()));
        if (stillUsed) {
            LOG.info("{} volume {} stays exported: other hosts use it", request.requestId(), request.volumeId());
            return;
        }
        removeExport(request.volumeId());
    }

    /** Removes the volume's export, if it has one (before the volume is deleted, too). */
    void removeExport(String volumeId) {
        Optional<VolumeExport> export = exports.find(volumeId);
        if (export.isEmpty()) {
            return;
        }
        try {
            target.removeExport(export.get().iqn());
        } catch (TargetException e) {
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "The export of volume " + volumeId
                    + " could not be removed: " + e.getMessage(), e);
        }
        exports.delete(volumeId);
        LOG.info("volume {} is no longer exported ({})", volumeId, export.get().iqn());
    }

    /** Serves again the exports this backend had when it stopped; forgets those whose volume is gone. */
    void recover() {
        for (VolumeExport export : exports.onHost(backend)) {
            Optional<Volume> volume = volumes.find(export.volumeId());
            try {
                if (volume.isEmpty() || !driver.hasVolume(export.volumeId())) {
                    exports.delete(export.volumeId());
                    continue;
                }
                serve(export, volume.get());
                LOG.info("volume {} exported again as {}", export.volumeId(), export.iqn());
            } catch (RuntimeException e) {
                LOG.error("cannot export volume {} again as {}", export.volumeId(), export.iqn(), e);
            }
        }
    }

    /**
     * Serves the export (if the target does not already), limited by the volume's back-end QoS specs
     * as they are now: a change of specs applies to the exports made after it.
     */
    private ConnectionInfo serve(VolumeExport export, Volume volume) {
        try {
            return target.createExport(new ExportRequest(export.iqn(), source(export.volumeId()),
                    export.volumeId(), volume.readOnly(), new ChapCredentials(export.chapUser(), export.chapSecret()),
                    backEndQos.forVolume(volume)));
        } catch (TargetException | VolumeDriverException e) {
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "Volume " + export.volumeId()
                    + " could not be exported: " + e.getMessage(), e);
        }
    }

    private VolumeExport newExport(String volumeId) {
        ChapCredentials chap = secrets.next();
        return new VolumeExport(volumeId, backend, targetPrefix + "volume-" + volumeId, chap.user(), chap.secret(),
                clock.instant());
    }

    /** The connection the driver gives by itself (no export: the host reaches the storage directly). */
    private VolumeConnection nativeConnection(InitializeConnection request, NativeConnectionCapable nativeDriver,
                                              Volume volume) {
        VolumeConnection connection;
        try {
            connection = new VolumeConnection(nativeDriver.driverVolumeType(), nativeDriver.connectionData(volume.id()));
        } catch (VolumeDriverException e) {
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "Volume " + volume.id()
                    + " could not be connected: " + e.getMessage(), e);
        }
        LOG.info("{} volume {} connected natively ({})", request.requestId(), volume.id(), connection.driverVolumeType());
        return connection;
    }

    /**
     * What the target serves for the volume: its file when the driver has one (the target's fastest
     * path, and the only one tgt can serve), else its block device opened through the driver.
     */
    private ExportSource source(String volumeId) {
        if (driver instanceof ExportCapable files) {
            return new ExportSource.File(files.exportPath(volumeId));
        }
        if (driver instanceof BlockIoCapable devices) {
            return new ExportSource.Device(new DriverDeviceOpener(devices, volumeId));
        }
        throw BasaltException.badRequest("Invalid volume: the %s volume driver cannot export volumes.", driver.name());
    }
}
