package dev.basalt.api.compute;

/**
 * The compute service (Nova), asked on the caller's behalf whether an instance still has a
 * volume, as Cinder asks before a user removes an instance's attachment.
 */
public interface ComputeService {
    /**
     * What the compute service says about {@code volumeId} on {@code serverId}, asked with the
     * caller's token.
     *
     * @throws ComputeUnavailableException when the compute service (or Keystone, to find it)
     *     cannot be asked or gives no usable answer
     */
    ServerVolume serverVolume(String userToken, String serverId, String volumeId);
}
