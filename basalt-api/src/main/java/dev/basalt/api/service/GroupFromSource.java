package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Ids;
import dev.basalt.db.EncryptionRepository;
import dev.basalt.db.GroupRepository;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Group;
import dev.basalt.model.GroupSnapshot;
import dev.basalt.model.GroupStatus;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.ScheduleVolume;
import dev.basalt.rpc.SchedulerRpc;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group made from a source (3.14, Cinder's {@code create-from-src}): from a group snapshot (one
 * volume from each of its snapshots) or from another group (one clone of each of its volumes). The
 * new group takes its source group's group type, volume types, availability zone and pool; each
 * volume its source's size, type and key (a copy of it, when encrypted). The group (its
 * {@code groups} quota claimed) and its volumes ({@code creating}, each reserving its
 * {@code volumes} and {@code gigabytes} quota) are written in one transaction while their sources
 * are held, all or nothing; the scheduler then places each volume on the source's pool, and its
 * volume service makes it from its snapshot or source volume as any volume made from a source. The
 * group is {@code available} at once (Basalt writes no group {@code creating}); its volumes are
 * {@code creating} until made, and a volume that fails is in {@code error} with a user message.
 */
public final class GroupFromSource {
    private static final Logger LOG = LoggerFactory.getLogger(GroupFromSource.class);

    private final GroupRepository groups;
    private final GroupService groupService;
    private final GroupSnapshotService groupSnapshots;
    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final VolumeTypeRepository types;
    private final VolumeEncryption encryption;
    private final Quotas quotas;
    private final SchedulerRpc schedulers;
    private final Clock clock;

    public GroupFromSource(GroupRepository groups, GroupService groupService, GroupSnapshotService groupSnapshots,
                           SnapshotRepository snapshots, VolumeRepository volumes, VolumeTypeRepository types,
                           EncryptionRepository encryption, EncryptionKeys keys, Quotas quotas,
                           SchedulerRpc schedulers, Clock clock) {
        this.groups = requireNonNull(groups, "groups");
        this.groupService = requireNonNull(groupService, "groupService");
        this.groupSnapshots = requireNonNull(groupSnapshots, "groupSnapshots");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.volumes = requireNonNull(volumes, "volumes");
        this.types = requireNonNull(types, "types");
        this.encryption = new VolumeEncryption(encryption, keys);
        this.quotas = requireNonNull(quotas, "quotas");
        this.schedulers = requireNonNull(schedulers, "schedulers");
        this.clock = requireNonNull(clock, "clock");
    }

    /** One new volume and the source it is made from. */
    private record Member(VolumeSources.Source source, VolumeType type) {
    }

