package dev.basalt.iscsi.scsi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The logical units one target name serves, and the identity of the target port they are seen
 * through (reported in the device identification VPD page).
 */
public record LunTable(String targetName, int portalGroupTag, NavigableMap<Integer, LogicalUnit> units) {
    public LunTable {
        requireNonNull(targetName, "targetName");
        units = Collections.unmodifiableNavigableMap(new TreeMap<>(units));
    }

    /** The unit with this number, or null. */
    public LogicalUnit unit(int lun) {
        return units.get(lun);
    }
}
