package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Ids;
import dev.basalt.db.GroupRepository;
import dev.basalt.db.GroupTypeRepository;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Group;
import dev.basalt.model.GroupStatus;
import dev.basalt.model.GroupType;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.SchedulerRpc;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generic volume groups (3.13) by the rules of Cinder's group API: create (placed on one pool,
 * then written {@code available} with the groups quota claimed, or {@code error} when no pool
 * passes for every volume type), update (name, description, and volumes added or
 * removed all or nothing), delete (with its volumes only when asked) and an administrator's
 * status reset. Cinder's reserved type {@code default_cgsnapshot_type} is refused, as Cinder
 * leaves it to its consistency group API.
 */
public final class GroupService {
    private static final Logger LOG = LoggerFactory.getLogger(GroupService.class);

    /** The group type Cinder keeps for consistency groups migrated to groups. */
    static final String DEFAULT_CGSNAPSHOT_TYPE = "default_cgsnapshot_type";
    /** Statuses a volume may be added to a group in (Cinder's list). */
    static final Set<VolumeStatus> ADDABLE = EnumSet.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE);
    /** Statuses a volume may be removed from a group in (Cinder's list). */
    static final Set<VolumeStatus> REMOVABLE = EnumSet.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE,
            VolumeStatus.ERROR, VolumeStatus.ERROR_DELETING);
    private static final String IS_TRUE = "<is> True";

    private final GroupRepository groups;
    private final GroupMembership membership;
    private final GroupTypeRepository groupTypes;
    private final VolumeTypeRepository types;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final AvailabilityZones zones;
    private final Quotas quotas;
    private final GroupPlacement placement;
    private final VolumeDeletion deletion;
    private final Clock clock;

    public GroupService(GroupRepository groups, GroupTypeRepository groupTypes, VolumeTypeRepository types,
                        VolumeRepository volumes, SnapshotRepository snapshots, AvailabilityZones zones, Quotas quotas,
                        SchedulerRpc schedulers, Duration schedulerTimeout, VolumeDeletion deletion, Clock clock) {
        this.groups = requireNonNull(groups, "groups");
        this.membership = new GroupMembership(groups);
        this.groupTypes = requireNonNull(groupTypes, "groupTypes");
        this.types = requireNonNull(types, "types");
        this.volumes = requireNonNull(volumes, "volumes");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.zones = requireNonNull(zones, "zones");
        this.quotas = requireNonNull(quotas, "quotas");
        this.placement = new GroupPlacement(schedulers, schedulerTimeout);
        this.deletion = requireNonNull(deletion, "deletion");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The group if the caller may see it (administrators: any; others: their project's); 404 otherwise. */
    public Group visible(RequestContext context, String id) {
        return membership.visible(context, id);
    }

    /** As {@link #visible}, refusing a group of Cinder's reserved type (400, as Cinder). */
    public Group usable(RequestContext context, String id) {
        Group group = visible(context, id);
        refuseReservedType(group.groupTypeId());
        return group;
    }

    /** The groups the caller lists: its project's, or every project's ({@code allTenants}, administrators). */
    public List<Group> list(RequestContext context, boolean allTenants) {
        String reserved = reservedTypeId().orElse(null);
        return groups.list(allTenants && context.isAdmin() ? null : context.projectId()).stream()
                .filter(g -> !g.groupTypeId().equals(reserved)).toList();
    }

    /** The ids of the group's volumes. */
    public List<String> volumeIds(Group group) {
        return groups.volumeIds(group.id());
    }

    /**
     * Creates a group of {@code groupTypeRef} (name or id) for volumes of {@code volumeTypeRefs}
     * (names or ids): placed, then written with its quota, {@code available} on its pool, or
     * {@code error} (unplaced) when no pool can hold volumes of every type.
     */
    public Group create(RequestContext context, String name, String description, String groupTypeRef,
                        List<String> volumeTypeRefs, String availabilityZone) {
        GroupType groupType = groupType(groupTypeRef);
        refuseReservedType(groupType.id());
        List<VolumeType> volumeTypes = new ArrayList<>();
        for (String ref : volumeTypeRefs) {
            volumeTypes.add(TypeLookup.byNameOrId(types, ref));
        }
        String zone = zones.choose(availabilityZone, null);
        Optional<String> host;
        try {
            host = placement.choose(volumeTypes, zone);
        } catch (RuntimeException e) {
            LOG.error("{} could not ask a scheduler where a group goes", context.requestId(), e);
            host = Optional.empty();
        }
        // Placed before it is written: a group is never left creating by a process that stops.
        Group group = new Group(Ids.newId(), context.projectId(), context.userId(), name, description, zone,
                host.orElse(null), groupType.id(), volumeTypes.stream().map(VolumeType::id).distinct().toList(),
                host.isPresent() ? GroupStatus.AVAILABLE : GroupStatus.ERROR, StoredTime.now(clock), null);
        try {
            groups.create(group, quotas.forGroup(context.projectId()));
        } catch (QuotaExceededException e) {
            LOG.info("{} group refused to project {}: {}", context.requestId(), context.projectId(), e.getMessage());
            throw new OverQuotaException(e, e.resource());
        }
        if (host.isPresent()) {
            LOG.info("{} group {} placed on {}", context.requestId(), group.id(), host.get());
        } else {
            LOG.warn("{} no valid backend for group {} (volume types {}): it is in error", context.requestId(),
                    group.id(), group.volumeTypeIds());
        }
        return group;
    }

    /**
     * Renames the group and adds or removes volumes ({@code addVolumes}, {@code removeVolumes}:
     * comma-separated ids, null when not given), by Cinder's rules; a refusal is a 400 and changes
     * nothing.
     */
    public void update(RequestContext context, Group group, String name, String description, String addVolumes,
                       String removeVolumes) {
        String newName = name != null && name.equals(group.name()) ? null : name;
        String newDescription = description != null && description.equals(group.description()) ? null : description;
        List<String> add = idList(addVolumes);
        List<String> remove = idList(removeVolumes);
        List<String> both = add.stream().filter(remove::contains).toList();
        if (!both.isEmpty()) {
            throw BasaltException.badRequest("Invalid volume: UUIDs %s are in both add and remove volume list.",
                    pythonList(both));
        }
        List<String> members = groups.volumeIds(group.id());
        List<String> toAdd = checkAdd(context, group, members, add);
        List<String> toRemove = checkRemove(group, members, remove);
        if (newName == null && newDescription == null && toAdd.isEmpty() && toRemove.isEmpty()) {
            throw BasaltException.badRequest("Invalid Group: Cannot update group %s because no valid name,"
                    + " description, add_volumes, or remove_volumes were provided.", group.id());
        }
        if (toAdd.isEmpty() && toRemove.isEmpty()) {
            // As Cinder: a change of name or description alone makes the group available.
            groups.rename(group.id(), newName, newDescription);
            groups.resetStatus(group.id(), GroupStatus.AVAILABLE);
            return;
        }
        switch (groups.changeMembers(group.id(), toAdd, toRemove, ADDABLE, REMOVABLE)) {
            case DONE -> groups.rename(group.id(), newName, newDescription);
            case NOT_FOUND -> throw notFound(group.id());
            case GROUP_STATUS -> throw BasaltException.badRequest("Invalid Group: Group status must be available.");
            case VOLUME_CHANGED -> throw BasaltException.conflict("A volume of the update changed meanwhile (its"
                    + " status or its group); nothing was changed. Try again.");
            default -> throw new IllegalStateException("unexpected outcome");
        }
        LOG.info("{} group {}: added {}, removed {}", context.requestId(), group.id(), toAdd, toRemove);
    }

    private List<String> checkAdd(RequestContext context, Group group, List<String> members, List<String> add) {
        List<String> toAdd = new ArrayList<>();
        for (String id : add) {
            if (members.contains(id) || toAdd.contains(id)) {
                continue;
            }
            Volume v = volumes.find(id).filter(x -> context.isAdmin() || x.projectId().equals(context.projectId()))
                    .orElseThrow(() -> invalidVolume("Cannot add volume %s to group %s because volume cannot be found.",
                            id, group.id()));
            String prefix = "Cannot add volume " + v.id() + " to group " + group.id();
            if (v.groupId() != null) {
                throw invalidVolume("%s because it is already in group %s.", prefix, v.groupId());
            }
            if (!v.projectId().equals(group.projectId())) {
                throw invalidVolume("%s as they belong to different projects.", prefix);
            }
            if (v.volumeTypeId() == null) {
                throw invalidVolume("%s because it has no volume type.", prefix);
            }
            if (!group.volumeTypeIds().contains(v.volumeTypeId())) {
                throw invalidVolume("%s because volume type %s is not supported by the group.", prefix,
                        v.volumeTypeId());
            }
            if (!ADDABLE.contains(v.status())) {
                throw invalidVolume("%s because volume is in an invalid state: %s. Valid states are: %s.", prefix,
                        v.status().apiName(), "('available', 'in-use')");
            }
            if (group.backend() == null || !group.backend().equals(v.backend())) {
                throw invalidVolume("Volume is not local to this node.");
            }
            toAdd.add(v.id());
        }
        return toAdd;
    }

    private List<String> checkRemove(Group group, List<String> members, List<String> remove) {
        List<String> toRemove = new ArrayList<>();
        for (String id : remove) {
            if (!members.contains(id)) {
                throw invalidVolume("Cannot remove volume %s from group %s because it is not in the group.", id,
                        group.id());
            }
            Volume v = volumes.find(id).orElseThrow(() -> invalidVolume("Cannot remove volume %s from group %s"
                    + " because it is not in the group.", id, group.id()));
            if (!REMOVABLE.contains(v.status())) {
                throw invalidVolume("Cannot remove volume %s from group %s because volume is in an invalid state:"
                        + " %s. Valid states are: %s.", id, group.id(), v.status().apiName(), "('available', 'in-use', 'error', 'error_deleting')");
            }
            if (!toRemove.contains(id)) {
                toRemove.add(id);
            }
        }
        return toRemove;
    }

    /**
     * Deletes the group: at once when it was never placed; otherwise from {@code available} or
     * {@code error} (any status with {@code deleteVolumes}), refused while it has volumes unless
     * {@code deleteVolumes}, which deletes them too (none may be attached or have snapshots: every
     * volume is checked before any is deleted), and never while it has group snapshots or a group
     * is being made from it. The group is then {@code deleted}, its quota given
     * back; its volumes go {@code deleting} and their volume services delete them.
     */
    public void delete(RequestContext context, Group group, boolean deleteVolumes) {
        if (group.host() == null) {
            groups.markDeleted(group.id());
            LOG.info("{} group {} was never placed; deleted it", context.requestId(), group.id());
            return;
        }
        if (!deleteVolumes && group.status() != GroupStatus.AVAILABLE && group.status() != GroupStatus.ERROR) {
            throw BasaltException.badRequest("Invalid Group: Group status must be available or error, but current"
                    + " status is: %s", group.status().apiName());
        }
        if (groups.hasGroupSnapshots(group.id())) {
            throw BasaltException.badRequest("Invalid Group: Group has existing snapshots.");
        }
        List<Volume> members = new ArrayList<>();
        for (String id : groups.volumeIds(group.id())) {
            volumes.find(id).ifPresent(members::add);
        }
        if (!members.isEmpty() && !deleteVolumes) {
            throw BasaltException.badRequest("Invalid Group: Group %s still contains volumes. The delete-volumes flag"
                    + " is required to delete it.", group.id());
        }
        for (Volume v : members) {
            if (v.attachStatus() == AttachStatus.ATTACHED) {
                throw BasaltException.badRequest("Invalid Group: Volume in group %s is attached. Need to detach"
                        + " first.", group.id());
            }
            if (!snapshots.forVolume(v.id()).isEmpty()) {
                throw BasaltException.badRequest("Invalid Group: Volume in group still has dependent snapshots.");
            }
        }
        Set<GroupStatus> expected = deleteVolumes ? EnumSet.complementOf(EnumSet.of(GroupStatus.DELETED))
                : EnumSet.of(GroupStatus.AVAILABLE, GroupStatus.ERROR);
        if (!groups.beginDelete(group.id(), expected, GroupStatus.DELETING)) {
            throw BasaltException.badRequest("Invalid Group: Cannot delete group %s. Group status must be available"
                    + " or error and must not have dependent group snapshots, and it cannot be the source for an"
                    + " ongoing group or group snapshot creation.", group.id());
        }
        for (Volume v : members) {
            if (v.status() != VolumeStatus.DELETING) {
                deletion.beginInGroup(context, v);
            }
        }
        groups.markDeleted(group.id());
        LOG.info("{} group {} deleted{}", context.requestId(), group.id(),
                members.isEmpty() ? "" : " with " + members.size() + " volume(s)");
    }

    /** An administrator's reset to {@code status}, whatever the group's status was. */
    public void resetStatus(Group group, GroupStatus status) {
        if (!groups.resetStatus(group.id(), status)) {
            throw notFound(group.id());
        }
    }

    /**
     * The replication actions (3.38), refused as Cinder refuses them for a group that cannot
     * replicate: its group type must have {@code group_replication_enabled} and each of its volume
     * types {@code replication_enabled} set to {@code <is> True}; and then, as no Basalt backend
     * replicates volumes, the action is refused all the same.
     */
    public void refuseReplication(Group group) {
        GroupType type = groupTypes.find(group.groupTypeId()).orElse(null);
        if (type == null || !IS_TRUE.equals(type.groupSpecs().get("group_replication_enabled"))) {
            throw BasaltException.badRequest("Invalid group type: Group %s is not a replication group type.",
                    group.id());
        }
        for (String typeId : group.volumeTypeIds()) {
            String spec = types.find(typeId).map(t -> t.extraSpecs().get("replication_enabled")).orElse(null);
            if (!IS_TRUE.equals(spec)) {
                throw BasaltException.badRequest("Invalid volume type: Volume type %s does not have"
                        + " 'replication_enabled' spec key set to '<is> True'.", typeId);
            }
        }
        throw BasaltException.badRequest("Invalid group: Group %s cannot be replicated: no backend of this cloud"
                + " replicates volumes.", group.id());
    }

    /** Whether a group (not deleted) is of the group type. */
    public boolean typeInUse(String groupTypeId) {
        return groups.typeInUse(groupTypeId);
    }

    private GroupType groupType(String ref) {
        if (!Ids.isUuidLike(ref)) {
            return groupTypes.findByName(ref).orElseThrow(() -> BasaltException.notFound(
                    "Group type with name %s could not be found.", ref));
        }
        return groupTypes.find(ref).or(() -> groupTypes.findByName(ref))
                .orElseThrow(() -> BasaltException.notFound("Group type %s could not be found.", ref));
    }

    /** The id of Cinder's reserved group type, if the database has it. */
    Optional<String> reservedTypeId() {
        return groupTypes.findByName(DEFAULT_CGSNAPSHOT_TYPE).map(GroupType::id);
    }

    private void refuseReservedType(String groupTypeId) {
        if (reservedTypeId().filter(groupTypeId::equals).isPresent()) {
            throw BasaltException.badRequest("Group_type %s is reserved for migrating CGs to groups. Migrated group"
                    + " can only be operated by CG APIs.", groupTypeId);
        }
    }

    /** Cinder's reading of a comma-separated id list: commas stripped from both ends, then split. */
    private static List<String> idList(String ids) {
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        String stripped = ids.replaceAll("^,+|,+$", "");
        return new ArrayList<>(new LinkedHashSet<>(Arrays.asList(stripped.split(",", -1))));
    }

    private static String pythonList(List<String> ids) {
        return "[" + String.join(", ", ids.stream().map(i -> "'" + i + "'").toList()) + "]";
    }

    private static BasaltException invalidVolume(String format, Object... args) {
        return BasaltException.badRequest("Invalid volume: " + format, args);
    }

    public static BasaltException notFound(String id) {
        return BasaltException.notFound("Group %s could not be found.", id);
    }
}
