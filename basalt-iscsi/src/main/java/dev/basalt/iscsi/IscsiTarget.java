package dev.basalt.iscsi;

import static java.util.Objects.requireNonNull;

import dev.basalt.iscsi.login.LoginResult;
import dev.basalt.iscsi.scsi.CommandSet;
import dev.basalt.iscsi.scsi.IoThrottle;
import dev.basalt.iscsi.scsi.LogicalUnit;
import dev.basalt.iscsi.scsi.LunTable;
import dev.basalt.iscsi.session.Connection;
import dev.basalt.iscsi.session.DataCounters;
import dev.basalt.iscsi.session.SessionHost;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An iSCSI target (RFC 7143) serving raw files as SCSI disks. One thread per connection (at most
 * {@link TargetConfig#maxConnections()}); exports are added and removed while it runs.
 *
 * <p>Given a registry, it measures itself there, labelled with its {@code portal} (host:port):
 * {@code basalt_iscsi_sessions} (normal sessions logged in now), {@code basalt_iscsi_read_bytes_total}
 * (Data-In payload sent) and {@code basalt_iscsi_written_bytes_total} (Data-Out and immediate data
 * received).
 *
 * <pre>{@code
 * try (IscsiTarget target = new IscsiTarget(TargetConfig.defaults().withAddress("127.0.0.1", 3260))) {
 *     target.start();
 *     target.addExport(Export.of("iqn.2010-10.org.openstack:volume-1",
 *             List.of(Lun.readWrite(0, Path.of("/var/lib/basalt/volume-1"), "volume-1")))
 *         .withChap("user", "secret-of-16-chars"));
 *     ConnectionInfo info = target.connectionInfo("iqn.2010-10.org.openstack:volume-1", 0);
 *     ...
 *     target.removeExport("iqn.2010-10.org.openstack:volume-1");   // closes its sessions
 * }
 * }</pre>
 */
public final class IscsiTarget implements AutoCloseable, SessionHost {
    private static final Logger LOG = LoggerFactory.getLogger(IscsiTarget.class);
    private static final Duration DRAIN = Duration.ofSeconds(10);

    /** An export and the open units that serve it. */
    private static final class Entry {
        final Export export;
        final LunTable units;
        final Set<Connection> sessions = ConcurrentHashMap.newKeySet();
        boolean removed;

        Entry(Export export, LunTable units) {
            this.export = export;
            this.units = units;
        }
    }

    private final TargetConfig config;
    private final MeterRegistry registry;
    private volatile DataCounters dataCounters = DataCounters.none();
    private Gauge sessionGauge;
    private final CommandSet commands = new CommandSet();
    private final Map<String, Entry> exports = new ConcurrentHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Connection> sessionsByTsih = new ConcurrentHashMap<>();
    private final AtomicLong connectionCount = new AtomicLong();
    private ServerSocketChannel server;
    private Thread acceptor;
    private ScheduledExecutorService timer;
    private int nextTsih = 1;
    private volatile boolean running;

    /** A target that measures nothing. */
    public IscsiTarget(TargetConfig config) {
        this(config, new CompositeMeterRegistry());
    }

    /** A target that measures its sessions and data in {@code registry} once started. */
    public IscsiTarget(TargetConfig config, MeterRegistry registry) {
        this.config = requireNonNull(config, "config");
        this.registry = requireNonNull(registry, "registry");
    }

    public TargetConfig config() {
        return config;
    }

    /** Binds the listening socket and starts accepting connections. */
    public synchronized void start() throws IOException {
        if (running) {
            throw new IllegalStateException("already started");
        }
        ServerSocketChannel socket = ServerSocketChannel.open();
        try {
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            socket.bind(new InetSocketAddress(config.host(), config.port()), 256);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        server = socket;
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("iscsi-login-timer").factory());
        deadlines.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);   // stopping drops pending deadlines
        timer = deadlines;
        registerMeters();
        running = true;
        acceptor = Thread.ofVirtual().name("iscsi-accept").start(this::acceptLoop);
        LOG.info("iSCSI target listening on {}", address());
    }

    /** The meters of this target, labelled with the portal it listens on, now that it is bound. */
    private void registerMeters() {
        String portal = config.host() + ":" + address().getPort();
        sessionGauge = Gauge.builder("basalt.iscsi.sessions", this, IscsiTarget::openSessions)
                .description("iSCSI sessions logged in to an export now (discovery sessions not counted)")
                .tag("portal", portal).register(registry);
        dataCounters = new DataCounters(
                Counter.builder("basalt.iscsi.read").baseUnit("bytes").tag("portal", portal)
                        .description("SCSI data sent to initiators (Data-In payload)").register(registry),
                Counter.builder("basalt.iscsi.written").baseUnit("bytes").tag("portal", portal)
                        .description("SCSI data received from initiators (Data-Out payload and immediate data)")
                        .register(registry));
    }

    /** Normal sessions logged in now, over every export. */
    private double openSessions() {
        int open = 0;
        for (Entry entry : exports.values()) {
            open += entry.sessions.size();
        }
        return open;
    }

    /** The address it listens on (with the real port when the configured one was 0). */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean running() {
        return running;
    }

    /**
     * Serves an export from now on: opens its backing stores.
     *
     * @throws IllegalStateException when an export of that name exists
     * @throws IOException when a backing store cannot be opened (nothing is exported then)
     */
    public void addExport(Export export) throws IOException {
        requireNonNull(export, "export");
        TreeMap<Integer, LogicalUnit> units = new TreeMap<>();
        try {
            for (Lun lun : export.luns()) {
                units.put(lun.number(), LogicalUnit.open(lun.number(), lun.store(), lun.readOnly(), lun.serial(),
                        IoThrottle.of(lun.limits())));
            }
        } catch (IOException | RuntimeException e) {
            closeAll(units.values());
            throw e;
        }
        Entry entry = new Entry(export, new LunTable(export.iqn(), config.portalGroupTag(), units));
        if (exports.putIfAbsent(export.iqn(), entry) != null) {
            closeAll(units.values());
            throw new IllegalStateException("already exported: " + export.iqn());
        }
        LOG.info("exported {} ({} LUN{})", export.iqn(), units.size(), units.size() == 1 ? "" : "s");
    }

    /**
     * Stops serving an export: closes its sessions (waiting for their threads to finish the
     * command in hand, so nothing is half-written afterwards), then its files.
     *
     * @return false when there was no such export
     */
    public boolean removeExport(String iqn) {
        Entry entry = exports.remove(Iqn.normalize(requireNonNull(iqn, "iqn")));
        if (entry == null) {
            return false;
        }
        List<Connection> sessions;
        synchronized (entry) {
            entry.removed = true;
            sessions = new ArrayList<>(entry.sessions);
        }
        awaitClosed(sessions);
        closeAll(entry.units.units().values());
        LOG.info("removed export {} ({} session{} closed)", entry.export.iqn(), sessions.size(), sessions.size() == 1 ? "" : "s");
        return true;
    }

    public Optional<Export> export(String iqn) {
        Entry entry = exports.get(Iqn.normalize(iqn));
        return entry == null ? Optional.empty() : Optional.of(entry.export);
    }

    /** All exports, by name. */
    public List<Export> exports() {
        return exports.values().stream().map(e -> e.export).sorted(Comparator.comparing(Export::iqn)).toList();
    }

    /** What an initiator needs to reach a LUN of an export. */
    public ConnectionInfo connectionInfo(String iqn, int lun) {
        Export export = export(iqn).orElseThrow(() -> new IllegalArgumentException("no export " + iqn));
        if (export.lun(lun).isEmpty()) {
            throw new IllegalArgumentException("export " + iqn + " has no LUN " + lun);
        }
        int port = server != null ? address().getPort() : config.port();
        return new ConnectionInfo(config.host(), port, export.iqn(), lun, export.chap(), export.mutualChap());
    }

    /** The logged-in sessions, for operators and tests. */
    public List<SessionInfo> sessions() {
        List<SessionInfo> list = new ArrayList<>();
        for (Connection c : connections) {
            LoginResult login = c.login();
            if (login != null && c.loggedIn()) {
                list.add(new SessionInfo(login.discovery() ? null : login.export().iqn(), login.initiatorName(),
                        login.isid(), c.tsih(), c.remoteAddress()));
            }
        }
        return list;
    }

    /** Stops listening, closes every session and every export's files. */
    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            try {
                server.close();
            } catch (IOException e) {
                LOG.debug("closing the listening socket: {}", e.toString());
            }
            timer.shutdown();
            registry.remove(sessionGauge);
        }
        try {
            acceptor.join(DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitClosed(new ArrayList<>(connections));
        for (String iqn : new ArrayList<>(exports.keySet())) {
            removeExport(iqn);
        }
        LOG.info("iSCSI target stopped");
    }

    // ---------------------------------------------------------------- SessionHost

    @Override
    public Optional<Export> find(String targetName) {
        return export(targetName);
    }

    @Override
    public List<Export> all() {
        return exports();
    }

    @Override
    public Binding attach(Connection connection, LoginResult login) {
        if (login.discovery()) {
            return new Binding(allocateTsih(connection), null);
        }
        Entry entry = exports.get(login.export().iqn());
        if (entry == null) {
            return null;
        }
        List<Connection> reinstated = new ArrayList<>();
        synchronized (entry) {
            if (entry.removed) {
                return null;
            }
            for (Connection other : entry.sessions) {
                LoginResult theirs = other.login();
                if (theirs != null && theirs.isid() == login.isid() && theirs.initiatorName().equals(login.initiatorName())) {
                    reinstated.add(other);
                }
            }
            entry.sessions.removeAll(reinstated);
            entry.sessions.add(connection);
        }
        for (Connection old : reinstated) {
            LOG.info("{}: session reinstated by a new login", old);
            old.close();
        }
        return new Binding(allocateTsih(connection), entry.units);
    }

    private synchronized int allocateTsih(Connection connection) {
        while (true) {
            int tsih = nextTsih;
            nextTsih = nextTsih == 0xffff ? 1 : nextTsih + 1;
            if (sessionsByTsih.putIfAbsent(tsih, connection) == null) {
                return tsih;
            }
        }
    }

    @Override
    public boolean hasSession(int tsih) {
        return sessionsByTsih.containsKey(tsih);
    }

    @Override
    public void detach(Connection connection) {
        connections.remove(connection);
        sessionsByTsih.remove(connection.tsih(), connection);
        LoginResult login = connection.login();
        if (login != null && !login.discovery()) {
            Entry entry = exports.get(login.export().iqn());
            if (entry != null) {
                entry.sessions.remove(connection);
            }
        }
    }

    @Override
    public CommandSet commands() {
        return commands;
    }

    @Override
    public DataCounters dataCounters() {
        return dataCounters;
    }

    // ---------------------------------------------------------------- accepting

    private void acceptLoop() {
        while (running) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (running) {
                    LOG.warn("accept failed: {}", e.toString());
                    continue;
                }
                return;
            }
            try {
                serve(socket);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot serve a new connection: {}", e.toString());
                closeQuietly(socket);
            }
        }
    }

    private void serve(SocketChannel socket) throws IOException {
        if (connections.size() >= config.maxConnections()) {
            LOG.warn("refusing a connection from {}: {} connections open", socket.getRemoteAddress(), connections.size());
            closeQuietly(socket);
            return;
        }
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        Connection connection = new Connection(this, config, socket);
        connections.add(connection);
        synchronized (this) {
            if (!running) {
                connections.remove(connection);
                closeQuietly(socket);
                return;
            }
            timer.schedule(() -> {
                if (!connection.loggedIn()) {
                    LOG.info("{}: no login within {}; closing", connection, config.loginTimeout());
                    connection.close();
                }
            }, config.loginTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        // A platform thread: a virtual one parks at every read that would block and is woken through
        // the poller and then a carrier thread, which on a busy connection costs 1.5 to 1.7 times
        // the CPU per 4 KiB command (bench/fio-bench.sh). Daemon, like a virtual thread.
        Thread.ofPlatform().daemon().name("iscsi-connection-" + connectionCount.incrementAndGet()).start(connection);
    }

    private static void awaitClosed(List<Connection> connections) {
        for (Connection c : connections) {
            c.close();
        }
        for (Connection c : connections) {
            try {
                if (!c.closeAndAwait(DRAIN)) {
                    LOG.warn("{}: still busy after {}", c, DRAIN);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeAll(Iterable<LogicalUnit> units) {
        for (LogicalUnit unit : units) {
            try {
                unit.close();
            } catch (IOException e) {
                LOG.warn("closing {}: {}", unit, e.toString());
            }
        }
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
