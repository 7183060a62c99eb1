package dev.basalt.bus.rabbit;

import static java.util.Objects.requireNonNull;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryDelayHandler;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
import dev.basalt.bus.BusOptions;
import dev.basalt.bus.TransportUrl;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the one AMQP connection a {@link RabbitBus} uses, to the first broker of the transport URL
 * that answers. The connection reconnects by itself after it is lost (amqp-client's automatic
 * recovery, with exponential backoff up to {@link BusOptions#retryIntervalMax()}), and re-declares
 * the exchanges, queues, bindings and consumers it had (topology recovery); every attempt is logged.
 * Failing to connect at startup is one line naming {@code [DEFAULT] transport_url} and what is wrong.
 */
final class RabbitConnector {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitConnector.class);

    private RabbitConnector() {
    }

    /** Connects, or fails within about {@code connectTimeout} per broker with a {@link BasaltException}. */
    static Connection connect(TransportUrl url, BusOptions options, String connectionName) {
        requireNonNull(url, "url");
        requireNonNull(options, "options");
        requireUniformCredentials(url);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUsername(url.user());
        factory.setPassword(url.password());
        factory.setVirtualHost(url.virtualHost());
        factory.setConnectionTimeout(millis(options.connectTimeout()));
        factory.setHandshakeTimeout(millis(options.connectTimeout()));
        factory.setRequestedHeartbeat((int) Math.max(1, options.heartbeat().toSeconds()));
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        AtomicInteger attempt = new AtomicInteger();
        factory.setRecoveryDelayHandler(new Backoff(options, attempt));
        factory.setExceptionHandler(new LoggingExceptionHandler(url, attempt));
        List<Address> addresses = url.hosts().stream().map(h -> new Address(h.host(), h.port())).toList();
        Connection connection;
        try {
            connection = factory.newConnection(addresses, connectionName);
        } catch (IOException | TimeoutException | RuntimeException e) {
            throw startupFailure(url, options, e);
        }
        connection.addBlockedListener(
                reason -> LOG.warn("RabbitMQ at {} holds back what Basalt publishes: {}", url.addresses(), reason),
                () -> LOG.info("RabbitMQ at {} takes messages again", url.addresses()));
        connection.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                LOG.warn("lost the connection to RabbitMQ at {} ({}); reconnecting", url.addresses(), AmqpFailures.reason(cause));
            }
        });
        ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecoveryStarted(Recoverable recoverable) {
                LOG.info("reconnecting to RabbitMQ at {}", url.addresses());
            }

            @Override
            public void handleRecovery(Recoverable recoverable) {
                LOG.info("reconnected to RabbitMQ at {}; exchanges, queues and consumers declared again",
                        url.addresses());
            }
        });
        LOG.info("connected to RabbitMQ at {} (virtual host {})", url.addresses(), url.virtualHost());
        return connection;
    }

    /** The one-line startup error for {@code failure}, naming the option with the password masked. */
    static BasaltException startupFailure(TransportUrl url, BusOptions options, Throwable failure) {
        return new BasaltException(Fault.SERVICE_UNAVAILABLE,
                TransportUrl.OPTION + " = " + url.masked() + ": " + describe(url, options, failure), failure);
    }

    private static String describe(TransportUrl url, BusOptions options, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationFailureException || t instanceof PossibleAuthenticationFailureException) {
                return "access refused: wrong user or password (user '" + url.user() + "')";
            }
            if (t instanceof ShutdownSignalException signal) {
                String text = AmqpFailures.reason(signal);
                if (AmqpFailures.refusedByBroker(signal)) {
                    return "RabbitMQ refused to set up the exchange (" + text + ")";
                }
                if (text.contains("vhost") || text.contains("NOT_ALLOWED")) {
                    return "virtual host '" + url.virtualHost() + "' does not exist or user '" + url.user()
                            + "' may not use it";
                }
                if (text.contains("ACCESS_REFUSED")) {
                    return "access refused: wrong user or password (user '" + url.user() + "')";
                }
            }
            if (t instanceof UnknownHostException) {
                return "cannot connect to " + url.addresses() + " (unknown host " + t.getMessage() + ")";
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "cannot connect to " + url.addresses() + " (" + t.getMessage() + ")";
            }
            if (t instanceof SocketTimeoutException) {
                return "cannot connect to " + url.addresses() + " (no answer within "
                        + options.connectTimeout().toSeconds() + " s)";
            }
            if (t instanceof TimeoutException) {
                return "no AMQP handshake from " + url.addresses() + " within " + options.connectTimeout().toSeconds()
                        + " s (is it RabbitMQ?)";
            }
        }
        return "cannot connect to " + url.addresses() + " (" + failure + ")";
    }

    /** amqp-client logs in to every address as one user: say so rather than silently using the first. */
    private static void requireUniformCredentials(TransportUrl url) {
        for (TransportUrl.Host host : url.hosts()) {
            if (!host.user().equals(url.user()) || !host.password().equals(url.password())) {
                throw TransportUrl.invalid(url.masked(), "every host must have the same user and password"
                        + " (Basalt logs in to whichever broker answers with one login)");
            }
        }
    }

    private static int millis(java.time.Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    /** Waits 100 ms, then twice as long after each failed attempt, up to the configured maximum. */
    private static final class Backoff implements RecoveryDelayHandler {
        private final long maxMillis;
        private final AtomicInteger attempt;

        Backoff(BusOptions options, AtomicInteger attempt) {
            this.maxMillis = Math.max(100, options.retryIntervalMax().toMillis());
            this.attempt = attempt;
        }

        @Override
        public long getDelay(int recoveryAttempts) {
            attempt.set(recoveryAttempts + 1);
            return Math.min(maxMillis, 100L << Math.min(recoveryAttempts, 20));
        }
    }

    /** Logs what amqp-client reports in one line each, instead of its stack traces. */
    private static final class LoggingExceptionHandler extends ForgivingExceptionHandler {
        private final TransportUrl url;
        private final AtomicInteger attempt;

        LoggingExceptionHandler(TransportUrl url, AtomicInteger attempt) {
            this.url = url;
            this.attempt = attempt;
        }

        @Override
        public void handleConnectionRecoveryException(Connection connection, Throwable exception) {
            LOG.warn("reconnect attempt {} to RabbitMQ at {} failed ({}); trying again", attempt.get(), url.addresses(),
                    exception.getMessage());
        }

        @Override
        public void handleUnexpectedConnectionDriverException(Connection connection, Throwable exception) {
            // the socket closing under a lost connection; the shutdown listener says it once
            LOG.debug("RabbitMQ connection driver: {}", exception.toString());
        }

        @Override
        public void handleTopologyRecoveryException(Connection connection, com.rabbitmq.client.Channel channel,
                com.rabbitmq.client.TopologyRecoveryException exception) {
            LOG.error("could not declare again on RabbitMQ at {}: {}", url.addresses(), exception.toString());
        }

        @Override
        protected void log(String message, Throwable e) {
            LOG.warn("RabbitMQ client: {}: {}", message, e.toString());
        }
    }
}
