package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.Volume;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.ImageSource;
import java.util.Optional;

/**
 * A {@link NewVolume} checked and resolved by {@link VolumeService#plan}: the row to write (status
 * {@code creating}, unplaced), its volume type and, for a volume made from a snapshot or another
 * volume, its source, or the image it is made from. Nothing is written or reserved yet.
 */
public final class VolumePlan {
    private final Volume row;
    private final VolumeType type;
    private final Optional<VolumeSources.Source> source;
    private final ImageSource image;

    VolumePlan(Volume row, VolumeType type, Optional<VolumeSources.Source> source, ImageSource image) {
        this.image = image;
        this.row = requireNonNull(row, "row");
        this.type = requireNonNull(type, "type");
        this.source = requireNonNull(source, "source");
    }

    /** The row {@link VolumeService#create} writes. */
    public Volume row() {
        return row;
    }

    public VolumeType type() {
        return type;
    }

    /** Whether the volume's type makes it multiattach (policy {@code volume:multiattach} applies). */
    public boolean multiattach() {
        return row.multiattach();
    }

    Optional<VolumeSources.Source> source() {
        return source;
    }

    /** The checked image the volume is made from; null when it is not. */
    ImageSource image() {
        return image;
    }
}
