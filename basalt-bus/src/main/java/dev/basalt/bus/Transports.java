package dev.basalt.bus;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.rabbit.RabbitBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the bus from {@code [DEFAULT] transport_url}: none (unset or blank) is the in-JVM bus of
 * {@code basalt all}; {@code rabbit://…} is RabbitMQ. Anything else, a malformed URL, a broker that
 * cannot be reached or refuses the login fails at once with one line naming the option.
 */
public final class Transports {
    private static final Logger LOG = LoggerFactory.getLogger(Transports.class);

    private Transports() {
    }

    public static Bus open(String transportUrl, BusOptions options) {
        requireNonNull(options, "options");
        if (transportUrl == null || transportUrl.isBlank()) {
            return new InJvmBus(options);
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
        return RabbitBus.open(url, options);
    }
}
