package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.db.GroupRepository;
import dev.basalt.model.Group;
import dev.basalt.model.GroupStatus;
import dev.basalt.model.VolumeType;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which groups a caller sees (administrators: any; others: their project's) and whether a new
 * volume may go in one, by Cinder's rules: a type must be named, the group must hold volumes of
 * that type and be {@code available} or {@code creating}.
 */
public final class GroupMembership {
    /** Statuses a group takes new volumes in (Cinder's GROUP_PROCEED_STATUS). */
    private static final Set<GroupStatus> PROCEED = EnumSet.of(GroupStatus.AVAILABLE, GroupStatus.CREATING);

    private final GroupRepository groups;

    public GroupMembership(GroupRepository groups) {
        this.groups = requireNonNull(groups, "groups");
    }

    /** The group if the caller may see it; 404 otherwise. */
    Group visible(RequestContext context, String id) {
        return groups.find(id).filter(g -> context.isAdmin() || g.projectId().equals(context.projectId()))
                .orElseThrow(() -> GroupService.notFound(id));
    }

    /** The group {@code groupId} a new volume of {@code type} (null: none named) goes in, checked. */
    Group forNewVolume(RequestContext context, String groupId, VolumeType type) {
        Group group = visible(context, groupId);
        if (type == null) {
            throw BasaltException.badRequest("Invalid input received: volume_type must be provided when creating a"
                    + " volume in a group.");
        }
        if (!group.volumeTypeIds().contains(type.id())) {
            throw BasaltException.badRequest("Invalid input received: Invalid volume_type provided: %s (requested"
                    + " type must be supported by this group).", type.name());
        }
        if (!PROCEED.contains(group.status())) {
            throw BasaltException.badRequest("Invalid Group: Originating group status must be one of 'available,"
                    + " creating' values");
        }
        return group;
    }
}
