package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.PoolCapacity;
import dev.basalt.rpc.CapacityReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scheduler knows of the backends (Cinder's host manager): the latest capacity of each
 * pool, from the reports volume services send, plus what this scheduler placed since.
 *
 * <ul>
 *   <li>A report older than the backend's last one is ignored. A backend's report replaces all its
 *       pools; pools it no longer reports are forgotten.</li>
 *   <li>Placing a volume consumes capacity at once ({@code provisioned += size}, and
 *       {@code free -= size} when the volume is thick there), so a burst of requests spreads
 *       before the next report arrives. A pool keeps that local figure until a report made after
 *       the placement replaces it.</li>
 *   <li>A backend that has not reported for longer than the stale limit (by this scheduler's clock,
 *       so clock skew between machines does not matter) is no candidate until it reports again.</li>
 * </ul>
 * Choosing and consuming happen under one lock, so concurrent placements never both take the
 * last room in a pool.
 */
public final class BackendRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(BackendRegistry.class);

    private final Clock clock;
    private final Duration staleAfter;
    private final Map<String, BackendState> backends = new HashMap<>();
    private long sequence;

    private static final class BackendState {
        String serviceUuid;
        Instant reportedAt;
        Instant receivedAt;
        Map<String, PoolState> pools = new HashMap<>();
    }

    private static final class PoolState {
        PoolCapacity capacity;
        Instant consumedAt;
        final long reportSequence;

        PoolState(PoolCapacity capacity, long reportSequence) {
            this.capacity = capacity;
            this.reportSequence = reportSequence;
        }
    }

    public BackendRegistry(Clock clock, Duration staleAfter) {
        this.clock = requireNonNull(clock, "clock");
        this.staleAfter = requireNonNull(staleAfter, "staleAfter");
    }

    /** Takes a backend's report in; false when it was older than what the registry has. */
    public synchronized boolean update(CapacityReport report) {
        requireNonNull(report, "report");
        Instant now = clock.instant();
        Instant stamp = report.pools().stream().map(PoolCapacity::reportedAt).filter(t -> t != null)
                .max(Comparator.naturalOrder()).orElse(now);
        BackendState backend = backends.computeIfAbsent(report.backend(), b -> new BackendState());
        if (backend.reportedAt != null && stamp.isBefore(backend.reportedAt)) {
            LOG.debug("ignoring a capacity report from {} made at {}, older than the one of {}",
                    report.backend(), stamp, backend.reportedAt);
            return false;
        }
        backend.serviceUuid = report.serviceUuid();
        backend.reportedAt = stamp;
        backend.receivedAt = now;
        Map<String, PoolState> pools = new HashMap<>();
        for (PoolCapacity reported : report.pools()) {
            if (!report.backend().equals(reported.backend())) {
                LOG.warn("capacity report from {} names pool {} of another backend; ignoring that pool",
                        report.backend(), reported.location());
                continue;
            }
            PoolCapacity pool = reported.reportedAt() != null ? reported : withReportedAt(reported, stamp);
            PoolState old = backend.pools.get(pool.pool());
            if (old != null && old.consumedAt != null && old.consumedAt.isAfter(pool.reportedAt())) {
                // Made before our latest placement there: it may not count that volume yet.
                pools.put(pool.pool(), old);
            } else {
                pools.put(pool.pool(), new PoolState(pool, ++sequence));
            }
        }
        backend.pools = pools;
        return true;
    }

    /** The pools of backends that reported recently, with what was placed since counted in. */
    public synchronized List<PoolCapacity> pools() {
        Instant now = clock.instant();
        List<PoolCapacity> fresh = new ArrayList<>();
        backends.forEach((name, backend) -> {
            if (isFresh(backend, now)) {
                backend.pools.values().forEach(p -> fresh.add(p.capacity));
            }
        });
        fresh.sort(Comparator.comparing(PoolCapacity::location));
        return fresh;
    }

    /** The backends ({@code host@backend}) that reported recently. */
    public synchronized Set<String> reportedBackends() {
        Instant now = clock.instant();
        Set<String> fresh = new HashSet<>();
        backends.forEach((name, backend) -> {
            if (isFresh(backend, now)) {
                fresh.add(name);
            }
        });
        return fresh;
    }

    /**
     * Chooses the best pool for the request among fresh pools of allowed backends, and consumes
     * the volume's size there.
     */
    public synchronized Placement claim(RequestSpec request, FilterScheduler scheduler,
                                        Predicate<String> backendAllowed) throws NoValidBackendException {
        return claim(request, scheduler, backendAllowed, pool -> true);
    }

    /**
     * As {@link #claim(RequestSpec, FilterScheduler, Predicate)}, among the pools {@code poolAllowed}
     * accepts (a volume made from a snapshot or another volume goes to its source's pool).
     */
    public synchronized Placement claim(RequestSpec request, FilterScheduler scheduler,
                                        Predicate<String> backendAllowed, Predicate<PoolCapacity> poolAllowed)
            throws NoValidBackendException {
        Instant now = clock.instant();
        List<PoolCapacity> candidates = new ArrayList<>();
        backends.forEach((name, backend) -> {
            if (isFresh(backend, now) && backendAllowed.test(name)) {
                backend.pools.values().stream().map(p -> p.capacity).filter(poolAllowed).forEach(candidates::add);
            }
        });
        FilterScheduler.Ranking ranking = scheduler.rank(candidates, request);
        if (ranking.isEmpty()) {
            throw new NoValidBackendException(ranking.whyEmpty());
        }
        PoolCapacity chosen = ranking.ranked().get(0).pool();
        BackendState backend = backends.get(chosen.backend());
        PoolState pool = backend.pools.get(chosen.pool());
        boolean thick = !(request.wantsThin() && chosen.thinProvisioningSupport());
        pool.capacity = charge(chosen, request.sizeGib(), thick);
        pool.consumedAt = now;
        return new Placement(chosen, backend.serviceUuid, request.sizeGib(), thick, pool.reportSequence);
    }

    /**
     * Gives back what {@link #claim} consumed, when the volume did not go there after all. Does
     * nothing once a newer report has replaced the pool's figures.
     */
    public synchronized void release(Placement placement) {
        BackendState backend = backends.get(placement.pool().backend());
        PoolState pool = backend == null ? null : backend.pools.get(placement.pool().pool());
        if (pool == null || pool.reportSequence != placement.reportSequence()) {
            return;
        }
        pool.capacity = charge(pool.capacity, -placement.sizeGib(), placement.thick());
    }

    private boolean isFresh(BackendState backend, Instant now) {
        return backend.receivedAt != null && !backend.receivedAt.plus(staleAfter).isBefore(now);
    }

    private static PoolCapacity charge(PoolCapacity p, int sizeGib, boolean thick) {
        double free = p.freeCapacityGb();
        if (thick && CapacityFactors.isKnown(free)) {
            free -= sizeGib;
        }
        return new PoolCapacity(p.backend(), p.pool(), p.volumeBackendName(), p.availabilityZone(),
                p.totalCapacityGb(), free, p.provisionedCapacityGb() + sizeGib, p.maxOverSubscriptionRatio(),
                p.reservedPercentage(), p.thinProvisioningSupport(), p.thickProvisioningSupport(),
                p.capabilities(), p.reportedAt());
    }

    private static PoolCapacity withReportedAt(PoolCapacity p, Instant at) {
        return new PoolCapacity(p.backend(), p.pool(), p.volumeBackendName(), p.availabilityZone(),
                p.totalCapacityGb(), p.freeCapacityGb(), p.provisionedCapacityGb(), p.maxOverSubscriptionRatio(),
                p.reservedPercentage(), p.thinProvisioningSupport(), p.thickProvisioningSupport(),
                p.capabilities(), at);
    }
}
