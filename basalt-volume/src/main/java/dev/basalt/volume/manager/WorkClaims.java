package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.WorkerRepository;
import dev.basalt.model.CleanableResource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims work in flight for this volume service before it does it (Cinder's {@code set_worker}): the
 * workers row of the resource becomes this service's, so that if the service stops, its restart, a
 * peer or {@code POST /workers/cleanup} knows whose the work was. Work another service holds (a
 * scheduler cleaning it up) is left to it; work no row records (begun before rows were kept) is
 * done all the same. The same work is done once at a time in this process, however many times its
 * message arrives.
 */
final class WorkClaims {
    private static final Logger LOG = LoggerFactory.getLogger(WorkClaims.class);

    private final WorkerRepository workers;
    private final IntSupplier serviceId;
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();

    /** {@code serviceId}: this service's number, known once it has registered. */
    WorkClaims(WorkerRepository workers, IntSupplier serviceId) {
        this.workers = requireNonNull(workers, "workers");
        this.serviceId = requireNonNull(serviceId, "serviceId");
    }

    /**
     * Claims the work on the resource in {@code status} and runs {@code work}, unless another
     * service holds it or it is already running here; true if it ran.
     */
    boolean perform(CleanableResource type, String resourceId, String status, Runnable work) {
        String key = type.typeName() + ":" + resourceId + ":" + status;
        if (!inProgress.add(key)) {
            LOG.info("{} {} is already {} here", type.typeName(), resourceId, status);
            return false;
        }
        try {
            if (workers.claim(type, resourceId, status, serviceId.getAsInt()) == WorkerRepository.Claim.TAKEN) {
                LOG.info("not working on {} {} ({}): another service is cleaning it up", type.typeName(), resourceId,
                        status);
                return false;
            }
            work.run();
            return true;
        } finally {
            inProgress.remove(key);
        }
    }

    /**
     * As {@link #perform}, for work on several resources done together (a group snapshot's
     * members, named {@code name} in the log): claims every row first and runs {@code work} only if
     * no other service holds one of them.
     */
    boolean performAll(CleanableResource type, String name, List<String> resourceIds, String status, Runnable work) {
        String key = type.typeName() + ":" + name + ":" + status;
        if (!inProgress.add(key)) {
            LOG.info("{} is already {} here", name, status);
            return false;
        }
        try {
            for (String id : resourceIds) {
                if (workers.claim(type, id, status, serviceId.getAsInt()) == WorkerRepository.Claim.TAKEN) {
                    LOG.info("not working on {} ({}): another service is cleaning up {} {}", name, status,
                            type.typeName(), id);
                    return false;
                }
            }
            work.run();
            return true;
        } finally {
            inProgress.remove(key);
        }
    }
}
