package dev.basalt.bus;

/** The in-JVM transport passes the transport contract; its buses in one test share one set of queues. */
class InJvmBusTest extends BusTransportContract {
    private InJvmBus first;

    @Override
    protected Bus openBus(int handlersPerServer) {
        if (first == null) {
            first = new InJvmBus(handlersPerServer);
            return first;
        }
        return first.sibling(handlersPerServer);
    }
}
