package dev.basalt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The backup service's options: Cinder's names and spellings, Basalt's defaults, clear refusals. */
class BackupOptionsTest {
    @TempDir
    Path dir;

    private BackupOptions load(String... lines) {
        Path file = ConfFiles.write(dir, "cinder.conf", lines);
        return BackupOptions.from(BasaltConfig.load(List.of(file)).source());
    }

    @Test
    void defaultsArePosixUnderTheStatePathWithZstdAndFourMebibyteChunks() {
        BackupOptions options = load("[DEFAULT]", "state_path = " + dir);

        assertThat(options.driver()).isEqualTo(BackupDriverName.POSIX);
        assertThat(options.posixPath()).isEqualTo(dir.resolve("backup"));
        assertThat(options.compression()).isEqualTo("zstd");
        assertThat(options.chunkSize()).isEqualTo(4 * 1024 * 1024);
        assertThat(options.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void takesCinderSettings() {
        BackupOptions options = load("[DEFAULT]",
                "backup_driver = cinder.backup.drivers.posix.PosixBackupDriver",
                "backup_posix_path = /srv/backups",
                "backup_compression_algorithm = GZIP",
                "backup_file_size = 65536",
                "backup_workers = 3");

        assertThat(options).isEqualTo(new BackupOptions(BackupDriverName.POSIX, Path.of("/srv/backups"), "zlib",
                65536, 3));
        assertThat(options.driver().cinderClass()).isEqualTo("cinder.backup.drivers.posix.PosixBackupDriver");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"none,none", "off,none", "No,none", "zlib,zlib", "gzip,zlib", "zstd,zstd", "ZSTD,zstd"})
    void compressionTakesCinderSpellings(String written, String meant) {
        assertThat(load("[DEFAULT]", "backup_compression_algorithm = " + written).compression()).isEqualTo(meant);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "backup_driver|cinder.backup.drivers.swift.SwiftBackupDriver|not a backup driver Basalt has: expected"
                    + " posix (or cinder.backup.drivers.posix.PosixBackupDriver)",
            "backup_driver|nfs|not a backup driver Basalt has: expected posix"
                    + " (or cinder.backup.drivers.posix.PosixBackupDriver)",
            "backup_compression_algorithm|bz2|bz2 is not supported by Basalt: use none, zlib or zstd",
            "backup_compression_algorithm|lz4|not one of: none, off, no, zlib, gzip, zstd",
            "backup_file_size|1999994880|must be a multiple of 4096 from 65536 (64 KiB) to 67108864 (64 MiB)",
            "backup_file_size|65537|must be a multiple of 4096 from 65536 (64 KiB) to 67108864 (64 MiB)",
            "backup_file_size|32768|must be a multiple of 4096 from 65536 (64 KiB) to 67108864 (64 MiB)",
            "backup_file_size|big|not an integer",
            "backup_workers|0|must be between 1 and 1024"})
    void refusesWhatItCannotUseNamingTheOption(String option, String value, String problem) {
        Path file = ConfFiles.write(dir, "cinder.conf", "[DEFAULT]", option + " = " + value);

        assertThatThrownBy(() -> BasaltConfig.load(List.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": [DEFAULT] " + option + " = \"" + value + "\": " + problem);
    }
}
