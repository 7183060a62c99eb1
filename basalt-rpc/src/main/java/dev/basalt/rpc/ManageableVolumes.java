package dev.basalt.rpc;

import java.util.List;

/**
 * What a backend's storage holds that could be managed, in no particular order (the API sorts and
 * pages it); empty when its driver cannot manage storage.
 */
public record ManageableVolumes(List<Entry> volumes) {
    public ManageableVolumes {
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    /**
     * One piece of storage, as Cinder's {@code get_manageable_volumes} describes it.
     *
     * @param reference its {@code source-name}
     * @param size GiB, rounded up
     * @param reasonNotSafe null when safe
     * @param cinderId the volume it already is, or null
     * @param extraInfo anything else, or null
     */
    public record Entry(String reference, int size, boolean safeToManage, String reasonNotSafe, String cinderId,
                        String extraInfo) {
    }
}
