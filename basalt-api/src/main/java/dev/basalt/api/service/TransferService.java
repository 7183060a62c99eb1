package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Ids;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.TransferRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.Transfer;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume transfer rules, by Cinder's ({@code cinder/transfer/api.py}); no HTTP and no policy
 * (callers check it, with the volume as target where Cinder has one).
 * <ul>
 *   <li>{@link #create}: an {@code available} volume whose snapshots (unless left behind) are all
 *       {@code available} goes {@code awaiting-transfer}; the auth key is returned once and kept
 *       only as a salted HMAC-SHA1 hash.</li>
 *   <li>{@link #visible}, {@link #list}: an administrator sees every transfer, anyone else those of
 *       their project's volumes.</li>
 *   <li>{@link #accept}: by any project that knows the key; the volume (and its snapshots, unless
 *       left behind) and their quota move to it, over its quota nothing moves
 *       ({@link OverQuotaException}).</li>
 *   <li>{@link #delete}: the volume goes back to {@code available}.</li>
 * </ul>
 */
public final class TransferService {
    private static final Logger LOG = LoggerFactory.getLogger(TransferService.class);

    /** A transfer just made, with the auth key the receiver needs (shown once, never kept). */
    public record Created(Transfer transfer, String authKey) {
    }

    private final TransferRepository transfers;
    private final VolumeRepository volumes;
    private final Quotas quotas;
    private final Clock clock;
    private final TransferKeys keys = new TransferKeys();

    public TransferService(TransferRepository transfers, VolumeRepository volumes, Quotas quotas, Clock clock) {
        this.transfers = requireNonNull(transfers, "transfers");
        this.volumes = requireNonNull(volumes, "volumes");
        this.quotas = requireNonNull(quotas, "quotas");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Offers {@code volume} (one the caller may see) for transfer under {@code name} (may be null);
     * an encrypted volume only when {@code allowEncrypted} (from 3.70) and with its snapshots, as Cinder.
     */
    public Created create(RequestContext context, Volume volume, String name, boolean noSnapshots,
                          boolean allowEncrypted) {
        if (volume.encrypted() && volume.status() == VolumeStatus.AVAILABLE) {
            if (!allowEncrypted) {
                throw BasaltException.badRequest("Invalid volume: transferring encrypted volume is not supported");
            }
            if (noSnapshots) {
                throw BasaltException.badRequest("Invalid volume: transferring an encrypted volume without its"
                        + " snapshots is not supported");
            }
        }
        String salt = keys.newSalt();
        String authKey = keys.newAuthKey();
        Transfer transfer = new Transfer(Ids.newId(), volume.id(), name, salt, TransferKeys.cryptHash(salt, authKey),
                noSnapshots, volume.projectId(), null, false, clock.instant().truncatedTo(ChronoUnit.MICROS), null);
        TransferRepository.Result result = transfers.create(transfer);
        switch (result.outcome()) {
            case DONE -> LOG.info("{} volume {} offered for transfer {}", context.requestId(), volume.id(),
                    transfer.id());
            case NOT_FOUND -> throw VolumeService.notFound(volume.id());
            case VOLUME_STATUS -> throw BasaltException.badRequest("Invalid volume: status must be available");
            case SNAPSHOT_STATUS -> throw BasaltException.badRequest("Invalid snapshot: snapshot: %s status must be"
                    + " available", result.detail());
            default -> throw new IllegalStateException("unexpected outcome " + result.outcome());
        }
        return new Created(transfer, authKey);
    }

    /** The transfer the caller may see: any for an administrator, else one of its project's volumes; 404 otherwise. */
    public Transfer visible(RequestContext context, String id) {
        return (context.isAdmin() ? transfers.find(id) : transfers.find(id, context.projectId()))
                .orElseThrow(() -> notFound(id));
    }

    /**
     * Transfers the caller may list, oldest first: those of its project's volumes, or, for an
     * administrator asking for all tenants, every project's (those of {@code projectId}'s volumes
     * when it is given).
     */
    public List<Transfer> list(RequestContext context, boolean allTenants, String projectId) {
        if (context.isAdmin() && allTenants) {
            return transfers.list(projectId);
        }
        return transfers.list(context.projectId());
    }

    /** The project that owns the transfer's volume now (its policy target), or the transfer's source project. */
    public String ownerOf(Transfer transfer) {
        return volumes.find(transfer.volumeId()).map(Volume::projectId).orElse(transfer.sourceProjectId());
    }

    /**
     * Gives the transfer's volume to the caller's project and user if {@code authKey} is the
     * transfer's; the transfer as it was.
     */
    public Transfer accept(RequestContext context, String id, String authKey) {
        Transfer transfer = transfers.find(id).orElseThrow(() -> notFound(id));
        if (!TransferKeys.matches(transfer.salt(), transfer.cryptHash(), authKey)) {
            LOG.info("{} transfer {} refused to project {}: invalid auth key", context.requestId(), id,
                    context.projectId());
            throw BasaltException.badRequest("Invalid auth key: Attempt to transfer %s with invalid auth key.", id);
        }
        Volume volume = volumes.find(transfer.volumeId())
                .orElseThrow(() -> VolumeService.notFound(transfer.volumeId()));
        TransferRepository.Result result;
        try {
            Function<Map<String, Long>, QuotaReservation> receiver = quotas.forTransfer(context.projectId(),
                    volume.size());
            result = transfers.accept(id, context.userId(), context.projectId(), receiver);
        } catch (QuotaExceededException e) {
            LOG.info("{} transfer {} of volume {} refused to project {}: {}", context.requestId(), id, volume.id(),
                    context.projectId(), e.getMessage());
            throw new OverQuotaException(e, quotas.nameOf(e.resource()));
        }
        switch (result.outcome()) {
            case DONE -> LOG.info("{} volume {} transferred from project {} to project {}", context.requestId(),
                    volume.id(), volume.projectId(), context.projectId());
            case NOT_FOUND -> throw notFound(id);
            case VOLUME_STATUS -> throw VolumeStatus.MAINTENANCE.apiName().equals(result.detail())
                    ? BasaltException.badRequest("Invalid volume: The volume cannot accept transfer in maintenance mode.")
                    : BasaltException.badRequest("Invalid volume: Transfer %s: Volume id %s expected in"
                            + " awaiting-transfer state.", id, transfer.volumeId());
            case SNAPSHOT_STATUS -> throw BasaltException.badRequest("Invalid snapshot: Transfer %s: Snapshot %s is"
                    + " not in the expected available state.", id, result.detail());
            default -> throw new IllegalStateException("unexpected outcome " + result.outcome());
        }
        return result.transfer();
    }

    /** Deletes the transfer (one the caller may see); its volume goes back to {@code available}. */
    public void delete(RequestContext context, Transfer transfer) {
        if (!transfers.delete(transfer.id())) {
            throw notFound(transfer.id());
        }
        LOG.info("{} transfer {} of volume {} deleted", context.requestId(), transfer.id(), transfer.volumeId());
    }

    public static BasaltException notFound(String id) {
        return BasaltException.notFound("Transfer %s could not be found.", id);
    }
}
