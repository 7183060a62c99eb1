package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Ids;
import dev.basalt.db.GroupRepository;
import dev.basalt.db.GroupSnapshotRepository;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.Group;
import dev.basalt.model.GroupSnapshot;
import dev.basalt.model.GroupSnapshotStatus;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CreateGroupSnapshot;
import dev.basalt.rpc.DeleteGroupSnapshot;
import dev.basalt.rpc.VolumeRpc;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group snapshots (3.14) by the rules of Cinder's group API:
 * <ul>
 *   <li>{@link #create}: one snapshot per volume of the group, each checked as Cinder checks a
 *       volume to snapshot (placed, not in {@code maintenance} or {@code error}; Basalt also asks
 *       for {@code available} or {@code in-use}), written {@code creating} with the group snapshot
 *       in one transaction that reserves every member's {@code snapshots} and {@code gigabytes}
 *       (and per-type) quota, all or nothing; then the volume service of the group's backend takes
 *       them together. A group without volumes gets an {@code available} group snapshot at once.</li>
 *   <li>{@link #delete}: from {@code available} or {@code error}, not while a group is being made
 *       from it; it and every member go {@code deleting} and the volume service removes them.</li>
 *   <li>{@link #resetStatus}: an administrator's, to any status (members untouched, as Cinder).</li>
 * </ul>
 * Groups of Cinder's reserved type {@code default_cgsnapshot_type} are refused (400), and their
 * group snapshots are neither shown nor listed, as Cinder leaves them to its CG snapshot API.
 */
public final class GroupSnapshotService {
    private static final Logger LOG = LoggerFactory.getLogger(GroupSnapshotService.class);

    /** Volume statuses a group snapshot is taken in. */
    static final Set<VolumeStatus> SNAPSHOTTABLE = EnumSet.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE);
    private static final Set<GroupSnapshotStatus> DELETABLE = EnumSet.of(GroupSnapshotStatus.AVAILABLE,
            GroupSnapshotStatus.ERROR);

    private final GroupSnapshotRepository groupSnapshots;
    private final GroupRepository groups;
    private final SnapshotRepository snapshots;
    private final GroupService groupService;
    private final VolumeRepository volumes;
    private final Quotas quotas;
    private final VolumeRpc volumeServices;
    private final Clock clock;

    public GroupSnapshotService(GroupSnapshotRepository groupSnapshots, GroupRepository groups,
                                SnapshotRepository snapshots, GroupService groupService, VolumeRepository volumes, Quotas quotas,
                                VolumeRpc volumeServices, Clock clock) {
        this.groupSnapshots = requireNonNull(groupSnapshots, "groupSnapshots");
        this.groups = requireNonNull(groups, "groups");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.groupService = requireNonNull(groupService, "groupService");
        this.volumes = requireNonNull(volumes, "volumes");
        this.quotas = requireNonNull(quotas, "quotas");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The group snapshot if the caller may see it (administrators: any; others: their project's); 404 otherwise. */
    public GroupSnapshot visible(RequestContext context, String id) {
        return groupSnapshots.find(id).filter(g -> context.isAdmin() || g.projectId().equals(context.projectId()))
                .orElseThrow(() -> notFound(id));
    }

    /** As {@link #visible}, refusing one of Cinder's reserved group type (400, as Cinder). */
    public GroupSnapshot usable(RequestContext context, String id) {
        GroupSnapshot found = visible(context, id);
        refuseReservedType(found.groupTypeId());
        return found;
    }

    /** The group snapshots the caller lists: its project's, or every project's ({@code allTenants}, administrators). */
    public List<GroupSnapshot> list(RequestContext context, boolean allTenants) {
        String reserved = groupService.reservedTypeId().orElse(null);
        return groupSnapshots.list(allTenants && context.isAdmin() ? null : context.projectId()).stream()
                .filter(g -> !g.groupTypeId().equals(reserved)).toList();
    }

    /** The members of a group snapshot, oldest first. */
    public List<Snapshot> members(GroupSnapshot groupSnapshot) {
        return snapshots.forGroupSnapshot(groupSnapshot.id());
    }

    /** Starts taking a group snapshot of {@code group} (see the class). */
    public GroupSnapshot create(RequestContext context, Group group, String name, String description) {
        refuseReservedType(group.groupTypeId());
        List<Volume> members = new ArrayList<>();
        for (String id : groups.volumeIds(group.id())) {
            volumes.find(id).ifPresent(members::add);
        }
        members.forEach(GroupSnapshotService::checkSnapshottable);
        boolean empty = members.isEmpty();
        GroupSnapshot row = new GroupSnapshot(Ids.newId(), group.id(), context.projectId(), context.userId(), name,
                description, empty ? GroupSnapshotStatus.AVAILABLE : GroupSnapshotStatus.CREATING, group.groupTypeId(),
                StoredTime.now(clock), null);
        List<Snapshot> taken = new ArrayList<>();
        List<QuotaReservation> reservations = new ArrayList<>();
        for (Volume v : members) {
            taken.add(new Snapshot(Ids.newId(), v.id(), context.projectId(), context.userId(), name, description,
                    SnapshotStatus.CREATING, "0%", v.size(), v.volumeTypeId(), null, null, row.createdAt(), null,
                    v.encryptionKeyId(), row.id()));
            reservations.add(quotas.forSnapshot(context.projectId(), v.size(), v.volumeTypeId()));
        }
        GroupSnapshotRepository.CreateOutcome outcome;
        try {
            outcome = groupSnapshots.create(row, taken, reservations, SNAPSHOTTABLE);
        } catch (QuotaExceededException e) {
            LOG.info("{} group snapshot of group {} refused to project {}: {}", context.requestId(), group.id(),
                    context.projectId(), e.getMessage());
            throw new OverQuotaException(e, quotas.nameOf(e.resource()));
        }
        switch (outcome) {
            case CREATED -> { }
            case GROUP_NOT_FOUND -> throw GroupService.notFound(group.id());
            case VOLUMES_CHANGED -> throw BasaltException.conflict("The volumes of group %s changed meanwhile (one"
                    + " came, left or changed status); no group snapshot was taken. Try again.", group.id());
            default -> throw new IllegalStateException("unexpected outcome " + outcome);
        }
        if (!empty) {
            try {
                volumeServices.createGroupSnapshot(group.backend(), new CreateGroupSnapshot(row.id(),
                        context.requestId()));
            } catch (RuntimeException e) {
                LOG.error("{} could not ask {} to take group snapshot {}", context.requestId(), group.backend(),
                        row.id(), e);
                removeUnsent(row, taken);
                throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "The volume service could not be reached; the"
                        + " group snapshot was not taken. Try again later.");
            }
        }
        LOG.info("{} group snapshot {} of group {} ({} volume(s)) requested by project {}", context.requestId(),
                row.id(), group.id(), members.size(), context.projectId());
        return row;
    }

    /** Cinder's checks of each volume to snapshot, each a 400 naming the reason. */
    private static void checkSnapshottable(Volume volume) {
        if (volume.host() == null) {
            throw BasaltException.badRequest("Invalid volume: The snapshot cannot be created because volume has not"
                    + " been scheduled to any host.");
        }
        if (volume.status() == VolumeStatus.MAINTENANCE) {
            throw BasaltException.badRequest("Invalid volume: The snapshot cannot be created when the volume is in"
                    + " maintenance mode.");
        }
        if (volume.status() == VolumeStatus.ERROR) {
            throw BasaltException.badRequest("Invalid volume: The snapshot cannot be created when the volume is in"
                    + " error status.");
        }
        if (!SNAPSHOTTABLE.contains(volume.status())) {
            throw BasaltException.badRequest("Invalid volume: Volume %s status must be available or in-use, but"
                    + " current status is: %s.", volume.id(), volume.status().apiName());
        }
    }

    /**
     * The group snapshot whose message could not be sent goes with its members (none was taken, their
     * quota is given back), as a snapshot whose message could not be sent does.
     */
    private void removeUnsent(GroupSnapshot row, List<Snapshot> members) {
        try {
            members.forEach(s -> snapshots.delete(s.id()));
            groupSnapshots.beginDelete(row.id(), EnumSet.allOf(GroupSnapshotStatus.class));
        } catch (RuntimeException e) {
            LOG.error("could not remove group snapshot {}, which was not sent", row.id(), e);
        }
    }

    /** Starts deleting the group snapshot and its members (see the class). */
    public void delete(RequestContext context, GroupSnapshot groupSnapshot) {
        refuseReservedType(groupSnapshot.groupTypeId());
        switch (groupSnapshots.beginDelete(groupSnapshot.id(), DELETABLE)) {
            case STARTED -> { }
            case DELETED -> {
                LOG.info("{} group snapshot {} (no members) deleted", context.requestId(), groupSnapshot.id());
                return;
            }
            case NOT_FOUND -> throw notFound(groupSnapshot.id());
            case STATUS, IN_USE -> throw BasaltException.badRequest("Invalid GroupSnapshot: GroupSnapshot status must"
                    + " be available or error, and no Group can be currently using it as source for its creation.");
            default -> throw new IllegalStateException("unexpected outcome");
        }
        Optional<String> backend = groups.find(groupSnapshot.groupId()).map(Group::backend);
        try {
            volumeServices.deleteGroupSnapshot(backend.orElseThrow(() -> new IllegalStateException("group "
                    + groupSnapshot.groupId() + " is not placed")), new DeleteGroupSnapshot(groupSnapshot.id(),
                    context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask the volume service to delete group snapshot {}", context.requestId(),
                    groupSnapshot.id(), e);
            groupSnapshots.abandonDelete(groupSnapshot.id(), groupSnapshot.status());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "The volume service could not be reached; the group"
                    + " snapshot was not deleted. Try again later.");
        }
        LOG.info("{} group snapshot {} is being deleted", context.requestId(), groupSnapshot.id());
    }

    /** An administrator's reset to {@code status}, whatever the group snapshot's status was. */
    public void resetStatus(GroupSnapshot groupSnapshot, GroupSnapshotStatus status) {
        if (!groupSnapshots.resetStatus(groupSnapshot.id(), status)) {
            throw notFound(groupSnapshot.id());
        }
    }

    private void refuseReservedType(String groupTypeId) {
        if (groupService.reservedTypeId().filter(groupTypeId::equals).isPresent()) {
            throw BasaltException.badRequest("Group_type %s is reserved for migrating CGs to groups. Migrated group"
                    + " snapshots can only be operated by CG snapshot APIs.", groupTypeId);
        }
    }

    public static BasaltException notFound(String id) {
        return BasaltException.notFound("GroupSnapshot %s could not be found.", id);
    }
}
