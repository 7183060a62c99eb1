package dev.basalt.iscsi;

import java.net.InetSocketAddress;

/**
 * A logged-in session.
 *
 * @param iqn the export it uses, or null for a discovery session
 * @param isid the initiator's session id
 * @param tsih the target's session handle
 */
public record SessionInfo(String iqn, String initiatorName, long isid, int tsih, InetSocketAddress remote) {

    public boolean discovery() {
        return iqn == null;
    }
}
