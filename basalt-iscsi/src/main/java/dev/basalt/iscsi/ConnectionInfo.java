package dev.basalt.iscsi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What an initiator needs to reach one LUN: the portal ({@code host:port}), the target name, the
 * LUN and the CHAP credentials, if any. The same facts Cinder hands a compute host as
 * {@code connection_info.data} (target_portal, target_iqn, target_lun, auth_*).
 */
public record ConnectionInfo(String host, int port, String iqn, int lun,
                             Optional<ChapCredentials> chap, Optional<ChapCredentials> mutualChap) {

    public ConnectionInfo {
        requireNonNull(host, "host");
        requireNonNull(iqn, "iqn");
        requireNonNull(chap, "chap");
        requireNonNull(mutualChap, "mutualChap");
    }

    /** {@code host:port}, with brackets around an IPv6 address. */
    public String portal() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code CHAP} or {@code None}, as Cinder's {@code auth_method}. */
    public String authMethod() {
        return chap.isPresent() ? "CHAP" : "None";
    }

    /**
     * The libiscsi URL (QEMU, iscsi-* tools): {@code iscsi://[user%secret@]portal/iqn/lun}, with the
     * target's credentials as {@code target_user}/{@code target_password} for mutual CHAP.
     * libiscsi does not decode escapes, so credentials go in as they are: ones that contain
     * {@code % @ / ? &} cannot be written in this form (libiscsi reads them from
     * {@code LIBISCSI_CHAP_*} environment variables instead).
     */
    public String url() {
        StringBuilder url = new StringBuilder("iscsi://");
        chap.ifPresent(c -> url.append(encode(c.user())).append('%').append(encode(c.secret())).append('@'));
        url.append(portal()).append('/').append(iqn).append('/').append(lun);
        mutualChap.ifPresent(c -> url.append("?target_user=").append(encode(c.user()))
                .append("&target_password=").append(encode(c.secret())));
        return url.toString();
    }

    private static String encode(String s) {
        return s;
    }

    @Override
    public String toString() {
        return "ConnectionInfo[portal=" + portal() + ", iqn=" + iqn + ", lun=" + lun + ", auth=" + authMethod() + "]";
    }
}
