package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The options of a backup service, in {@code [DEFAULT]} as in Cinder.
 *
 * @param driver {@code backup_driver}: which repository holds the backups
 * @param posixPath {@code backup_posix_path}: the POSIX repository's directory
 * @param compression {@code backup_compression_algorithm}, normalized to {@code none}, {@code zlib}
 *     or {@code zstd}
 * @param chunkSize {@code backup_file_size}: bytes per chunk of a backup
 * @param workers {@code backup_workers}: threads that read, compress and write one backup's chunks
 */
public record BackupOptions(BackupDriverName driver, Path posixPath, String compression, int chunkSize, int workers) {

    /** The smallest chunk ({@code backup_file_size}): 64 KiB. */
    public static final int MIN_CHUNK_SIZE = 64 << 10;
    /** The largest chunk ({@code backup_file_size}): 64 MiB. */
    public static final int MAX_CHUNK_SIZE = 64 << 20;

    private static final OptionType<Integer> CHUNK_SIZE = OptionType.of(
            "integer bytes, a multiple of 4096 from 65536 to 67108864", text -> {
                int size = new IntegerType(Integer.MIN_VALUE, Integer.MAX_VALUE).parse(text);
                if (size < MIN_CHUNK_SIZE || size > MAX_CHUNK_SIZE || size % 4096 != 0) {
                    throw new IllegalArgumentException("must be a multiple of 4096 from 65536 (64 KiB) to 67108864"
                            + " (64 MiB)");
                }
                return size;
            });

    private static final OptionType<String> COMPRESSION = OptionType.of(
            "none (or off, no), zlib (or gzip) or zstd", text -> switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "none", "off", "no" -> "none";
                case "zlib", "gzip" -> "zlib";
                case "zstd" -> "zstd";
                case "bz2", "bzip2" -> throw new IllegalArgumentException(
                        "bz2 is not supported by Basalt: use none, zlib or zstd");
                default -> throw new IllegalArgumentException("not one of: none, off, no, zlib, gzip, zstd");
            });

    public static final Option<BackupDriverName> BACKUP_DRIVER = Option.of("backup_driver", BackupDriverName.type(), "posix", "Driver that stores backups: posix, a directory of a POSIX filesystem (Cinder's class path cinder.backup.drivers.posix.PosixBackupDriver is accepted too). Cinder defaults to Swift, which Basalt does not have.");
    public static final Option<Path> BACKUP_POSIX_PATH = Option.of("backup_posix_path", OptionType.path(), "$state_path/backup", "Directory of the posix backup repository: content-addressed, compressed chunks shared by backups and a manifest per backup.");
    public static final Option<String> BACKUP_COMPRESSION_ALGORITHM = Option.of("backup_compression_algorithm", COMPRESSION, "zstd", "How backup chunks are compressed: none (off, no), zlib (gzip) or zstd. Every chunk records its own, so changing it never breaks older backups. Cinder defaults to zlib; Basalt to zstd, faster at the same ratio.");
    public static final Option<Integer> BACKUP_FILE_SIZE = Option.of("backup_file_size", CHUNK_SIZE, String.valueOf(4 << 20), "Bytes per chunk of a backup: a multiple of 4096 from 64 KiB to 64 MiB (default 4 MiB). Chunks are the unit of deduplication between backups; Cinder's default (1999994880, its object size) does not apply.");
    public static final Option<Integer> BACKUP_WORKERS = Option.computed("backup_workers", OptionType.integer(1, 1024), section -> String.valueOf(Runtime.getRuntime().availableProcessors()), "Threads that read, compress and write the chunks of one backup or restore (default: the number of processors). Cinder's option of the same name counts backup processes; Basalt runs one.");

    /** Every option above; {@link DefaultOptions#GROUP} adds them to {@code [DEFAULT]}. */
    static final List<Option<?>> ALL = List.of(BACKUP_DRIVER, BACKUP_POSIX_PATH, BACKUP_COMPRESSION_ALGORITHM,
            BACKUP_FILE_SIZE, BACKUP_WORKERS);

    public BackupOptions {
        requireNonNull(driver, "driver");
        requireNonNull(posixPath, "posixPath");
        requireNonNull(compression, "compression");
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE || chunkSize % 4096 != 0) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is not a multiple of 4096 from 64 KiB"
                    + " to 64 MiB");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("backup workers must be at least 1, not " + workers);
        }
    }

    /** Reads the backup options of {@code [DEFAULT]}. */
    public static BackupOptions from(ConfigSource source) {
        ConfigSection section = source.defaults();
        return new BackupOptions(section.get(BACKUP_DRIVER), section.get(BACKUP_POSIX_PATH),
                section.get(BACKUP_COMPRESSION_ALGORITHM), section.get(BACKUP_FILE_SIZE), section.get(BACKUP_WORKERS));
    }
}
