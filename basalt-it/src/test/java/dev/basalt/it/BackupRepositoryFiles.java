package dev.basalt.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a POSIX backup repository holds on disk, for tests that check nothing is left behind. */
final class BackupRepositoryFiles {
    /** The directories where a backup's work leaves files: chunks, journals, temporary files, deletes under way. */
    private static final List<String> WORK_DIRS = List.of("chunks", "journal", "tmp", "deleting");

    private BackupRepositoryFiles() {
    }

    /** How many files the repository's chunks/, journal/, tmp/ and deleting/ hold. */
    static long workFiles(Path repository) throws IOException {
        long count = 0;
        for (String dir : WORK_DIRS) {
            Path path = repository.resolve(dir);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    count += files.filter(Files::isRegularFile).count();
                }
            }
        }
        return count;
    }
}
