package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.QuotaSettings;
import dev.basalt.common.BasaltException;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.QuotaRepository;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.QuotaUsage;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.QuotaResources;
import dev.basalt.model.VolumeType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Cinder's quota rules: which resources exist (the global ones, and volumes, gigabytes and
 * snapshots of every volume type), what limits apply to a project (its own, else the defaults:
 * the quota class {@code default}, else configuration; -1 for a per-type resource nobody set),
 * and what a new volume reserves. Speaks the API's names ({@code volumes_gold}); the database
 * keeps per-type resources by type id ({@code volumes:<id>}), so a rename changes no quota row.
 */
public final class Quotas {
    /** The API name and the stored key of every resource that exists now, in Cinder's order. */
    private record Names(Map<String, String> keyByName) {
        List<String> all() {
            return List.copyOf(keyByName.keySet());
        }

        String key(String name) {
            return keyByName.get(name);
        }
    }

    private final QuotaRepository repository;
    private final VolumeTypeRepository types;
    private final QuotaSettings settings;

    public Quotas(QuotaRepository repository, VolumeTypeRepository types, QuotaSettings settings) {
        this.repository = requireNonNull(repository, "repository");
        this.types = requireNonNull(types, "types");
        this.settings = requireNonNull(settings, "settings");
    }

    /** Every quota resource by its API name: the global ones in Cinder's order, then each type's (by name). */
    public List<String> resources() {
        return names().all();
    }

    /** The default limit of every resource. */
    public Map<String, Integer> defaults() {
        return resolve(names(), Map.of());
    }

    /** The limits of a quota class: those it sets, the defaults for the rest. */
    public Map<String, Integer> classLimits(String className) {
        return resolve(names(), repository.classLimits(className));
    }

    /** The limits that apply to a project: those set for it, the defaults for the rest. */
    public Map<String, Integer> projectLimits(String projectId) {
        return resolve(names(), repository.projectLimits(projectId));
    }

    /** Sets limits of a project, by API name (names {@link #resources()} lists). */
    public void setProjectLimits(String projectId, Map<String, Integer> limits) {
        repository.setProjectLimits(projectId, toKeys(names(), limits));
    }

    /** Sets limits of a quota class, by API name (names {@link #resources()} lists). */
    public void setClassLimits(String className, Map<String, Integer> limits) {
        repository.setClassLimits(className, toKeys(names(), limits));
    }

    /** Back to the defaults: the project's own limits go. */
    public void resetProject(String projectId) {
        repository.deleteProjectLimits(projectId);
    }

    /** What the project uses of each of {@code resources} (API names). */
    public Map<String, QuotaUsage> usages(String projectId, Iterable<String> resources) {
        Names names = names();
        Map<String, QuotaUsage> stored = repository.usages(projectId);
        Map<String, QuotaUsage> usages = new LinkedHashMap<>();
        for (String resource : resources) {
            String key = names.key(resource);
            usages.put(resource, key == null ? QuotaUsage.NONE : stored.getOrDefault(key, QuotaUsage.NONE));
        }
        return usages;
    }

    /**
     * What a new volume of {@code size} GiB and {@code type} reserves, with the limits that
     * apply; a size over {@code per_volume_gigabytes} is refused here with a
     * {@link QuotaExceededException}, as nothing needs reserving for it.
     */
    QuotaReservation forNewVolume(String projectId, int size, VolumeType type) {
        QuotaRepository.ProjectAndClassLimits set = limitsForVolumeOf(projectId, size);
        Map<String, Integer> own = set.project();
        Map<String, Integer> classDefaults = set.quotaClass();
        Map<String, Long> deltas = new LinkedHashMap<>();
        deltas.put(QuotaResources.VOLUMES, 1L);
        deltas.put(QuotaResources.GIGABYTES, (long) size);
        deltas.put(QuotaResources.keyOfType(QuotaResources.VOLUMES, type.id()), 1L);
        deltas.put(QuotaResources.keyOfType(QuotaResources.GIGABYTES, type.id()), (long) size);
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (String key : deltas.keySet()) {
            limits.put(key, limit(key, own, classDefaults));
        }
        return QuotaReservation.of(projectId, deltas, limits);
    }

    /**
     * What a volume of {@code size} GiB retyped to {@code typeId} reserves of its new type: Cinder's
     * {@code volumes_<type>} (1) and {@code gigabytes_<type>} (its size), with their limits.
     */
    QuotaReservation forRetype(String projectId, int size, String typeId) {
        Map<String, Long> deltas = new LinkedHashMap<>();
        deltas.put(QuotaResources.keyOfType(QuotaResources.VOLUMES, typeId), 1L);
        deltas.put(QuotaResources.keyOfType(QuotaResources.GIGABYTES, typeId), (long) size);
        return reservation(projectId, deltas);
    }

