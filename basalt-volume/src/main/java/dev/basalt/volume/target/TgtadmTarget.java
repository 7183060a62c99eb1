package dev.basalt.volume.target;

import static java.util.Objects.requireNonNull;

import dev.basalt.config.TargetOptions;
import dev.basalt.iscsi.ChapCredentials;
import dev.basalt.iscsi.ConnectionInfo;
import dev.basalt.volume.target.TgtadmOutput.LogicalUnit;
import dev.basalt.volume.target.TgtadmOutput.Portal;
import dev.basalt.volume.target.TgtadmOutput.Target;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tgt daemon ({@code target_helper = tgtadm}), driven with {@code tgtadm}: each volume is LUN 1
 * of a target of its own (tgt serves its own controller as LUN 0), open to any initiator address
 * and guarded by the export's CHAP account.
 *
 * <p>The operator runs tgtd listening where initiators are sent:
 * {@code tgtd --iscsi portal=<target_ip_address>:<target_port> [-C <tgt_control_port>]}. tgtd keeps
 * its targets in memory only; after it restarts, the volume service exports again
 * ({@link #createExport} is idempotent).
 *
 * <p>Two limits of tgt: its CHAP accounts belong to the whole daemon rather than to a target, so each
 * export needs a CHAP user of its own (a user bound to another target is refused); and tgtadm takes
 * the CHAP secret on its command line, so the secret shows in the process list while tgtadm runs.
 */
public final class TgtadmTarget implements VolumeTarget {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TgtadmTarget.class);
    public static final String NAME = "tgtadm";
    static final int LUN = 1;
    /** tgt keeps at most 36 characters of a serial, and its {@code --params} list cannot carry , or =. */
    private static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9._:-]{1,36}");
    private static final int ATTEMPTS = 10;
    private static final long RETRY_PAUSE_MS = 200;

    private final Tgtadm tgtadm;
    private final String portalHost;
    private final int portalPort;

    /**
     * @param portalHost where initiators reach tgtd ({@code target_ip_address})
     * @param portalPort tgtd's iSCSI port ({@code target_port})
     */
    public TgtadmTarget(Tgtadm tgtadm, String portalHost, int portalPort) {
        this.tgtadm = requireNonNull(tgtadm, "tgtadm");
        this.portalHost = requireNonNull(portalHost, "portalHost");
        this.portalPort = portalPort;
    }

    /** The target a backend's {@code target_*} and {@code tgt_control_port} options describe. */
    public static TgtadmTarget of(TargetOptions options) {
        return new TgtadmTarget(new Tgtadm(options.tgtControlPort(), Tgtadm.DEFAULT_TIMEOUT),
                options.ipAddress(), options.port());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start() {
        String system;
        try {
            system = tgtadm.run("--op", "show", "--mode", "system");
        } catch (TargetException e) {
            throw new TargetException("the tgt daemon does not answer; start it with `" + startCommand() + "` ("
                    + e.getMessage() + ")", e);
        }
        if (!TgtadmOutput.iscsiReady(system)) {
            throw new TargetException("the tgt daemon's iSCSI driver is not ready; restart it with `" + startCommand() + "`");
        }
        List<Portal> portals = TgtadmOutput.portals(run("--op", "show", "--mode", "portal"));
        InetAddress host = resolve(portalHost);
        if (portals.stream().noneMatch(p -> p.serves(host, portalPort))) {
            throw new TargetException("the tgt daemon listens on " + portals + ", not on " + portal()
                    + " (target_ip_address, target_port); restart it with `" + startCommand() + "`");
        }
    }

    @Override
    public synchronized ConnectionInfo createExport(ExportRequest request) {
        if (!request.limits().unlimited()) {
            LOG.warn("{}: tgt does not enforce back-end QoS specs; the export is not rate-limited", request.iqn());
        }
        if (!SERIAL.matcher(request.serial()).matches()) {
            throw new TargetException("tgt cannot serve the serial " + request.serial() + ": it takes 1 to 36 of A-Z a-z 0-9 . _ : -");
        }
        Path file = file(request);
        if (!Files.exists(file) || Files.isDirectory(file)) {
            throw new TargetException("cannot export " + file + ": not a file or block device");
        }
        Optional<Target> existing = find(request.iqn());
        if (existing.isPresent() && existing.get().acls().isEmpty()) {
            // Made up to, not including, its ACL (the last step): a create that stopped half-way.
            // No initiator was ever let in, so it is made again from the start.
            delete(existing.get());
            existing = Optional.empty();
        }
        if (existing.isPresent()) {
            requireSame(existing.get(), request);
        } else {
            create(request);
        }
        return new ConnectionInfo(portalHost, portalPort, request.iqn(), LUN, Optional.of(request.chap()), Optional.empty());
    }

    @Override
    public synchronized void removeExport(String iqn) {
        String name = requireNonNull(iqn, "iqn");
        find(name).ifPresent(this::delete);
        if (find(name).isPresent()) {
            throw new TargetException("the tgt daemon still serves " + name + " after deleting it");
        }
    }

    @Override
    public boolean hasExport(String iqn) {
        return find(iqn).isPresent();
    }

    /**
     * Lets go of the daemon and leaves its exports served: hosts keep their disks while the volume
     * service restarts, and the next start makes the same exports again (which finds them made).
     */
    @Override
    public synchronized void close() {
        // nothing is held: tgtd keeps the exports
    }

    private void create(ExportRequest request) {
        ChapCredentials chap = request.chap();
        claimAccount(chap.user());
        int tid = newTarget(request.iqn());
        try {
            // tgtd resolves a relative path against its own working directory
            run("--op", "new", "--mode", "logicalunit", "--tid", tid, "--lun", LUN,
                    "--backing-store", file(request).toAbsolutePath().toString());
            run("--op", "update", "--mode", "logicalunit", "--tid", tid, "--lun", LUN,
                    "--params", "scsi_id=" + request.serial() + ",scsi_sn=" + request.serial()
                            + (request.readOnly() ? ",readonly=1" : ""));
            run("--op", "new", "--mode", "account", "--user", chap.user(), "--password", chap.secret());
            run("--op", "bind", "--mode", "account", "--tid", tid, "--user", chap.user());
            // Last: tgtd lets no initiator into a target without an ACL, so until here nobody could
            // reach the unit before it was read-only and guarded by CHAP.
            run("--op", "bind", "--mode", "target", "--tid", tid, "--initiator-address", "ALL");
        } catch (TargetException e) {
            try {
                deleteTarget(tid, request.iqn());
                deleteAccount(chap.user());
            } catch (TargetException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /** The file tgtd serves: tgt opens paths on this host, never a driver's block device. */
    private static Path file(ExportRequest request) {
        return switch (request.source()) {
            case ExportSource.File f -> f.path();
            case ExportSource.Device d -> throw new TargetException("tgt (target_helper = tgtadm) serves files only, and "
                    + d.describe() + " is not a file on this host: export it with Basalt's own target"
                    + " (target_helper = builtin), which reads and writes through the driver");
        };
    }

    /** Makes the CHAP user free to create: an account no target uses is a leftover, deleted. */
    private void claimAccount(String user) {
        if (!accounts().contains(user)) {
            return;
        }
        List<String> boundTo = targets().stream().filter(t -> t.accounts().contains(user)).map(Target::name).toList();
        if (!boundTo.isEmpty()) {
            throw new TargetException("CHAP user " + user + " is already bound to " + boundTo
                    + ": tgt's accounts belong to the whole daemon, so every export needs a CHAP user of its own");
        }
        deleteAccount(user);
    }

    /** Adds an empty target under the smallest free tid and returns that tid. */
    private int newTarget(String iqn) {
        for (int attempt = 1; ; attempt++) {
            int tid = TgtadmOutput.freeTid(targets());
            try {
                run("--op", "new", "--mode", "target", "--tid", tid, "--targetname", iqn);
                return tid;
            } catch (TargetException e) {
                // another tgtadm user of this daemon (a second backend) may have taken the tid meanwhile
                if (attempt == ATTEMPTS || find(iqn).isPresent()) {
                    throw e;
                }
            }
        }
    }

    /** An export kept as it is must be what was asked: else its connection info would be wrong. */
    private void requireSame(Target served, ExportRequest request) {
        Optional<LogicalUnit> unit = served.lun(LUN);
        String file = file(request).toAbsolutePath().toString();
        boolean same = unit.flatMap(LogicalUnit::backingStore).filter(file::equals).isPresent()
                && unit.get().readOnly() == request.readOnly()
                && served.accounts().contains(request.chap().user());
        if (!same) {
            throw new TargetException(request.iqn() + " is already exported by tgtd otherwise (LUN " + LUN + ": "
                    + unit.map(u -> u.backingStore().orElse("none") + (u.readOnly() ? ", read-only" : "")).orElse("none")
                    + "; CHAP users " + served.accounts() + "); remove that export first");
        }
    }

    private void delete(Target target) {
        // The target goes first: --force makes tgtd close its sessions, and deleting the account
        // first would leave the target open without CHAP for a moment.
        deleteTarget(target.tid(), target.name());
        List<Target> rest = targets();
        for (String user : target.accounts()) {
            if (rest.stream().noneMatch(t -> t.accounts().contains(user))) {
                deleteAccount(user);
            }
        }
    }

    private void deleteTarget(int tid, String iqn) {
        for (int attempt = 1; ; attempt++) {
            try {
                run("--op", "delete", "--mode", "target", "--tid", tid, "--force");
                return;
            } catch (TargetException e) {
                if (find(iqn).filter(t -> t.tid() == tid).isEmpty()) {
                    return;
                }
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                // tgtd refuses while a unit still has commands in flight from a closing session
                pause();
            }
        }
    }

    private void deleteAccount(String user) {
        try {
            run("--op", "delete", "--mode", "account", "--user", user);
        } catch (TargetException e) {
            if (accounts().contains(user)) {
                throw e;
            }
        }
    }

    private Optional<Target> find(String iqn) {
        return targets().stream().filter(t -> t.name().equalsIgnoreCase(iqn)).findFirst();
    }

    private List<Target> targets() {
        return TgtadmOutput.targets(run("--op", "show", "--mode", "target"));
    }

    private List<String> accounts() {
        return TgtadmOutput.accounts(run("--op", "show", "--mode", "account"));
    }

    /** tgtadm for the iSCSI driver (tgt has others, such as iSER). */
    private String run(Object... args) {
        List<String> command = new ArrayList<>(List.of("--lld", "iscsi"));
        for (Object arg : args) {
            command.add(String.valueOf(arg));
        }
        return tgtadm.run(command.toArray(String[]::new));
    }

    private String portal() {
        return (portalHost.contains(":") ? "[" + portalHost + "]" : portalHost) + ":" + portalPort;
    }

    private String startCommand() {
        return "tgtd --iscsi portal=" + portal()
                + (tgtadm.controlPort() == Tgtadm.DEFAULT_CONTROL_PORT ? "" : " -C " + tgtadm.controlPort());
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new TargetException("target_ip_address " + host + " does not resolve: " + e.getMessage(), e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetException("interrupted while deleting a target", e);
        }
    }
}
