package dev.basalt.driver.file;

import java.util.Arrays;

final class FileVolumeDriverTestSupport {

    private FileVolumeDriverTestSupport() {
    }

    static byte[] ones(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 1);
        return bytes;
    }
}
