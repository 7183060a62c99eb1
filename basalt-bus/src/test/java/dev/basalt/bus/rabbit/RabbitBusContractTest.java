package dev.basalt.bus.rabbit;

import dev.basalt.bus.Bus;
import dev.basalt.bus.BusOptions;
import dev.basalt.bus.BusTransportContract;
import dev.basalt.bus.Transports;
import dev.basalt.testkit.RabbitServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;

/** The RabbitMQ transport passes the transport contract against a real broker; each bus is a connection of its own. */
class RabbitBusContractTest extends BusTransportContract {
    private static RabbitServer broker;

    @BeforeAll
    static void broker() {
        broker = RabbitServer.shared();
    }

    @Override
    protected Bus openBus(BusOptions options, MeterRegistry registry) {
        return Transports.open(broker.transportUrl(), options, registry);
    }
}
