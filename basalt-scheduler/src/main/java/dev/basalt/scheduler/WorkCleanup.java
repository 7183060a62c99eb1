package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.ServiceRepository;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.PendingWork;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.Worker;
import dev.basalt.rpc.CleanedService;
import dev.basalt.rpc.CleanupRequest;
import dev.basalt.rpc.CleanupResult;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.VolumeRpc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over the work in flight of services that stopped (Cinder's {@code work_cleanup}, and what a
 * scheduler does every {@code periodic_interval}), so that nothing stays in a transitional status:
 *
 * <ul>
 *   <li>work of a volume service that is down (rows it holds, and rows nobody claimed on its
 *       backend) is failed ({@link WorkFailer});</li>
 *   <li>work of a volume service that is up is cleaned up by that service ({@link VolumeRpc#doCleanup});</li>
 *   <li>work a scheduler (or a service no longer registered) held is handed to the live volume
 *       service of its backend, or failed when there is none;</li>
 *   <li>work nobody claimed for {@code service_down_time} is sent again when its backend's service
 *       is up (or it still awaits placement), failed otherwise ({@link WorkRedriver}).</li>
 * </ul>
 *
 * A service is down when its last heartbeat is older than {@code service_down_time}. Every step
 * claims the row by a conditional update first, so several schedulers doing this at once clean
 * each piece of work once.
 */
final class WorkCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(WorkCleanup.class);

    private final ServiceRepository services;
    private final WorkerRepository workers;
    private final WorkFailer failer;
    private final WorkRedriver redriver;
    private final VolumeRpc volumeServices;
    private final Clock clock;
    private final Duration serviceDownTime;
    private final IntSupplier myServiceId;

    WorkCleanup(ServiceRepository services, WorkerRepository workers, WorkFailer failer, WorkRedriver redriver,
                VolumeRpc volumeServices, Clock clock, Duration serviceDownTime, IntSupplier myServiceId) {
        this.services = requireNonNull(services, "services");
        this.workers = requireNonNull(workers, "workers");
        this.failer = requireNonNull(failer, "failer");
        this.redriver = requireNonNull(redriver, "redriver");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
        this.clock = requireNonNull(clock, "clock");
        this.serviceDownTime = requireNonNull(serviceDownTime, "serviceDownTime");
        this.myServiceId = requireNonNull(myServiceId, "myServiceId");
    }

    /**
     * Cleans up the work of the services {@code request} matches (only those that are down unless
     * it says {@code isUp}, as Cinder's default), within its resource filters and {@code until};
     * says which services are being cleaned up and which could not be.
     */
    CleanupResult clean(CleanupRequest request) {
        Instant now = clock.instant();
        Instant until = request.until() != null ? request.until() : now;
        List<PendingWork> pending = workers.pending();
        Map<String, ServiceRecord> volumeServicesByHost = volumeServicesByHost();
        List<CleanedService> cleaning = new ArrayList<>();
        List<CleanedService> unavailable = new ArrayList<>();
        for (ServiceRecord s : matching(request, now)) {
            CleanedService view = new CleanedService(s.id(), s.host(), s.binary(), null);
            if (VolumeRpc.BINARY.equals(s.binary()) && isUp(s, now)) {
                try {
                    volumeServices.doCleanup(s.host(), withUntil(request, until).forService(s.id()));
                    cleaning.add(view);
                } catch (RuntimeException e) {
                    LOG.warn("cannot ask {} to clean up its work", s.host(), e);
                    unavailable.add(view);
                }
                continue;
            }
            List<PendingWork> theirs = pending.stream()
                    .filter(p -> belongsTo(p, s) && inScope(p.worker(), request, until)).toList();
            LOG.info("cleaning up the work of {} {} ({} piece(s))", s.binary(), s.host(), theirs.size());
            takeOver(theirs, s.id(), volumeServicesByHost, now, until);
            cleaning.add(view);
        }
        return new CleanupResult(cleaning, unavailable);
    }

    /**
     * The periodic look: cleans up the work of services down for {@code service_down_time} (or gone),
     * sends again the work nobody claimed for as long, and forgets rows whose resource moved on.
     */
    void sweep() {
        Instant now = clock.instant();
        Instant old = now.minus(serviceDownTime);
        List<PendingWork> pending = workers.pending();
        if (pending.isEmpty()) {
            return;
        }
        Map<Integer, ServiceRecord> byId = services.list(null, null).stream()
                .collect(Collectors.toMap(ServiceRecord::id, Function.identity(), (a, b) -> a));
        Map<String, ServiceRecord> volumeServicesByHost = volumeServicesByHost();
        Set<String> handedOver = new HashSet<>();
        for (PendingWork p : pending) {
            Worker w = p.worker();
            try {
                if (!p.current()) {
                    if (isOld(w, old)) {
                        workers.remove(w);
                    }
                } else if (w.claimed()) {
                    ServiceRecord owner = byId.get(w.serviceId());
                    if (owner == null || !isUp(owner, now)) {
                        takeOver(p, w.serviceId(), owner, volumeServicesByHost, now, handedOver);
                    }
                } else if (isOld(w, old)) {
                    ServiceRecord backend = p.backend() == null ? null : volumeServicesByHost.get(p.backend());
                    if (p.backend() == null || backend != null && isUp(backend, now)) {
                        redriver.redrive(p);
                    } else {
                        failer.fail(p, myServiceId.getAsInt(), downReason(p.backend()));
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("cannot clean up {} {}", w.resourceType().typeName(), w.resourceId(), e);
            }
        }
    }

    /** Takes over the work of service {@code ownerId} (a scheduler's, or a down volume service's). */
    private void takeOver(List<PendingWork> work, int ownerId, Map<String, ServiceRecord> volumeServicesByHost,
                          Instant now, Instant until) {
        ServiceRecord owner = services.find(ownerId).orElse(null);
        Set<String> handedOver = new HashSet<>();
        for (PendingWork p : work) {
            try {
                if (p.worker().claimed()) {
                    takeOver(p, ownerId, owner, volumeServicesByHost, now, handedOver);
                } else if (p.current()) {
                    failer.fail(p, myServiceId.getAsInt(), downReason(p.backend()));
                } else {
                    workers.remove(p.worker());
                }
            } catch (RuntimeException e) {
                LOG.error("cannot clean up {} {}", p.worker().resourceType().typeName(), p.worker().resourceId(), e);
            }
        }
    }

    /**
     * One piece of work held by {@code owner} (down, or a scheduler, or gone: null): the live volume
     * service of its backend cleans it up (asked once per owner), else it is failed.
     */
    private void takeOver(PendingWork p, int ownerId, ServiceRecord owner,
                          Map<String, ServiceRecord> volumeServicesByHost, Instant now, Set<String> handedOver) {
        if (!p.current()) {
            workers.remove(p.worker());
            return;
        }
        ServiceRecord backend = p.backend() == null ? null : volumeServicesByHost.get(p.backend());
        boolean ownerIsTheBackend = owner != null && backend != null && owner.id() == backend.id();
        if (backend != null && !ownerIsTheBackend && isUp(backend, now)) {
            if (handedOver.add(backend.host() + "/" + ownerId)) {
                LOG.info("asking {} to clean up the work service {} left on it", backend.host(), ownerId);
                volumeServices.doCleanup(backend.host(), new CleanupRequest(ownerId, null, null, null, null, null,
                        null, null, now));
            }
            return;
        }
        failer.fail(p, myServiceId.getAsInt(), downReason(p.backend()));
    }

    /** The services the request matches, with Cinder's filters ({@code isUp} false when not given). */
    private List<ServiceRecord> matching(CleanupRequest request, Instant now) {
        boolean up = Boolean.TRUE.equals(request.isUp());
        return services.list(null, null).stream()
                .filter(s -> VolumeRpc.BINARY.equals(s.binary()) || SchedulerRpc.BINARY.equals(s.binary()))
                .filter(s -> request.serviceId() == null || request.serviceId() == s.id())
                .filter(s -> request.clusterName() == null)
                .filter(s -> request.host() == null || hostMatches(s.host(), request.host()))
                .filter(s -> request.binary() == null || request.binary().equals(s.binary()))
                .filter(s -> request.disabled() == null || request.disabled() == s.disabled())
                .filter(s -> isUp(s, now) == up)
                .toList();
    }

    /** Cinder's host match: the host itself, or its backends and pools. */
    private static boolean hostMatches(String serviceHost, String filter) {
        return serviceHost.equals(filter) || serviceHost.startsWith(filter + "@") || serviceHost.startsWith(filter + "#");
    }

    /** Work the service holds, or (a volume service) work nobody claimed on its backend. */
    private static boolean belongsTo(PendingWork p, ServiceRecord s) {
        Integer owner = p.worker().serviceId();
        return owner != null ? owner == s.id()
                : VolumeRpc.BINARY.equals(s.binary()) && s.host().equals(p.backend());
    }

    private static boolean inScope(Worker w, CleanupRequest request, Instant until) {
        return (request.resourceType() == null || request.resourceType().equals(w.resourceType().typeName()))
                && (request.resourceId() == null || request.resourceId().equals(w.resourceId()))
                && (w.updatedAt() == null || !w.updatedAt().isAfter(until));
    }

    private Map<String, ServiceRecord> volumeServicesByHost() {
        return services.list(null, VolumeRpc.BINARY).stream()
                .collect(Collectors.toMap(ServiceRecord::host, Function.identity(), (a, b) -> a));
    }

    private static boolean isOld(Worker w, Instant old) {
        return w.updatedAt() == null || !w.updatedAt().isAfter(old);
    }

    private boolean isUp(ServiceRecord s, Instant now) {
        return s.isUp(now, serviceDownTime);
    }

    private String downReason(String backend) {
        return backend == null ? "the work was left unfinished by a service that stopped"
                : "the volume service of " + backend + " stopped (no heartbeat for " + serviceDownTime.toSeconds()
                + " s) while doing this work";
    }

    private static CleanupRequest withUntil(CleanupRequest r, Instant until) {
        return new CleanupRequest(r.serviceId(), r.clusterName(), r.host(), r.binary(), r.isUp(), r.disabled(),
                r.resourceId(), r.resourceType(), until);
    }
}
