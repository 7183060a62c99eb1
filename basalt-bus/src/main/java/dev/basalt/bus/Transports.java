package dev.basalt.bus;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.rabbit.RabbitBus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the bus from {@code [DEFAULT] transport_url}: none (unset or blank) is the in-JVM bus of
 * {@code basalt all}; {@code rabbit://…} is RabbitMQ. Anything else, a malformed URL, a broker that
 * cannot be reached or refuses the login fails at once with one line naming the option. The bus
 * counts its messages in the registry it is given (see {@link BusMeters}).
 */
public final class Transports {
    private static final Logger LOG = LoggerFactory.getLogger(Transports.class);

    private Transports() {
    }

    /** The bus of {@code transportUrl}, counting nothing. */
    public static Bus open(String transportUrl, BusOptions options) {
        return open(transportUrl, options, new CompositeMeterRegistry());
    }

    /** The bus of {@code transportUrl}, counting its messages in {@code registry}. */
    public static Bus open(String transportUrl, BusOptions options, MeterRegistry registry) {
        requireNonNull(options, "options");
        requireNonNull(registry, "registry");
        if (transportUrl == null || transportUrl.isBlank()) {
            return new InJvmBus(options, registry);
        }
        TransportUrl url = TransportUrl.parse(transportUrl);
        if (!url.scheme().equals("rabbit")) {
            throw TransportUrl.invalid(transportUrl, "unsupported transport '" + url.scheme()
                    + "': Basalt speaks rabbit:// (leave transport_url unset for the in-process bus)");
        }
        if (!url.query().isEmpty()) {
            LOG.warn("{}: options {} ignored (Basalt reads none of the URL's options)", TransportUrl.OPTION,
                    url.query().keySet());
        }
        return RabbitBus.open(url, options, registry);
    }
}
