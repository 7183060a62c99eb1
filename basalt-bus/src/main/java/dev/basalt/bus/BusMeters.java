package dev.basalt.bus;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a bus counts, the same on every transport (Prometheus names):
 * <ul>
 *   <li>{@code basalt_bus_messages_sent_total{method, kind}}: messages sent, {@code kind} being
 *       {@code cast}, {@code call} or {@code fanout};</li>
 *   <li>{@code basalt_bus_messages_handled_seconds{method, outcome}}: messages a server's handler ran
 *       ({@code ok} or {@code failed}) and how long it took;</li>
 *   <li>{@code basalt_bus_calls_timed_out_total{method}}: calls whose reply did not come in time;</li>
 *   <li>{@code basalt_bus_messages_redelivered_total{method}}: messages handed to a server again after an
 *       earlier delivery was not acknowledged (RabbitMQ's redeliver flag; the in-JVM bus's requeues).</li>
 * </ul>
 * {@code method} is a method of Basalt's RPC contract; a received message naming a method its server
 * does not answer (or that cannot be decoded) counts as {@code unknown}, so what arrives from outside
 * cannot grow the number of series.
 */
public final class BusMeters {
    /** How a message was sent. */
    public enum Kind {
        CAST, CALL, FANOUT;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    static final String UNKNOWN_METHOD = "unknown";

    private final Meter.MeterProvider<Counter> sent;
    private final Meter.MeterProvider<Timer> handled;
    private final Meter.MeterProvider<Counter> timedOut;
    private final Meter.MeterProvider<Counter> redelivered;

    public BusMeters(MeterRegistry registry) {
        requireNonNull(registry, "registry");
        this.sent = Counter.builder("basalt.bus.messages.sent")
                .description("Messages sent on the bus, by method and kind (cast, call, fanout)")
                .withRegistry(registry);
        this.handled = Timer.builder("basalt.bus.messages.handled")
                .description("Messages whose handler ran, by method and outcome (ok, failed), with its duration")
                .withRegistry(registry);
        this.timedOut = Counter.builder("basalt.bus.calls.timed.out")
                .description("Calls on the bus whose reply did not come within their timeout, by method")
                .withRegistry(registry);
        this.redelivered = Counter.builder("basalt.bus.messages.redelivered")
                .description("Messages delivered again after an unacknowledged delivery, by method")
                .withRegistry(registry);
    }

    /** Meters that record nothing, for buses built without a registry. */
    public static BusMeters none() {
        return new BusMeters(new CompositeMeterRegistry());
    }

    /** A message left for its queue or exchange. */
    public void sent(RpcMethod<?, ?> method, Kind kind) {
        sent.withTags("method", method.name(), "kind", kind.tag).increment();
    }

    /** A call's reply did not come in time. */
    public void timedOut(RpcMethod<?, ?> method) {
        timedOut.withTags("method", method.name()).increment();
    }

    void handled(String method, boolean ok, long nanos) {
        handled.withTags("method", method, "outcome", ok ? "ok" : "failed").record(nanos, TimeUnit.NANOSECONDS);
    }

    void redelivered(String method) {
        redelivered.withTags("method", method).increment();
    }
}
