package dev.basalt.api.compute;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.auth.KeystoneClient;
import dev.basalt.api.auth.KeystoneUnavailableException;
import java.net.URI;
import java.util.Optional;

/**
 * The compute service as the caller's Keystone catalog lists it (service type {@code compute},
 * the configured interface and region): looked up with the caller's token on each question, so a
 * compute service added to or removed from the catalog counts at once, then asked through
 * {@link NovaVolumeAttachments}.
 */
public final class CatalogComputeService implements ComputeService {
    static final String SERVICE_TYPE = "compute";

    private final KeystoneClient keystone;
    private final NovaVolumeAttachments nova;
    private final String interfaceName;
    private final Optional<String> region;

    public CatalogComputeService(KeystoneClient keystone, NovaVolumeAttachments nova, String interfaceName,
                                 Optional<String> region) {
        this.keystone = requireNonNull(keystone, "keystone");
        this.nova = requireNonNull(nova, "nova");
        this.interfaceName = requireNonNull(interfaceName, "interfaceName");
        this.region = requireNonNull(region, "region");
    }

    @Override
    public ServerVolume serverVolume(String userToken, String serverId, String volumeId) {
        Optional<URI> endpoint;
        try {
            endpoint = keystone.catalog(userToken).find(SERVICE_TYPE, interfaceName, region);
        } catch (KeystoneUnavailableException e) {
            throw new ComputeUnavailableException("the compute service could not be looked up in Keystone's catalog: "
                    + e.getMessage(), e);
        }
        if (endpoint.isEmpty()) {
            return new ServerVolume.NoComputeService();
        }
        return nova.get(endpoint.get(), userToken, serverId, volumeId);
    }
}
