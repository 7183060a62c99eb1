package dev.basalt.iscsi.session;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * Where a target's sessions count the SCSI data they carry: {@code read}, the payload of the Data-In
 * PDUs sent to initiators, and {@code written}, the payload of the Data-Out PDUs and immediate data
 * received from them. Each is counted once per PDU or buffer (an adder, no allocation), so counting
 * costs nothing that matters on the I/O path.
 */
public record DataCounters(Counter read, Counter written) {
    private static final DataCounters NONE = new DataCounters(
            Counter.builder("none.read").register(new CompositeMeterRegistry()),
            Counter.builder("none.written").register(new CompositeMeterRegistry()));

    public DataCounters {
        requireNonNull(read, "read");
        requireNonNull(written, "written");
    }

    /** Counters that count nothing. */
    public static DataCounters none() {
        return NONE;
    }
}
