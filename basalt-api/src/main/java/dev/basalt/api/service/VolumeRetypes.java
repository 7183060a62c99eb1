package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.EncryptionRepository;
import dev.basalt.db.QosSpecsRepository;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.VolumeMoves;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.QosSpecs;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import dev.basalt.model.VolumeTypeEncryption;
import dev.basalt.rpc.RetypeVolume;
import dev.basalt.rpc.SchedulerRpc;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changing a volume's type, by Cinder's rules ({@code os-retype}, volume/api.py {@code retype}): the new
 * type (by name or id) must allow the volume's size; a change of multiattach only for an
 * {@code available} volume (and a multiattach type only for callers {@code volume:multiattach} allows),
 * never multiattach and encrypted together; for an {@code in-use} volume, the QoS specs may change
 * only when neither type's specs are applied by the front end. Basalt does not re-encrypt data, so a
 * type with another encryption is refused. Then, in one transaction, the volume must be
 * {@code available} or {@code in-use}, in no group, not migrating, of another type (400 otherwise,
 * Cinder's message) and becomes {@code retyping} with the new type's per-type quota reserved (413 when
 * over), and a scheduler finds where it may live ({@code migration_policy} {@code never}, the default:
 * only where it is; {@code on-demand}: elsewhere too, by migrating it).
 */
public final class VolumeRetypes {
    static final String REFUSED = "Invalid volume: Retype needs volume to be in available or in-use state, not be"
            + " part of an active migration or a consistency group, requested type has to be different that the one"
            + " from the volume, and for in-use volumes front-end qos specs cannot change.";
    private static final String MIN_SIZE = "provisioning:min_vol_size";
    private static final String MAX_SIZE = "provisioning:max_vol_size";
    private static final String MULTIATTACH_ON = "<is> True";
    private static final Logger LOG = LoggerFactory.getLogger(VolumeRetypes.class);

    private final VolumeTypeRepository types;
    private final EncryptionRepository encryption;
    private final QosSpecsRepository qos;
    private final Quotas quotas;
    private final VolumeMoves moves;
    private final SchedulerRpc schedulers;

    public VolumeRetypes(VolumeTypeRepository types, EncryptionRepository encryption, QosSpecsRepository qos,
                         Quotas quotas, VolumeMoves moves, SchedulerRpc schedulers) {
        this.types = requireNonNull(types, "types");
        this.encryption = requireNonNull(encryption, "encryption");
        this.qos = requireNonNull(qos, "qos");
        this.quotas = requireNonNull(quotas, "quotas");
        this.moves = requireNonNull(moves, "moves");
        this.schedulers = requireNonNull(schedulers, "schedulers");
    }

    /**
     * Starts retyping {@code volume} to {@code newType} (a name or an id); {@code mayMultiattach} is
     * whether the caller may make a volume multiattach.
     */
    public void retype(RequestContext context, Volume volume, String newType, String migrationPolicy,
                       boolean mayMultiattach) {
        VolumeType type = TypeLookup.byNameOrId(types, newType);
        checkSize(type, volume.size());
        boolean toMultiattach = MULTIATTACH_ON.equals(type.extraSpecs().get("multiattach"));
        if (volume.multiattach() != toMultiattach) {
            if (volume.status() != VolumeStatus.AVAILABLE) {
                throw BasaltException.badRequest("Invalid input received: Invalid volume_type passed, retypes affecting"
                        + " multiattach are only allowed on available volumes, the specified volume however currently"
                        + " has a status of: %s.", volume.status().apiName());
            }
            if (toMultiattach && !mayMultiattach) {
                throw new BasaltException(Fault.FORBIDDEN, "Policy doesn't allow volume:multiattach to be performed.");
            }
        }
        Optional<VolumeTypeEncryption> newEncryption = encryption.forType(type.id());
        if (toMultiattach && newEncryption.isPresent()) {
            throw BasaltException.badRequest("Invalid input received: Retype requested both encryption and"
                    + " multi-attach, which is not supported.");
        }
        if (!Objects.equals(settings(newEncryption), settings(volume.volumeTypeId() == null ? Optional.empty()
                : encryption.forType(volume.volumeTypeId())))) {
            throw BasaltException.badRequest("Invalid input received: Basalt cannot retype volume %s to type %s: its"
                    + " encryption differs from the volume's type's, and Basalt does not re-encrypt volume data.",
                    volume.id(), type.name());
        }
        if (volume.status() == VolumeStatus.IN_USE && !qosAllowsInUse(volume.volumeTypeId(), type)) {
            throw BasaltException.badRequest(REFUSED);
        }
        VolumeMoves.Outcome outcome;
        try {
            outcome = moves.beginRetype(volume.id(), type.id(),
                    quotas.forRetype(volume.projectId(), volume.size(), type.id()));
        } catch (QuotaExceededException e) {
            LOG.info("{} retype of volume {} to {} refused to project {}: {}", context.requestId(), volume.id(),
                    type.id(), volume.projectId(), e.getMessage());
            throw new OverQuotaException(e, quotas.nameOf(e.resource()));
        }
        switch (outcome) {
            case DONE -> { }
            case NOT_FOUND -> throw VolumeService.notFound(volume.id());
            case REFUSED -> throw BasaltException.badRequest(REFUSED);
            default -> throw new IllegalStateException("unexpected outcome " + outcome);
        }
        try {
            schedulers.retype(new RetypeVolume(volume.id(), type.id(),
                    migrationPolicy == null ? RetypeVolume.NEVER : migrationPolicy, null, context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask a scheduler to retype volume {}", context.requestId(), volume.id(), e);
            moves.finish(volume.id(), VolumeMoves.Ending.failed(null));
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "No scheduler could be reached; the volume was not retyped. Try again later.");
        }
        LOG.info("{} volume {} is being retyped to {} (migration policy {})", context.requestId(), volume.id(),
                type.id(), migrationPolicy);
    }

    /** Cinder's {@code provision_filter_on_size}: the type's size limits. */
    private static void checkSize(VolumeType type, int size) {
        String min = type.extraSpecs().get(MIN_SIZE);
        if (min != null && isInt(min) && size < Integer.parseInt(min.strip())) {
            throw BasaltException.badRequest("Invalid input received: Specified volume size of '%d' is less than the"
                    + " minimum required size of '%s' for volume type '%s'.", size, min, type.name());
        }
        String max = type.extraSpecs().get(MAX_SIZE);
        if (max != null && isInt(max) && size > Integer.parseInt(max.strip())) {
            throw BasaltException.badRequest("Invalid input received: Specified volume size of '%d' is greater than"
                    + " the maximum allowable size of '%s' for volume type '%s'.", size, max, type.name());
        }
    }

    private static boolean isInt(String text) {
        try {
            Integer.parseInt(text.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Cinder's {@code volume_qos_allows_retype} for an {@code in-use} volume: both types have the same QoS
     * specs, or neither type's specs are applied by the front end.
     */
    private boolean qosAllowsInUse(String oldTypeId, VolumeType newType) {
        String oldQos = oldTypeId == null ? null : types.find(oldTypeId).map(VolumeType::qosSpecsId).orElse(null);
        if (Objects.equals(oldQos, newType.qosSpecsId())) {
            return true;
        }
        return !frontEnd(oldQos) && !frontEnd(newType.qosSpecsId());
    }

    private boolean frontEnd(String qosSpecsId) {
        return qosSpecsId != null && qos.find(qosSpecsId).map(QosSpecs::consumer)
                .map(QosSpecs.Consumer::frontEnd).orElse(false);
    }

    /** A type's encryption as Cinder compares two (without ids and times); empty when none. */
    private static Optional<List<Object>> settings(Optional<VolumeTypeEncryption> encryption) {
        return encryption.map(e -> Arrays.asList(e.provider(), e.cipher(), e.keySize(), e.controlLocation()));
    }
}