    /**
     * What a volume being managed reserves when its row is written, before its size is known (as
     * Cinder's API reserves it with size 0): {@code volumes} and the type's {@code volumes_<type>}.
     */
    QuotaReservation forManagedVolume(String projectId, VolumeType type) {
        Map<String, Long> deltas = new LinkedHashMap<>();
        deltas.put(QuotaResources.VOLUMES, 1L);
        deltas.put(QuotaResources.keyOfType(QuotaResources.VOLUMES, type.id()), 1L);
        return reservation(projectId, deltas);
    }

    /**
     * The limits a managed volume's size must stay within once its volume service knows it, by
     * stored key: {@code gigabytes}, the type's {@code gigabytes_<type>} and {@code per_volume_gigabytes}.
     */
    Map<String, Integer> gigabyteLimits(String projectId, VolumeType type) {
        return gigabyteLimits(projectId, type.id());
    }

    /** As {@link #gigabyteLimits(String, VolumeType)} for a type id (null: no type's key). */
    Map<String, Integer> gigabyteLimits(String projectId, String typeId) {
        Map<String, Integer> own = repository.projectLimits(projectId);
        Map<String, Integer> classDefaults = classDefaults();
        Map<String, Integer> limits = new LinkedHashMap<>();
        List<String> keys = new java.util.ArrayList<>(List.of(QuotaResources.GIGABYTES));
        if (typeId != null) {
            keys.add(QuotaResources.keyOfType(QuotaResources.GIGABYTES, typeId));
        }
        keys.add(QuotaResources.PER_VOLUME_GIGABYTES);
        for (String key : keys) {
            limits.put(key, limit(key, own, classDefaults));
        }
        return limits;
    }

    /**
     * What a new snapshot of a volume of {@code volumeSize} GiB and type {@code typeId} (none when
     * null) reserves, with the limits that apply: Cinder's {@code snapshots} and {@code gigabytes},
     * and the type's {@code snapshots_<type>} and {@code gigabytes_<type>}.
     */
    QuotaReservation forSnapshot(String projectId, int volumeSize, String typeId) {
        Map<String, Long> deltas = new LinkedHashMap<>();
        deltas.put(QuotaResources.SNAPSHOTS, 1L);
        if (volumeSize > 0) {
            deltas.put(QuotaResources.GIGABYTES, (long) volumeSize);
        }
        if (typeId != null) {
            deltas.put(QuotaResources.keyOfType(QuotaResources.SNAPSHOTS, typeId), 1L);
            if (volumeSize > 0) {
                deltas.put(QuotaResources.keyOfType(QuotaResources.GIGABYTES, typeId), (long) volumeSize);
            }
        }
        return reservation(projectId, deltas);
    }

    /**
     * What a new (or imported) backup of {@code size} GiB reserves, with the limits that apply:
     * Cinder's {@code backups} (1) and {@code backup_gigabytes} (its size).
     */
    QuotaReservation forBackup(String projectId, int size) {
        Map<String, Long> deltas = new LinkedHashMap<>();
        deltas.put(QuotaResources.BACKUPS, 1L);
        deltas.put(QuotaResources.BACKUP_GIGABYTES, (long) size);
        return reservation(projectId, deltas);
    }

    /** What a new group reserves, with its limit: Cinder's {@code groups} (1). */
    QuotaReservation forGroup(String projectId) {
        return reservation(projectId, Map.of(QuotaResources.GROUPS, 1L));
    }

    /**
     * What growing a volume of type {@code typeId} (none when null) to {@code newSize} GiB reserves,
     * as a function of the increase: {@code gigabytes} and {@code gigabytes_<type>}. A new size over
     * {@code per_volume_gigabytes} is refused here with a {@link QuotaExceededException}.
     */
    IntFunction<QuotaReservation> forExtend(String projectId, int newSize, String typeId) {
        QuotaRepository.ProjectAndClassLimits set = limitsForVolumeOf(projectId, newSize);
        Map<String, Integer> own = set.project();
        Map<String, Integer> classDefaults = set.quotaClass();
        List<String> keys = typeId == null ? List.of(QuotaResources.GIGABYTES)
                : List.of(QuotaResources.GIGABYTES, QuotaResources.keyOfType(QuotaResources.GIGABYTES, typeId));
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (String key : keys) {
            limits.put(key, limit(key, own, classDefaults));
        }
        return increase -> {
            Map<String, Long> deltas = new LinkedHashMap<>();
            for (String key : keys) {
                deltas.put(key, (long) increase);
            }
            return QuotaReservation.of(projectId, deltas, limits);
        };
    }

