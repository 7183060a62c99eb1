package dev.basalt.api.service;

/**
 * Whether groups use a group type, which then cannot be deleted. Basalt has no groups yet, so
 * {@link #NONE} answers no for every type; the groups API plugs its own answer in here.
 */
@FunctionalInterface
public interface GroupTypeUsage {
    /** No group uses any type (there are no groups). */
    GroupTypeUsage NONE = groupTypeId -> false;

    boolean inUse(String groupTypeId);
}
