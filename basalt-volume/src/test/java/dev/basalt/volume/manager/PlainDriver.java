package dev.basalt.volume.manager;

import dev.basalt.driver.PoolReport;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.driver.file.FileVolumeDriver;

/**
 * A driver with only the required abilities (no snapshots, clones, extend or exports), its volumes
 * kept by the file driver; tests add the abilities they need in a subclass.
 */
class PlainDriver implements VolumeDriver {
    final FileVolumeDriver files;

    PlainDriver(FileVolumeDriver files) {
        this.files = files;
    }

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public void start() {
        files.start();
    }

    @Override
    public void createVolume(VolumeSpec volume) {
        files.createVolume(volume);
    }

    @Override
    public void deleteVolume(String volumeId) {
        files.deleteVolume(volumeId);
    }

    @Override
    public boolean hasVolume(String volumeId) {
        return files.hasVolume(volumeId);
    }

    @Override
    public PoolReport report() {
        return files.report();
    }
}