    /**
     * Makes a group named {@code name} from the group snapshot {@code groupSnapshotId} or the group
     * {@code sourceGroupId} (exactly one is given), which the caller must see (404 otherwise).
     */
    public Group create(RequestContext context, String name, String description, String groupSnapshotId,
                        String sourceGroupId) {
        Group sourceGroup;
        List<Member> members = new ArrayList<>();
        String newId = Ids.newId();
        if (groupSnapshotId != null) {
            GroupSnapshot source = groupSnapshots.usable(context, groupSnapshotId);
            sourceGroup = groups.find(source.groupId()).orElseThrow(() -> GroupService.notFound(source.groupId()));
            List<Snapshot> taken = snapshots.forGroupSnapshot(source.id());
            if (taken.isEmpty()) {
                throw invalidGroup("Group snapshot is empty. No group will be created.");
            }
            for (Snapshot s : taken) {
                if (s.status() != SnapshotStatus.AVAILABLE) {
                    throw invalidGroup("Cannot create group %s because snapshot %s is not in a valid state. Valid"
                            + " states are: ['available'].", newId, s.id());
                }
                Volume of = volumes.find(s.volumeId()).orElseThrow(() -> SnapshotService.notFound(s.id()));
                members.add(new Member(new VolumeSources.Source(s, of), TypeLookup.byId(types, s.volumeTypeId())));
            }
        } else {
            sourceGroup = groupService.usable(context, sourceGroupId);
            for (String id : groups.volumeIds(sourceGroup.id())) {
                Volume v = volumes.find(id).orElseThrow(() -> VolumeService.notFound(id));
                if (!VolumeTransitions.CLONEABLE.contains(v.status())) {
                    throw invalidGroup("Cannot create group %s because source volume %s is not in a valid state."
                            + " Valid states are: ['available', 'in-use'].", newId, v.id());
                }
                members.add(new Member(new VolumeSources.Source(null, v), TypeLookup.byId(types, v.volumeTypeId())));
            }
            if (members.isEmpty()) {
                throw invalidGroup("Source Group is empty. No group will be created.");
            }
        }
        if (sourceGroup.host() == null) {
            throw invalidGroup("No valid host to create group %s.", newId);
        }
        Instant now = StoredTime.now(clock);
        Group group = new Group(newId, context.projectId(), context.userId(), name, description,
                sourceGroup.availabilityZone(), sourceGroup.host(), sourceGroup.groupTypeId(),
                sourceGroup.volumeTypeIds(), GroupStatus.AVAILABLE, now, null, groupSnapshotId,
                groupSnapshotId == null ? sourceGroupId : null);
        List<Volume> rows = new ArrayList<>();
        List<QuotaReservation> reservations = new ArrayList<>();
        for (Member m : members) {
            VolumeSources.Source s = m.source();
            boolean multiattach = "<is> True".equals(m.type().extraSpecs().get("multiattach"));
            String keyId = encryption.keyIdFor(m.type(), Optional.of(s), multiattach, false);
            rows.add(new Volume(Ids.newId(), context.projectId(), context.userId(), null, null, s.size(),
                    VolumeStatus.CREATING, AttachStatus.DETACHED, group.availabilityZone(), null, m.type().id(),
                    s.volume().bootable(), multiattach, s.snapshotId(), s.sourceVolid(), null, null, Map.of(), now,
                    null, null, Map.of(), group.id(), keyId));
            reservations.add(quotas.forNewVolume(context.projectId(), s.size(), m.type()));
        }
        GroupRepository.SourceOutcome outcome;
        try {
            outcome = groups.createFromSource(group, quotas.forGroup(context.projectId()), rows, reservations,
                    VolumeTransitions.CLONEABLE);
        } catch (QuotaExceededException e) {
            LOG.info("{} group from {} refused to project {}: {}", context.requestId(),
                    groupSnapshotId != null ? groupSnapshotId : sourceGroupId, context.projectId(), e.getMessage());
            throw new OverQuotaException(e, quotas.nameOf(e.resource()));
        }
        switch (outcome) {
            case CREATED -> { }
            case SOURCE_NOT_FOUND -> throw groupSnapshotId != null ? GroupSnapshotService.notFound(groupSnapshotId)
                    : GroupService.notFound(sourceGroupId);
            case SOURCE_STATUS -> throw BasaltException.conflict("The source of the group changed meanwhile (its"
                    + " snapshots or volumes are no longer available); no group was created. Try again.");
            default -> throw new IllegalStateException("unexpected outcome " + outcome);
        }
        for (Volume v : rows) {
            try {
                schedulers.createVolume(new ScheduleVolume(v.id(), context.requestId()));
            } catch (RuntimeException e) {
                // Its workers row stays unclaimed: a scheduler sends it again (WorkRedriver).
                LOG.error("{} could not ask the scheduler to place volume {} of group {}; it will be sent again",
                        context.requestId(), v.id(), group.id(), e);
            }
        }
        LOG.info("{} group {} made from {} {} with {} volume(s) on {}", context.requestId(), group.id(),
                groupSnapshotId != null ? "group snapshot" : "group",
                groupSnapshotId != null ? groupSnapshotId : sourceGroupId, rows.size(), group.host());
        return group;
    }

    private static BasaltException invalidGroup(String format, Object... args) {
        return BasaltException.badRequest("Invalid Group: " + format, args);
    }
}
