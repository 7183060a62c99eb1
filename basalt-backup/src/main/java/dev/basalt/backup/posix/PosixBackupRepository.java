package dev.basalt.backup.posix;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BackupConflictException;
import dev.basalt.backup.BackupIds;
import dev.basalt.backup.BackupRepository;
import dev.basalt.backup.BackupRequest;
import dev.basalt.backup.BlockSink;
import dev.basalt.backup.BlockSource;
import dev.basalt.backup.ChunkHash;
import dev.basalt.backup.ChunkTable;
import dev.basalt.backup.CorruptBackupException;
import dev.basalt.backup.MalformedManifestException;
import dev.basalt.backup.Manifest;
import dev.basalt.backup.ManifestCodec;
import dev.basalt.backup.NoSuchBackupException;
import dev.basalt.backup.ProgressListener;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A backup repository in a directory of a POSIX filesystem (Cinder's {@code backup_posix_path}),
 * possibly shared by several processes (an NFS mount with working {@code fcntl} locks, or local):
 *
 * <pre>
 *   chunks/ab/abcd…   content-addressed chunks (SHA-256 of the bytes), compressed, shared by backups
 *   manifests/ID.json the manifest of each completed backup
 *   journal/ID        the hashes a running (or killed) backup refers to
 *   tmp/ID/           temporary files of backup ID
 *   deleting/ID.json  the manifest of a delete in progress (so a crashed delete can be finished)
 *   lock              the repository's lock file
 * </pre>
 *
 * <p><b>Crash safety.</b> Every chunk and manifest is written to a temporary file, fsynced, renamed
 * into place and its directory fsynced. A backup publishes its manifest last, after every chunk it
 * names is durable, so a manifest never names a missing or partial chunk. A killed backup leaves
 * complete chunks (kept by its journal), perhaps temporary files and its journal: {@link #delete}
 * of its id removes all of them.
 *
 * <p><b>Locking.</b> A repository lock, shared or exclusive, in-process and across processes
 * ({@link RepositoryLock}). A backup appends each hash to its journal under the shared lock
 * <em>before</em> checking whether the chunk is stored or relying on the parent's; a delete, under
 * the exclusive lock, treats every manifest and every journal as roots and removes only the
 * deleted backup's chunks that no root names. So either the hash was journaled before the delete
 * looked (the chunk is kept) or the backup checks afterwards (finds it gone, stores it again).
 * The backup removes its journal (under the shared lock) only after its manifest is published.
 * A running backup holds a file lock on its journal, so a delete of that id is refused with
 * {@link BackupConflictException}, in any process. Restores take no lock: deleting a backup being
 * restored is the service's business, and makes the restore fail loudly, never silently.
 */
public final class PosixBackupRepository implements BackupRepository {
    private final Path root;
    private final Path manifests;
    private final Path journals;
    private final Path temporary;
    private final Path deleting;
    private final ChunkFiles chunks;
    private final RepositoryLock lock;
    private final int workers;

    private PosixBackupRepository(Path root, int workers) throws IOException {
        this.root = root;
        this.manifests = Files.createDirectories(root.resolve("manifests"));
        this.journals = Files.createDirectories(root.resolve("journal"));
        this.temporary = Files.createDirectories(root.resolve("tmp"));
        this.deleting = Files.createDirectories(root.resolve("deleting"));
        this.chunks = new ChunkFiles(Files.createDirectories(root.resolve("chunks")));
        AtomicFiles.syncDirectory(root);
        this.lock = RepositoryLock.forDirectory(root);
        this.workers = workers;
    }

    /** Opens (creating it if needed) the repository at {@code root}, with one worker thread per processor. */
    public static PosixBackupRepository open(Path root) throws IOException {
        return open(root, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Opens (creating it if needed) the repository at {@code root}.
     *
     * @param workers threads per backup or restore; memory is about {@code workers × 2 × chunk size}
     */
    public static PosixBackupRepository open(Path root, int workers) throws IOException {
        requireNonNull(root, "root");
        if (workers < 1) {
            throw new IllegalArgumentException("backup workers must be at least 1, not " + workers);
        }
        Files.createDirectories(root);
        return new PosixBackupRepository(root, workers);
    }

    public Path root() {
        return root;
    }

    @Override
    public Manifest backup(BackupRequest request, BlockSource source, ProgressListener progress) throws IOException {
        String id = request.backupId();
        Path tmp = temporary.resolve(id);
        BackupJournal journal;
        try (RepositoryLock.Hold exclusive = lock.exclusive()) {
            if (Files.exists(manifestPath(id))) {
                throw new BackupConflictException(id, "backup " + id + " already exists in " + root);
            }
            if (!lock.begin(id)) {
                throw new BackupConflictException(id, "backup " + id + " is already being made by this process");
            }
            try {
                journal = BackupJournal.open(journalPath(id));
                if (journal == null) {
                    throw new BackupConflictException(id, "backup " + id + " is already being made by another process"
                            + " sharing " + root);
                }
                Files.createDirectories(tmp);
            } catch (IOException | RuntimeException e) {
                lock.end(id);
                throw e;
            }
        }
        try {
            long size = source.size();
            ProgressMeter meter = new ProgressMeter(progress, size);
            BackupRun.Result result = new BackupRun(chunks, lock, journal, tmp, new ChunkWorkers(workers, "backup-" + id))
                    .run(request, source, meter);
            Set<Path> directories = new HashSet<>();
            for (ChunkHash hash : result.referenced()) {
                directories.add(chunks.directory(hash));
            }
            for (Path directory : directories) {
                AtomicFiles.syncDirectory(directory);
            }
            Manifest manifest = new Manifest(ManifestCodec.FORMAT_VERSION, id, request.volumeId(),
                    request.parent().map(Manifest::backupId), size, request.chunkSize(), request.compression(),
                    Instant.now(), ChunkTable.of(result.table()), result.dataBytes(), result.storedBytes());
            byte[] bytes = ManifestCodec.encode(manifest);
            AtomicFiles.write(manifestPath(id), tmp.resolve("manifest.tmp"), bytes, bytes.length);
            AtomicFiles.syncDirectory(manifests);
            try (RepositoryLock.Hold shared = lock.shared()) {
                journal.close();
                Files.deleteIfExists(journal.file());
                AtomicFiles.deleteRecursively(tmp);
            }
            meter.finish();
            return manifest;
        } finally {
            try {
                journal.close();
            } finally {
                lock.end(id);
            }
        }
    }

    @Override
    public void restore(Manifest manifest, BlockSink sink, ProgressListener progress) throws IOException {
        requireNonNull(manifest, "manifest");
        long sinkSize = sink.size();
        if (sinkSize < manifest.volumeSize()) {
            throw new IllegalArgumentException("cannot restore backup " + manifest.backupId() + " of "
                    + manifest.volumeSize() + " bytes into " + sink + " of " + sinkSize + " bytes: extend the target first");
        }
        ProgressMeter meter = new ProgressMeter(progress, manifest.volumeSize());
        new RestoreRun(chunks, new ChunkWorkers(workers, "restore-" + manifest.backupId())).run(manifest, sink, meter);
        sink.sync();
        meter.finish();
    }

    @Override
    public Manifest manifest(String backupId) throws IOException {
        return findManifest(backupId).orElseThrow(() -> new NoSuchBackupException(backupId, root.toString()));
    }

    @Override
    public Optional<Manifest> findManifest(String backupId) throws IOException {
        Path path = manifestPath(BackupIds.check(backupId));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(decode(bytes, path));
    }

    @Override
    public boolean hasManifest(String backupId) {
        return Files.exists(manifestPath(BackupIds.check(backupId)));
    }

    @Override
    public void delete(String backupId) throws IOException {
        BackupIds.check(backupId);
        try (RepositoryLock.Hold exclusive = lock.exclusive()) {
            Path journal = journalPath(backupId);
            if (lock.isActive(backupId) || BackupJournal.isHeldElsewhere(journal)) {
                throw new BackupConflictException(backupId, "backup " + backupId + " is being made right now: "
                        + "stop it (or wait for it to end) before deleting it");
            }
            Path pending = deleting.resolve(backupId + ".json");
            Path manifest = manifestPath(backupId);
            if (Files.exists(manifest)) {
                Files.move(manifest, pending, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.syncDirectory(deleting);
                AtomicFiles.syncDirectory(manifests);
            }
            Set<ChunkHash> candidates = new HashSet<>(BackupJournal.read(journal));
            if (Files.exists(pending)) {
                candidates.addAll(decode(Files.readAllBytes(pending), pending).chunks().distinctHashes());
            }
            Files.deleteIfExists(journal);
            AtomicFiles.deleteRecursively(temporary.resolve(backupId));
            removeUnreferenced(candidates);
            Files.deleteIfExists(pending);
            AtomicFiles.syncDirectory(deleting);
        }
    }

    /** Removes the candidates no manifest and no journal names. Under the exclusive lock. */
    private void removeUnreferenced(Set<ChunkHash> candidates) throws IOException {
        if (candidates.isEmpty()) {
            return;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(manifests, "*.json")) {
            for (Path other : all) {
                candidates.removeAll(decode(Files.readAllBytes(other), other).chunks().distinctHashes());
            }
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(journals)) {
            for (Path other : all) {
                candidates.removeAll(BackupJournal.read(other));
            }
        }
        Set<Path> directories = new HashSet<>();
        for (ChunkHash hash : candidates) {
            if (chunks.delete(hash)) {
                directories.add(chunks.directory(hash));
            }
        }
        for (Path directory : directories) {
            AtomicFiles.syncDirectory(directory);
        }
    }

    @Override
    public Manifest importManifest(byte[] bytes) throws IOException {
        Manifest manifest = ManifestCodec.decode(bytes);
        String id = manifest.backupId();
        try (RepositoryLock.Hold exclusive = lock.exclusive()) {
            Optional<Manifest> existing = findManifest(id);
            if (existing.isPresent()) {
                if (existing.get().equals(manifest)) {
                    return existing.get();
                }
                throw new BackupConflictException(id, "cannot import backup " + id + ": a different backup with that id"
                        + " is in " + root);
            }
            if (lock.isActive(id) || BackupJournal.isHeldElsewhere(journalPath(id))) {
                throw new BackupConflictException(id, "cannot import backup " + id + ": it is being made right now");
            }
            Set<ChunkHash> checked = new HashSet<>();
            for (int i = 0; i < manifest.chunks().count(); i++) {
                Optional<ChunkHash> hash = manifest.chunks().hash(i);
                if (hash.isPresent() && checked.add(hash.get()) && !chunks.contains(hash.get())) {
                    throw new CorruptBackupException(id, i, manifest.chunkRange(i).offset(), hash.get(),
                            "is missing from the repository at " + root + ": import refused (is this the repository"
                                    + " the backup was made in?)", null);
                }
            }
            AtomicFiles.write(manifestPath(id), temporary.resolve(id + ".import.tmp"), bytes, bytes.length);
            AtomicFiles.syncDirectory(manifests);
            return manifest;
        }
    }

    private Manifest decode(byte[] bytes, Path path) throws MalformedManifestException {
        try {
            return ManifestCodec.decode(bytes);
        } catch (MalformedManifestException e) {
            throw new MalformedManifestException(path + ": " + e.getMessage(), e);
        }
    }

    private Path manifestPath(String backupId) {
        return manifests.resolve(backupId + ".json");
    }

    private Path journalPath(String backupId) {
        return journals.resolve(backupId);
    }

    @Override
    public String toString() {
        return "POSIX backup repository at " + root;
    }
}
