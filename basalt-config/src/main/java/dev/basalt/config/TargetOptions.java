package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How a backend exports its volumes to initiators: Cinder's {@code target_*} options, read from the
 * backend's section with its fallback to {@code [backend_defaults]}.
 *
 * @param helper which target serves the exports
 * @param ipAddress the address the target listens on and hands initiators in the portal
 * @param port the target's TCP port
 * @param prefix what each export's IQN starts with; {@code volume-<id>} follows
 * @param tgtControlPort the tgt daemon's control port ({@code tgtadm -C}, 0 to 32767); 0 is tgtd's default
 */
public record TargetOptions(TargetHelper helper, String ipAddress, int port, String prefix, int tgtControlPort) {

    public static final Option<TargetHelper> TARGET_HELPER = Option.of("target_helper", OptionType.choices(TargetHelper.class), "builtin", "Target that exports volumes: builtin (Basalt's own iSCSI target) or tgtadm (the tgt daemon).");
    public static final Option<String> TARGET_IP_ADDRESS = Option.of("target_ip_address", OptionType.matching("\\S+", "an IP address or host name"), "127.0.0.1", "Address of the iSCSI target: where it listens and what initiators are told.");
    public static final Option<Integer> TARGET_PORT = Option.of("target_port", OptionType.port(), "3260", "TCP port of the iSCSI target.");
    public static final Option<String> TARGET_PREFIX = Option.of("target_prefix", OptionType.matching("(iqn\\.|eui\\.|naa\\.)\\S*", "an iSCSI name prefix such as iqn.2010-10.org.openstack:"), "iqn.2010-10.org.openstack:", "Prefix of each export's iSCSI name; volume-<id> follows it.");
    public static final Option<String> TARGET_PROTOCOL = Option.of("target_protocol", OptionType.matching("iscsi", "iscsi (the only protocol served)"), "iscsi", "Protocol of the target; iscsi is the only one served.");
    public static final Option<Integer> TGT_CONTROL_PORT = Option.of("tgt_control_port", OptionType.integer(0, 32767), "0", "Control port of the tgt daemon (tgtd and tgtadm -C) when target_helper = tgtadm: a number naming its local socket, 0 to 32767 (what tgtadm accepts).");

    /** Every option above; {@link BackendOptions#GROUP} adds them to the backend sections' options. */
    static final List<Option<?>> ALL = List.of(TARGET_HELPER, TARGET_IP_ADDRESS, TARGET_PORT, TARGET_PREFIX,
            TARGET_PROTOCOL, TGT_CONTROL_PORT);

    public TargetOptions {
        requireNonNull(helper, "helper");
        requireNonNull(ipAddress, "ipAddress");
        requireNonNull(prefix, "prefix");
    }

    /** The defaults: the builtin target on 127.0.0.1:3260 with Cinder's prefix. */
    public static TargetOptions defaults() {
        return new TargetOptions(TargetHelper.BUILTIN, "127.0.0.1", 3260, "iqn.2010-10.org.openstack:", 0);
    }

    static TargetOptions from(ConfigSection section) {
        section.get(TARGET_PROTOCOL);
        return new TargetOptions(section.get(TARGET_HELPER), section.get(TARGET_IP_ADDRESS), section.get(TARGET_PORT),
                section.get(TARGET_PREFIX), section.get(TGT_CONTROL_PORT));
    }
}
