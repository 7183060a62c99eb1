package dev.basalt.driver.rbd;

import dev.basalt.driver.VolumeDriverException;
import dev.basalt.rbd.CephException;
import dev.basalt.rbd.CephNotFoundException;
import dev.basalt.rbd.Errno;
import dev.basalt.rbd.RadosCluster;
import dev.basalt.rbd.RbdPool;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's connection to its cluster and pool. Connects on {@link #connect()} (at start) and again
 * on the next call after the cluster stopped answering, so a cluster that comes back is used again
 * without restarting the service. Every failure becomes a {@link VolumeDriverException} saying what to
 * fix.
 */
final class CephConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CephConnection.class);
    /** Errors after which the connection is dropped and made again on the next call. */
    private static final Set<Integer> CONNECTION_LOST = Set.of(Errno.ETIMEDOUT, Errno.ESHUTDOWN, 107 /* ENOTCONN */,
            Errno.ECONNREFUSED);

    private final RbdDriverSettings settings;
    private RadosCluster cluster;
    private RbdPool pool;

    CephConnection(RbdDriverSettings settings) {
        this.settings = settings;
    }

    /** What a call does with the pool. */
    @FunctionalInterface
    interface PoolCall<T> {
        T apply(RbdPool pool) throws CephException;
    }

    /** What a call does with the cluster and pool. */
    @FunctionalInterface
    interface ClusterCall<T> {
        T apply(RadosCluster cluster, RbdPool pool) throws CephException;
    }

    /**
     * Connects (again) and opens the pool. A failed connection is tried again, up to
     * {@code rados_connection_retries} attempts in all, waiting {@code rados_connection_interval}, then
     * twice that, and so on, as Cinder's driver does; a wrong key or a missing file fails at once.
     */
    synchronized void connect() {
        close();
        RadosCluster connected = connectTrying();
        try {
            pool = CephThreads.run(() -> connected.openPool(settings.pool()));
            cluster = connected;
        } catch (CephNotFoundException e) {
            CephThreads.runUnchecked(connected::close);
            throw new VolumeDriverException("Ceph cluster " + settings.clusterName() + " has no pool " + settings.pool()
                    + " (rbd_pool): create it (ceph osd pool create " + settings.pool() + "; rbd pool init "
                    + settings.pool() + ") or set rbd_pool to an existing pool", e);
        } catch (CephException e) {
            CephThreads.runUnchecked(connected::close);
            throw new VolumeDriverException("cannot open pool " + settings.pool() + " as " + settings.clientName()
                    + ": " + e.getMessage() + " (check the user's caps: osd 'profile rbd pool=" + settings.pool() + "')", e);
        }
    }

    /** Runs {@code call} on the pool; {@code what} names the operation for the message of a failure. */
    <T> T call(String what, PoolCall<T> call) {
        return withCluster(what, (cluster, pool) -> call.apply(pool));
    }

    /** Runs {@code call} on the cluster and pool; as {@link #call}. */
    <T> T withCluster(String what, ClusterCall<T> call) {
        RadosCluster currentCluster;
        RbdPool currentPool;
        synchronized (this) {
            if (pool == null) {
                connect();
            }
            currentCluster = cluster;
            currentPool = pool;
        }
        try {
            return CephThreads.run(() -> call.apply(currentCluster, currentPool));
        } catch (CephException e) {
            if (CONNECTION_LOST.contains(e.errno())) {
                dropIfCurrent(currentPool);
                throw new VolumeDriverException(what + ": Ceph cluster " + settings.clusterName()
                        + " did not answer" + timeoutText() + " (" + e.getMessage() + "); are its monitors and OSDs up"
                        + " and reachable (mon_host in " + settings.confFile() + ")?", e);
            }
            throw translate(what, e);
        } catch (IllegalStateException e) {
            // the connection was closed under the call (a reconnect by another thread): try once more
            synchronized (this) {
                if (pool == currentPool) {
                    throw e;
                }
            }
            return withCluster(what, call);
        }
    }

    /** The {@link VolumeDriverException} for a failed call other than a lost connection. */
    VolumeDriverException translate(String what, CephException e) {
        String hint = switch (e.errno()) {
            case Errno.EACCES, Errno.EPERM -> "; the user " + settings.clientName() + " lacks the caps for it"
                    + " (mon 'profile rbd', osd 'profile rbd pool=" + settings.pool() + "')";
            case Errno.EDQUOT -> "; the pool " + settings.pool() + " is at its quota (ceph osd pool get-quota "
                    + settings.pool() + ")";
            case Errno.ENOSPC -> "; the cluster is full";
            default -> "";
        };
        return new VolumeDriverException(what + ": " + e.getMessage() + hint, e);
    }

    /** A connection to the cluster, tried up to {@code rados_connection_retries} times. */
    private RadosCluster connectTrying() {
        for (int attempt = 1; ; attempt++) {
            try {
                return CephThreads.run(() -> RadosCluster.connect(settings.rados()));
            } catch (CephException e) {
                if (attempt >= settings.connectionAttempts() || !worthRetrying(e)) {
                    String attempts = attempt > 1 ? " (" + attempt + " attempts, rados_connection_retries)" : "";
                    throw new VolumeDriverException(connectProblem(e) + attempts, e);
                }
                Duration wait = settings.waitBeforeAttempt(attempt + 1);
                LOG.warn("connecting to Ceph cluster {} failed (attempt {} of {}): {}; trying again in {} s",
                        settings.clusterName(), attempt, settings.connectionAttempts(), e.getMessage(), wait.toSeconds());
                sleep(wait);
            }
        }
    }

    /** Whether a failed connection may succeed when tried again (not a refused key, not a missing file). */
    private static boolean worthRetrying(CephException e) {
        return e.errno() != Errno.EACCES && e.errno() != Errno.EPERM && e.errno() != Errno.ENOENT;
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeDriverException("interrupted while waiting to connect to Ceph again", e);
        }
    }

    private String connectProblem(CephException e) {
        String who = settings.clientName() + "@" + settings.clusterName() + " (rbd_ceph_conf " + settings.confFile()
                + settings.keyring().map(k -> ", rbd_keyring_conf " + k).orElse("") + ")";
        return switch (e.errno()) {
            case Errno.ETIMEDOUT -> "cannot connect to Ceph as " + who + ": no monitor answered" + timeoutText()
                    + "; check that the cluster is up and that mon_host in " + settings.confFile() + " is right";
            case Errno.EACCES, Errno.EPERM -> "Ceph refused " + who + ": wrong key or unknown user; check rbd_user and"
                    + " its keyring (ceph auth get " + settings.clientName() + ")";
            case Errno.ENOENT -> "cannot connect to Ceph as " + who + ": a file is missing (" + e.getMessage()
                    + "); check rbd_ceph_conf and the keyring";
            default -> "cannot connect to Ceph as " + who + ": " + e.getMessage();
        };
    }

    private String timeoutText() {
        return settings.connectTimeout().map(t -> " within " + t.toSeconds() + " s (rados_connect_timeout)").orElse("");
    }

    private synchronized void dropIfCurrent(RbdPool failed) {
        if (pool == failed) {
            LOG.warn("Ceph cluster {} stopped answering: connecting again on the next operation", settings.clusterName());
            close();
        }
    }

    /** Closes the pool and the connection; the next call connects again. */
    @Override
    public synchronized void close() {
        if (cluster != null) {
            CephThreads.runUnchecked(cluster::close);
        }
        cluster = null;
        pool = null;
    }
}
