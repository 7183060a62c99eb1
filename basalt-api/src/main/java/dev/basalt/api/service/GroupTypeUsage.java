package dev.basalt.api.service;

/**
 * Whether groups use a group type, which then cannot be deleted ({@link GroupService#typeInUse}).
 */
@FunctionalInterface
public interface GroupTypeUsage {
    boolean inUse(String groupTypeId);
}
