package dev.basalt.bus;

/** The in-JVM transport passes the transport contract; its buses in one test share one set of queues. */
class InJvmBusTest extends BusTransportContract {
    private InJvmBus first;

    @Override
    protected Bus openBus(BusOptions options) {
        if (first == null) {
            first = new InJvmBus(options);
            return first;
        }
        return first.sibling(options);
    }
}
