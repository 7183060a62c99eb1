package dev.basalt.bus;

import io.micrometer.core.instrument.MeterRegistry;

/** The in-JVM transport passes the transport contract; its buses in one test share one set of queues. */
class InJvmBusTest extends BusTransportContract {
    private InJvmBus first;

    @Override
    protected Bus openBus(BusOptions options, MeterRegistry registry) {
        if (first == null) {
            first = new InJvmBus(options, registry);
            return first;
        }
        return first.sibling(options);
    }
}
