package dev.basalt.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.TimeUnit;

/** SHA-256 of whole devices: of a file on disk (coreutils' sha256sum) and of what one should hold. */
public final class Sha256 {
    private Sha256() {
    }

    /** The file's SHA-256, read end to end by {@code sha256sum}, as a user checking a device would. */
    public static String of(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sha256sum", "-b", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("sha256sum failed for " + file + ": " + out);
        }
        return out.substring(0, out.indexOf(' '));
    }

    /**
     * The SHA-256 of {@code size} bytes that hold each of {@code writes} (offset → bytes, not
     * overlapping) and zeros everywhere else.
     */
    public static String ofImage(long size, NavigableMap<Long, byte[]> writes) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] zeros = new byte[1 << 20];
        long position = 0;
        for (Map.Entry<Long, byte[]> write : writes.entrySet()) {
            if (write.getKey() < position) {
                throw new IllegalArgumentException("overlapping writes at " + write.getKey());
            }
            position = zeros(digest, zeros, position, write.getKey());
            digest.update(write.getValue());
            position += write.getValue().length;
        }
        zeros(digest, zeros, position, size);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static long zeros(MessageDigest digest, byte[] zeros, long from, long to) {
        for (long left = to - from; left > 0; left -= zeros.length) {
            digest.update(zeros, 0, (int) Math.min(zeros.length, left));
        }
        return to;
    }
}
