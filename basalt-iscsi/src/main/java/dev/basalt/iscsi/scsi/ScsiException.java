package dev.basalt.iscsi.scsi;

import static java.util.Objects.requireNonNull;

/** A command ends in CHECK CONDITION with this sense. Thrown without a stack trace: it is a result, not a bug. */
public final class ScsiException extends Exception {
    private final transient Sense sense;

    public ScsiException(Sense sense) {
        super(String.format("sense key %x ASC/ASCQ %02x/%02x", sense.key(), sense.asc(), sense.ascq()), null, false, false);
        this.sense = requireNonNull(sense, "sense");
    }

    public Sense sense() {
        return sense;
    }
}
