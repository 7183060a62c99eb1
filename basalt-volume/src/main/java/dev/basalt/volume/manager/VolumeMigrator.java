package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.MessageRepository;
import dev.basalt.db.VolumeMoves;
import dev.basalt.db.VolumeRepository;
import dev.basalt.driver.BlockDevice;
import dev.basalt.driver.BlockIoCapable;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.BackendName;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.MigrateVolume;
import dev.basalt.rpc.RetypeVolume;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retypes and migrates the volumes of this backend (Cinder's volume manager {@code retype} and
 * {@code migrate_volume}).
 *
 * <p>A retype whose chosen backend is this one changes the type in place: Basalt's drivers keep
 * nothing that depends on the type, so the driver has nothing to do (Cinder's driver {@code retype}
 * answering true), and the row changes with the quota ({@link VolumeMoves#finish}).
 *
 * <p>A migration (or a retype to another backend) copies the volume to the destination backend under the
 * volume's own id (each backend keeps its own storage, so the volume keeps its id and its storage name;
 * Cinder's {@code _name_id} stays empty, as for its drivers that rename the migrated volume), through
 * both drivers' block I/O (only what the source's data ranges hold is read): every non-zero chunk is written, the destination is read back, and the
 * checksums of the source's and the destination's bytes ({@link #checksum}: SHA-256 over the non-zero
 * chunks and their offsets) must match. Then the volume moves in one
 * transaction (host, type, quota, {@code migration_status} {@code success}) and the source's storage
 * is wiped and removed. The steps show in {@code migration_status}: {@code starting}, {@code migrating}
 * (the destination recorded with the volume first), {@code completing}. A failure removes what was made
 * on the destination and ends the migration in {@code error} (the volume back to its status, its data
 * untouched on the source) with a user message.
 *
 * <p>The destination's driver must run in this process ({@link LocalBackends}): Basalt does not yet
 * copy between volume services on different hosts, and says so.
 */
final class VolumeMigrator {
    static final String REMOTE = "The destination backend %s is not served by this volume process; Basalt migrates"
            + " volumes only between backends of one volume process (enabled_backends of one node).";
    static final String NO_BLOCK_IO = "The %s driver cannot open volumes for block I/O, which a migration needs.";
    static final String EXISTS = "Backend %s already has storage for volume %s (do two backends share one"
            + " directory or pool?); nothing was copied.";
    static final String MISMATCH = "The copy of volume %s on %s does not read back as the source (checksum %s, copy"
            + " %s); the copy was removed.";
    static final String ATTACHED = "Volume %s is attached: Basalt does not move an attached volume to another backend"
            + " (Cinder has Nova copy it); detach it, or retype it to a type its backend serves.";
    static final String RESTARTED = "the volume service restarted while migrating the volume; the copy was removed";

    private static final Logger LOG = LoggerFactory.getLogger(VolumeMigrator.class);
    private static final int CHUNK = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(CHUNK).asReadOnlyBuffer();

    private final String backend;
    private final VolumeDriver driver;
    private final LocalBackends local;
    private final VolumeRepository volumes;
    private final VolumeMoves moves;
    private final MessageRepository messages;
    private final Clock clock;
    private final Duration messageTtl;

    VolumeMigrator(String backend, VolumeDriver driver, LocalBackends local, VolumeRepository volumes,
                   VolumeMoves moves, MessageRepository messages, Clock clock, Duration messageTtl) {
        this.backend = requireNonNull(backend, "backend");
        this.driver = requireNonNull(driver, "driver");
        this.local = requireNonNull(local, "local");
        this.volumes = requireNonNull(volumes, "volumes");
        this.moves = requireNonNull(moves, "moves");
        this.messages = requireNonNull(messages, "messages");
        this.clock = requireNonNull(clock, "clock");
        this.messageTtl = requireNonNull(messageTtl, "messageTtl");
    }

    VolumeManager.Outcome retype(RetypeVolume request) {
        Optional<Volume> found = volumes.findRow(request.volumeId());
        if (found.isEmpty() || found.get().status() != VolumeStatus.RETYPING || request.host() == null) {
            return VolumeManager.Outcome.SKIPPED;
        }
        Volume volume = found.get();
        if (BackendName.backendOf(request.host()).equals(backend)) {
            boolean done = moves.finish(volume.id(), VolumeMoves.Ending.moved(volume.host(), request.newTypeId(), null));
            LOG.info("{} volume {} retyped in place to {}", request.requestId(), volume.id(), request.newTypeId());
            return done ? VolumeManager.Outcome.DONE : VolumeManager.Outcome.SKIPPED;
        }
        return copy(volume, request.host(), request.newTypeId(), null, true, request.requestId());
    }

    VolumeManager.Outcome migrate(MigrateVolume request) {
        Optional<Volume> found = volumes.findRow(request.volumeId());
        if (found.isEmpty() || !VolumeMoves.STARTING.equals(found.get().migrationStatus())) {
            return VolumeManager.Outcome.SKIPPED;
        }
        Volume volume = found.get();
        return copy(volume, request.host(), volume.volumeTypeId(), VolumeMoves.STARTING, false, request.requestId());
    }

    /**
     * Finishes what a stop left of the volume's retype or migration: nothing was made on a destination
     * before {@code migrating}, so the volume only goes back; after it, the destination's copy (recorded
     * with the volume) is removed first. Either way the move ends failed.
     */
    void recover(Volume volume) {
        String destination = volume.adminMetadata().get(VolumeMoves.DESTINATION);
        if (destination != null && !VolumeMoves.STARTING.equals(volume.migrationStatus())) {
            String target = BackendName.backendOf(destination);
            Optional<VolumeDriver> there = local.driver(target);
            if (there.isPresent()) {
                there.get().deleteVolume(volume.id());
            } else {
                LOG.warn("volume {} was being copied to {}, whose service does not run here: its copy there (if"
                        + " any) is left", volume.id(), target);
            }
        }
        if (moves.finish(volume.id(), VolumeMoves.Ending.failed(null))) {
            LOG.info("the retype or migration of volume {} left in flight was failed: {}", volume.id(), RESTARTED);
        }
    }

    private VolumeManager.Outcome copy(Volume volume, String destination, String typeId, String from, boolean retype,
                                       String requestId) {
        String target = BackendName.backendOf(destination);
        if (volume.attachStatus() == AttachStatus.ATTACHED) {
            return fail(volume, retype, requestId, String.format(ATTACHED, volume.id()), null);
        }
        Optional<VolumeDriver> there = local.driver(target);
        if (there.isEmpty()) {
            return fail(volume, retype, requestId, String.format(REMOTE, target), null);
        }
        if (!(driver instanceof BlockIoCapable source)) {
            return fail(volume, retype, requestId, String.format(NO_BLOCK_IO, driver.name()), null);
        }
        if (!(there.get() instanceof BlockIoCapable copy)) {
            return fail(volume, retype, requestId, String.format(NO_BLOCK_IO, there.get().name()), null);
        }
        if (copy.hasVolume(volume.id())) {
            return fail(volume, retype, requestId, String.format(EXISTS, target, volume.id()), null);
        }
        if (!moves.advance(volume.id(), from, VolumeMoves.MIGRATING, destination)) {
            LOG.info("volume {} is no longer waiting to migrate; leaving it", volume.id());
            return VolumeManager.Outcome.SKIPPED;
        }
        LOG.info("{} copying volume {} ({} GiB) from {} to {}", requestId, volume.id(), volume.size(), backend,
                destination);
        try {
            long started = System.nanoTime();
            copy.createVolume(new VolumeSpec(volume.id(), volume.size()));
            String sourceSum;
            String copySum;
            try (BlockDevice in = source.open(volume.id()); BlockDevice out = copy.open(volume.id())) {
                sourceSum = copyBlocks(in, out);
                copySum = checksum(out);
            }
            if (!sourceSum.equals(copySum)) {
                return fail(volume, retype, requestId, String.format(MISMATCH, volume.id(), target, sourceSum,
                        copySum), copy);
            }
            LOG.info("{} volume {} copied to {} in {} ms, checksum {} on both", requestId, volume.id(), destination,
                    (System.nanoTime() - started) / 1_000_000, sourceSum);
        } catch (IOException | RuntimeException e) {
            LOG.error("{} migration of volume {} to {} failed", requestId, volume.id(), destination, e);
            return fail(volume, retype, requestId, e.getMessage(), copy);
        }
        moves.advance(volume.id(), VolumeMoves.MIGRATING, VolumeMoves.COMPLETING, null);
        if (!moves.finish(volume.id(), VolumeMoves.Ending.moved(destination, typeId, VolumeMoves.SUCCESS))) {
            LOG.warn("volume {} was failed meanwhile; removing its copy on {}", volume.id(), target);
            copy.deleteVolume(volume.id());
            return VolumeManager.Outcome.FAILED;
        }
        try {
            driver.deleteVolume(volume.id());
        } catch (RuntimeException e) {
            LOG.error("volume {} moved to {} but its old storage on {} could not be removed", volume.id(),
                    destination, backend, e);
        }
        LOG.info("{} volume {} migrated from {} to {}", requestId, volume.id(), volume.host(), destination);
        return VolumeManager.Outcome.DONE;
    }

    /**
     * Copies every chunk that is not all zeros (the new volume reads as zeros); returns the checksum of
     * the source ({@link #checksum}).
     */
    static String copyBlocks(BlockDevice in, BlockDevice out) throws IOException {
        return scan(in, out);
    }

    /**
     * The checksum of the device's bytes: SHA-256 over each chunk that is not all zeros, with its
     * offset, and the size. Two devices of one size have the same checksum exactly when they hold the
     * same bytes, and the zeros of a sparse volume cost no hashing.
     */
    static String checksum(BlockDevice device) throws IOException {
        return scan(device, null);
    }

    /**
     * Hashes (and copies to {@code out} when not null) the non-zero chunks of {@code in}: only the chunks of
     * a fixed grid ({@link #CHUNK}) that meet one of its data ranges are read, so the sum does not depend on
     * how either storage allocated its ranges.
     */
    private static String scan(BlockDevice in, BlockDevice out) throws IOException {
        MessageDigest sum = sha256();
        long size = in.size();
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        ByteBuffer offset = ByteBuffer.allocate(Long.BYTES);
        long next = 0;
        for (BlockDevice.Range range : in.dataRanges()) {
            long end = Math.min(size, range.offset() + range.length());
            for (long at = Math.max(next, range.offset() / CHUNK * CHUNK); at < end; at += CHUNK) {
                buffer.clear().limit((int) Math.min(CHUNK, size - at));
                readFully(in, at, buffer);
                buffer.flip();
                if (!allZeros(buffer)) {
                    sum.update(offset.clear().putLong(at).flip());
                    sum.update(buffer.duplicate());
                    if (out != null) {
                        out.write(at, buffer);
                    }
                }
                next = at + CHUNK;
            }
        }
        if (out != null) {
            out.flush();
        }
        sum.update(offset.clear().putLong(size).flip());
        return HexFormat.of().formatHex(sum.digest());
    }

    private static int readFully(BlockDevice device, long offset, ByteBuffer buffer) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = device.read(offset + total, buffer);
            if (n < 0) {
                throw new IOException("the volume ended at " + (offset + total) + " bytes, before its size");
            }
            total += n;
        }
        return total;
    }

    private static boolean allZeros(ByteBuffer buffer) {
        ByteBuffer zeros = ZEROS.duplicate().limit(buffer.remaining());
        return buffer.mismatch(zeros) < 0;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private VolumeManager.Outcome fail(Volume volume, boolean retype, String requestId, String why,
                                       VolumeDriver madeOn) {
        LOG.error("{} {} of volume {} failed: {}", requestId, retype ? "retype" : "migration", volume.id(), why);
        if (madeOn != null) {
            try {
                madeOn.deleteVolume(volume.id());
            } catch (RuntimeException e) {
                LOG.error("could not remove the copy of volume {} on the {} driver", volume.id(), madeOn.name(), e);
            }
        }
        if (moves.finish(volume.id(), VolumeMoves.Ending.failed(VolumeMoves.ERROR))) {
            try {
                messages.create(WorkFailureMessages.moveFailed(retype, volume.projectId(), requestId, volume.id(),
                        clock.instant(), messageTtl));
            } catch (RuntimeException e) {
                LOG.error("could not record the user message for volume {}", volume.id(), e);
            }
        }
        return VolumeManager.Outcome.FAILED;
    }
}
