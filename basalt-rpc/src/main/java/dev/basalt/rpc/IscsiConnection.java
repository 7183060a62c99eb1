package dev.basalt.rpc;

/**
 * How a host reaches an exported volume over iSCSI: the reply to {@link InitializeConnection}, the
 * facts Cinder's {@code connection_info.data} carries.
 */
public record IscsiConnection(String targetPortal, String targetIqn, int targetLun, String authMethod,
                              String authUsername, String authPassword, boolean readOnly) {
    @Override
    public String toString() {
        return "IscsiConnection[" + targetPortal + " " + targetIqn + " lun " + targetLun + "]";
    }
}
