package dev.basalt.rpc;

/**
 * Where a volume's (or snapshot's) bytes are on the volume service's host: a file or block device a
 * backup service on the same host reads and writes directly. {@code host} is the host it is on.
 */
public record BackupDevice(String host, String path, long sizeBytes) {
}
