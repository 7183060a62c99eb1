package dev.basalt.volume.target;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code tgtadm --op show} prints (tgt 1.0.x): the targets with their logical units,
 * accounts and ACLs, the account list, the portals and the system state. tgtadm has no
 * machine-readable output; its layout is fixed text indented by four spaces per level.
 */
final class TgtadmOutput {
    private static final Pattern TARGET = Pattern.compile("^Target (\\d+): (\\S+)$");
    private static final Pattern LUN = Pattern.compile("^LUN: (\\d+)$");
    private static final Pattern PORTAL = Pattern.compile("^Portal: (\\[[^]]+]|[^:\\s]+):(\\d+),\\d+$");
    private static final String OUTGOING = " (outgoing)";

    private TgtadmOutput() {
    }

    /** A logical unit of a target; LUN 0 is tgt's own controller, with no backing store. */
    record LogicalUnit(int number, Optional<String> backingStore, boolean readOnly) {
        LogicalUnit {
            requireNonNull(backingStore, "backingStore");
        }
    }

    /**
     * One target.
     *
     * @param accounts the incoming (CHAP) accounts bound to it
     * @param acls the initiator addresses or names allowed in ({@code ALL} for any)
     */
    record Target(int tid, String name, List<LogicalUnit> luns, List<String> accounts, List<String> acls) {
        Target {
            requireNonNull(name, "name");
            luns = List.copyOf(luns);
            accounts = List.copyOf(accounts);
            acls = List.copyOf(acls);
        }

        Optional<LogicalUnit> lun(int number) {
            return luns.stream().filter(l -> l.number() == number).findFirst();
        }
    }

    /** An address and port tgtd listens on; {@code 0.0.0.0} and {@code [::]} stand for every address. */
    record Portal(String address, int port) {
        Portal {
            requireNonNull(address, "address");
        }

        boolean serves(InetAddress host, int hostPort) {
            if (port != hostPort) {
                return false;
            }
            String bare = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
            if (bare.equals("0.0.0.0") || bare.equals("::")) {
                return true;
            }
            try {
                return InetAddress.getByName(bare).equals(host);
            } catch (UnknownHostException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return address + ":" + port;
        }
    }

    /** {@code tgtadm --lld iscsi --op show --mode target}. */
    static List<Target> targets(String output) {
        List<Target> targets = new ArrayList<>();
        for (Block block : blocks(output.lines().toList(), 0)) {
            Matcher target = TARGET.matcher(block.header());
            if (!target.matches()) {
                continue;
            }
            List<LogicalUnit> luns = new ArrayList<>();
            List<String> accounts = new ArrayList<>();
            List<String> acls = new ArrayList<>();
            for (Block section : blocks(block.body(), 1)) {
                switch (section.header()) {
                    case "LUN information:" -> {
                        for (Block unit : blocks(section.body(), 2)) {
                            logicalUnit(unit).ifPresent(luns::add);
                        }
                    }
                    case "Account information:" -> section.items(2).stream()
                            .filter(user -> !user.endsWith(OUTGOING)).forEach(accounts::add);
                    case "ACL information:" -> acls.addAll(section.items(2));
                    default -> {
                        // System and I_T nexus information: nothing Basalt needs
                    }
                }
            }
            targets.add(new Target(Integer.parseInt(target.group(1)), target.group(2), luns, accounts, acls));
        }
        return List.copyOf(targets);
    }

    private static Optional<LogicalUnit> logicalUnit(Block unit) {
        Matcher lun = LUN.matcher(unit.header());
        if (!lun.matches()) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (String item : unit.items(3)) {
            int colon = item.indexOf(':');
            if (colon > 0) {
                fields.put(item.substring(0, colon), item.substring(colon + 1).strip());
            }
        }
        String path = fields.getOrDefault("Backing store path", "None");
        return Optional.of(new LogicalUnit(Integer.parseInt(lun.group(1)),
                path.equals("None") ? Optional.empty() : Optional.of(path), "Yes".equals(fields.get("Readonly"))));
    }

    /** {@code tgtadm --lld iscsi --op show --mode account}: every account's user name. */
    static List<String> accounts(String output) {
        return output.lines().filter(l -> indent(l) == 1).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** {@code tgtadm --lld iscsi --op show --mode portal}. */
    static List<Portal> portals(String output) {
        List<Portal> portals = new ArrayList<>();
        for (String line : output.lines().map(String::strip).toList()) {
            Matcher m = PORTAL.matcher(line);
            if (m.matches()) {
                portals.add(new Portal(m.group(1), Integer.parseInt(m.group(2))));
            }
        }
        return List.copyOf(portals);
    }

    /** {@code tgtadm --op show --mode system}: whether the daemon's iSCSI driver serves. */
    static boolean iscsiReady(String output) {
        return output.lines().map(String::strip).anyMatch(l -> l.equals("iscsi: ready"));
    }

    /** The smallest target id (tgt's tids start at 1) that no target has. */
    static int freeTid(List<Target> targets) {
        int tid = 1;
        while (hasTid(targets, tid)) {
            tid++;
        }
        return tid;
    }

    private static boolean hasTid(List<Target> targets, int tid) {
        return targets.stream().anyMatch(t -> t.tid() == tid);
    }

    /**
     * The lines at one indentation level, each with the deeper lines under it. tgtadm indents by
     * four spaces per level.
     */
    private static List<Block> blocks(List<String> lines, int depth) {
        List<Block> blocks = new ArrayList<>();
        String header = null;
        List<String> body = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            int level = indent(line);
            if (level == depth) {
                if (header != null) {
                    blocks.add(new Block(header, body));
                }
                header = line.strip();
                body = new ArrayList<>();
            } else if (level > depth && header != null) {
                body.add(line);
            }
        }
        if (header != null) {
            blocks.add(new Block(header, body));
        }
        return blocks;
    }

    private static int indent(String line) {
        int spaces = 0;
        while (spaces < line.length() && line.charAt(spaces) == ' ') {
            spaces++;
        }
        return spaces / 4;
    }

    private record Block(String header, List<String> body) {
        /** The lines of the body at that depth, stripped. */
        List<String> items(int depth) {
            return body.stream().filter(l -> indent(l) == depth).map(String::strip).toList();
        }
    }
}
