package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Volumes made as the API and a volume service make them: created with their quota claimed, placed, available. */
final class PlacedVolumes {
    private PlacedVolumes() {
    }

    /**
     * An available volume of {@code size} GiB and {@code typeId} in {@code project}, whose creation
     * claimed (no limits) {@code volumes} and {@code gigabytes}, and each of {@code perType} of its type
     * ({@code volumes}: 1, {@code gigabytes}: its size).
     */
    static Volume available(VolumeRepository volumes, String project, String typeId, int size, String... perType) {
        Volume v = new Volume(Ids.newId(), project, "u", "v", null, size, VolumeStatus.CREATING, AttachStatus.DETACHED,
                "nova", null, typeId, false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
        Map<String, Long> deltas = new HashMap<>(Map.of("volumes", 1L, "gigabytes", (long) size));
        for (String kind : perType) {
            deltas.put(kind + ":" + typeId, kind.equals("volumes") ? 1L : (long) size);
        }
        Map<String, Integer> unlimited = new HashMap<>();
        deltas.keySet().forEach(k -> unlimited.put(k, -1));
        volumes.create(v, QuotaReservation.of(project, deltas, unlimited));
        assertThat(volumes.place(v.id(), "h@file#pool", "svc")).isTrue();
        assertThat(volumes.markAvailable(v.id())).isTrue();
        return volumes.find(v.id()).orElseThrow();
    }
}