    /**
     * What receiving a transferred volume of {@code size} GiB asks of {@code projectId}: whatever
     * the volume's (and its snapshots') claims hold, within the limits that apply to the project;
     * a size over its {@code per_volume_gigabytes} is refused here with a
     * {@link QuotaExceededException}.
     */
    Function<Map<String, Long>, QuotaReservation> forTransfer(String projectId, int size) {
        Map<String, Integer> own = repository.projectLimits(projectId);
        Map<String, Integer> classDefaults = classDefaults();
        int perVolume = limit(QuotaResources.PER_VOLUME_GIGABYTES, own, classDefaults);
        if (perVolume >= 0 && size > perVolume) {
            throw new QuotaExceededException(QuotaResources.PER_VOLUME_GIGABYTES, perVolume, size, 0);
        }
        return deltas -> {
            Map<String, Integer> limits = new LinkedHashMap<>();
            for (String key : deltas.keySet()) {
                limits.put(key, limit(key, own, classDefaults));
            }
            return QuotaReservation.of(projectId, deltas, limits);
        };
    }

    /** The API name of a stored key ({@code gigabytes_gold} for {@code gigabytes:<gold's id>}). */
    public String nameOf(String key) {
        for (Map.Entry<String, String> e : names().keyByName().entrySet()) {
            if (e.getValue().equals(key)) {
                return e.getKey();
            }
        }
        return key;
    }

    private QuotaReservation reservation(String projectId, Map<String, Long> deltas) {
        Map<String, Integer> own = repository.projectLimits(projectId);
        Map<String, Integer> classDefaults = classDefaults();
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (String key : deltas.keySet()) {
            limits.put(key, limit(key, own, classDefaults));
        }
        return QuotaReservation.of(projectId, deltas, limits);
    }

    /** The API name of a stored key that belongs to {@code type} or is global. */
    static String nameOf(String key, VolumeType type) {
        for (String kind : QuotaResources.PER_TYPE) {
            if (key.equals(QuotaResources.keyOfType(kind, type.id()))) {
                return QuotaResources.ofType(kind, type.name());
            }
        }
        return key;
    }

    private Names names() {
        Map<String, String> keyByName = new LinkedHashMap<>();
        for (String resource : QuotaResources.GLOBAL) {
            keyByName.put(resource, resource);
        }
        for (VolumeType type : types.list(null)) {
            for (String kind : QuotaResources.PER_TYPE) {
                keyByName.put(QuotaResources.ofType(kind, type.name()), QuotaResources.keyOfType(kind, type.id()));
            }
        }
        return new Names(keyByName);
    }

    private Map<String, Integer> resolve(Names names, Map<String, Integer> set) {
        Map<String, Integer> classDefaults = classDefaults();
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (String name : names.all()) {
            limits.put(name, limit(names.key(name), set, classDefaults));
        }
        return limits;
    }

    private static Map<String, Integer> toKeys(Names names, Map<String, Integer> byName) {
        Map<String, Integer> byKey = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        byName.forEach((name, limit) -> {
            String key = names.key(name);
            if (key == null) {
                unknown.add(name);
            } else {
                byKey.put(key, limit);
            }
        });
        if (!unknown.isEmpty()) {
            throw BasaltException.badRequest("Invalid input received: Bad key(s) in quota set: %s",
                    String.join(", ", unknown));
        }
        return byKey;
    }

    private int limit(String key, Map<String, Integer> set, Map<String, Integer> classDefaults) {
        Integer own = set.get(key);
        return own != null ? own : defaultLimit(key, classDefaults);
    }

    private int defaultLimit(String key, Map<String, Integer> classDefaults) {
        Integer fromClass = classDefaults.get(key);
        return fromClass != null ? fromClass : settings.byResource().getOrDefault(key, -1);
    }

    /**
     * The project's own limits and its class defaults, read in one query; throws when a volume of
     * {@code size} GiB passes {@code per_volume_gigabytes}.
     */
    private QuotaRepository.ProjectAndClassLimits limitsForVolumeOf(String projectId, int size) {
        QuotaRepository.ProjectAndClassLimits set = repository.projectAndClassLimits(projectId,
                settings.useDefaultQuotaClass() ? QuotaRepository.DEFAULT_CLASS : null);
        int perVolume = limit(QuotaResources.PER_VOLUME_GIGABYTES, set.project(), set.quotaClass());
        if (perVolume >= 0 && size > perVolume) {
            throw new QuotaExceededException(QuotaResources.PER_VOLUME_GIGABYTES, perVolume, size, 0);
        }
        return set;
    }

    private Map<String, Integer> classDefaults() {
        return settings.useDefaultQuotaClass() ? repository.classLimits(QuotaRepository.DEFAULT_CLASS) : Map.of();
    }
}
