package dev.basalt.volume.manager;

import dev.basalt.driver.BlockDevice;
import dev.basalt.driver.BlockIoCapable;
import dev.basalt.driver.NativeConnectionCapable;
import dev.basalt.driver.file.FileVolumeDriver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A driver shaped like RBD for the volume service's tests: a native connection of its own
 * ({@code driver_volume_type} {@code "rbd"}, Cinder's keys) and block I/O, but no files to export
 * (not ExportCapable), so iSCSI goes through the block-device export. Its volumes are the file
 * driver's, reached only through {@link BlockIoCapable#open}.
 */
final class NativeGatewayDriver extends PlainDriver implements BlockIoCapable, NativeConnectionCapable {
    NativeGatewayDriver(FileVolumeDriver files) {
        super(files);
    }

    @Override
    public String name() {
        return "rbd";
    }

    @Override
    public BlockDevice open(String volumeId) {
        return files.open(volumeId);
    }

    @Override
    public BlockDevice openSnapshot(String snapshotId) {
        return files.openSnapshot(snapshotId);
    }

    @Override
    public String driverVolumeType() {
        return "rbd";
    }

    @Override
    public Map<String, Object> connectionData(String volumeId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "rbd/volume-" + volumeId);
        data.put("hosts", List.of("127.0.0.1"));
        data.put("ports", List.of("6789"));
        data.put("cluster_name", "ceph");
        data.put("auth_enabled", true);
        data.put("auth_username", "basalt");
        data.put("secret_type", "ceph");
        data.put("secret_uuid", null);
        data.put("volume_id", volumeId);
        data.put("discard", true);
        return data;
    }
}
