package dev.basalt.backup.posix;

import dev.basalt.backup.BackupRepository;
import dev.basalt.backup.BackupRepositoryContract;
import dev.basalt.backup.ChunkHash;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The POSIX repository on the temp directory's filesystem (ext4 here). */
class PosixBackupRepositoryTest extends BackupRepositoryContract {
    private Path root;

    @Override
    protected BackupRepository newRepository() throws IOException {
        root = work.resolve("repository");
        return PosixBackupRepository.open(root, 2);
    }

    @Override
    protected Set<String> storedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(path -> root.relativize(path).toString())
                    .filter(name -> !name.equals("lock"))
                    .collect(Collectors.toSet());
        }
    }

    private Path chunk(ChunkHash hash) {
        return root.resolve("chunks").resolve(hash.hex().substring(0, 2)).resolve(hash.hex());
    }

    @Override
    protected void corruptChunk(ChunkHash hash) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(chunk(hash).toFile(), "rw")) {
            long at = file.length() - 10;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x40);
        }
    }

    @Override
    protected void removeChunk(ChunkHash hash) throws IOException {
        Files.delete(chunk(hash));
    }
}
