package dev.basalt.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.BasaltException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TransportsTest {

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   "})
    void noTransportUrlIsTheInJvmBus(String transportUrl) {
        try (Bus bus = Transports.open(transportUrl, BusOptions.defaults())) {
            assertThat(bus).isInstanceOf(InJvmBus.class);
        }
    }

    @Test
    void anotherSchemeIsRefusedByName() {
        assertThatThrownBy(() -> Transports.open("kafka://u:secret@broker:9092", BusOptions.defaults()))
                .isInstanceOf(BasaltException.class)
                .hasMessage("[DEFAULT] transport_url = kafka://u:***@broker:9092: unsupported transport 'kafka':"
                        + " Basalt speaks rabbit:// (leave transport_url unset for the in-process bus)");
    }
}
