package dev.basalt.server;

import dev.basalt.api.ApiMetrics;
import dev.basalt.api.ApiServer;
import dev.basalt.api.service.ImageEndpoints;
import dev.basalt.api.ApiSettings;
import dev.basalt.api.auth.Authenticator;
import dev.basalt.api.auth.KeystoneAuthenticator;
import dev.basalt.api.auth.KeystoneClient;
import dev.basalt.api.auth.NoAuthAuthenticator;
import dev.basalt.api.auth.ServiceCredentials;
import dev.basalt.api.auth.TokenCache;
import dev.basalt.api.compute.CatalogComputeService;
import dev.basalt.api.compute.NovaVolumeAttachments;
import dev.basalt.api.service.DetachSafety;
import dev.basalt.api.policy.Policy;
import dev.basalt.api.policy.PolicyException;
import dev.basalt.api.policy.PolicyFile;
import dev.basalt.config.AuthStrategy;
import dev.basalt.config.BasaltConfig;
import dev.basalt.api.QuotaSettings;
import dev.basalt.config.ConfigSection;
import dev.basalt.config.DefaultOptions;
import dev.basalt.config.KeystoneAuthOptions;
import dev.basalt.config.KeyManagerOptions;
import dev.basalt.config.NovaOptions;
import dev.basalt.config.PolicyOptions;
import dev.basalt.db.DefaultTypeRepository;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.QuotaRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeAccessRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.db.VolumeTypeRepository;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Composition root of the API role. */
final class ApiRole {
    /** The type Cinder always has, used when no other default is configured. */
    static final String BUILTIN_DEFAULT_TYPE = "__DEFAULT__";
    /** Cinder's {@code osapi_max_request_body_size}: 112 KiB. */
    private static final int MAX_REQUEST_BODY_SIZE = 114688;
    private static final Logger LOG = LoggerFactory.getLogger(ApiRole.class);

    /** A running API, where it listens, and the authenticator and compute client it closes with it. */
    record Started(ApiServer server, String endpoint, Authenticator authenticator, AutoCloseable compute)
            implements AutoCloseable {
        @Override
        public void close() {
            server.stop();
            authenticator.close();
            try {
                compute.close();
            } catch (Exception e) {
                LOG.warn("closing the compute client: {}", e.toString());
            }
        }
    }

    /** The authenticator and the detach rule that uses its service tokens, with what to close after. */
    private record Auth(Authenticator authenticator, DetachSafety detachSafety, AutoCloseable compute) {
    }

    private ApiRole() {
    }

    static Started start(Infrastructure infra) {
        DefaultOptions d = infra.config().defaults();
        VolumeTypeRepository types = new VolumeTypeRepository(infra.database());
        types.ensure(BUILTIN_DEFAULT_TYPE, "Default Volume Type");
        if (types.findByName(d.defaultVolumeType()).isEmpty()) {
            LOG.warn("[DEFAULT] default_volume_type = {} does not exist yet: volumes created without a type"
                    + " fail until an admin creates it", d.defaultVolumeType());
        }
        ApiSettings settings = new ApiSettings(d.osapiVolumeListen(), d.osapiVolumeListenPort(),
                d.authStrategy().name().toLowerCase(Locale.ROOT), d.osapiMaxLimit(), d.defaultVolumeType(),
                d.defaultAvailabilityZone(), d.storageAvailabilityZone(), d.allowAvailabilityZoneFallback(),
                d.serviceDownTime(), d.host(), null, MAX_REQUEST_BODY_SIZE,
                Duration.ofMillis(infra.config().source().defaults().get(DefaultOptions.OSAPI_VOLUME_CREATE_WAIT_MS)),
                infra.config().source().defaults().get(DefaultOptions.AZ_CACHE_DURATION),
                infra.config().source().defaults().get(DefaultOptions.ENABLE_FORCE_UPLOAD),
                infra.config().source().defaults().find(DefaultOptions.DEFAULT_GROUP_TYPE).orElse(null),
                KeyManagerOptions.from(infra.config().source()));
        Policy policy = policy(infra.config());
        Auth auth = auth(infra.config(), policy, infra.clock());
        Authenticator authenticator = auth.authenticator();
        ApiServer server;
        try {
            server = new ApiServer(settings, infra.database(), infra.bus(), infra.clock(),
                    quotaSettings(infra.config().source().defaults()), authenticator, policy,
                    new ApiMetrics(infra.metrics().registry(), infra.metrics()::scrape), auth.detachSafety(),
                    imageEndpoints(infra.config()));
        } catch (IllegalArgumentException e) {
            authenticator.close();
            throw new StartupException(e.getMessage(), e);
        }
        int port = server.start();
        String host = d.osapiVolumeListen().contains(":") ? "[" + d.osapiVolumeListen() + "]" : d.osapiVolumeListen();
        return new Started(server, "http://" + host + ":" + port + "/v3", authenticator, auth.compute());
    }

    /** Cinder's default rules with the operator's [oslo_policy] policy_file on top; a bad rule refuses to start. */
    static Policy policy(BasaltConfig config) {
        PolicyOptions options = PolicyOptions.from(config.source());
        Optional<Path> file = options.locate();
        try {
            if (file.isEmpty()) {
                return Policy.cinderDefaults();
            }
            Map<String, String> overrides = PolicyFile.read(file.get());
            Policy policy = Policy.withOverrides(overrides, file.get().toString());
            LOG.info("policy: Cinder's defaults with {} rule(s) from {}", overrides.size(), file.get());
            return policy;
        } catch (PolicyException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    /**
     * noauth (the caller is who the token says, an administrator; no detach rule), or Keystone token
     * validation with the rule that leaves instances' attachments to the compute service.
     */
    private static Auth auth(BasaltConfig config, Policy policy, Clock clock) {
        if (config.defaults().authStrategy() != AuthStrategy.KEYSTONE) {
            return new Auth(new NoAuthAuthenticator(), DetachSafety.off(), () -> { });
        }
        KeystoneAuthOptions k = KeystoneAuthOptions.from(
                config.source().section(KeystoneAuthOptions.GROUP.section())).requireComplete();
        KeystoneClient keystone = keystoneClient(k);
        KeystoneAuthenticator authenticator = keystoneAuthenticator(k, keystone, policy, clock);
        NovaOptions nova = NovaOptions.from(config.source());
        NovaVolumeAttachments novaClient = new NovaVolumeAttachments(nova.timeout());
        DetachSafety safety = new DetachSafety(authenticator::serviceRoles, Set.copyOf(k.serviceTokenRoles()),
                new CatalogComputeService(keystone, novaClient, nova.interfaceName(), nova.regionName()),
                config.source().defaults().get(DefaultOptions.ALLOW_ATTACHMENT_DELETE_WITHOUT_COMPUTE));
        return new Auth(authenticator, safety, novaClient);
    }

    private static KeystoneClient keystoneClient(KeystoneAuthOptions k) {
        return new KeystoneClient(k.authUrl().orElseThrow(), k.httpConnectTimeout(), k.httpRequestMaxRetries());
    }

    /** Keystone token validation with Basalt's service user; its service token is fetched in the background. */
    private static KeystoneAuthenticator keystoneAuthenticator(KeystoneAuthOptions k, KeystoneClient keystone,
                                                               Policy policy, Clock clock) {
        ServiceCredentials credentials = new ServiceCredentials(k.username().orElseThrow(),
                k.password().orElseThrow(), k.userDomainName(), k.userDomainId().orElse(null),
                k.projectName().orElseThrow(), k.projectDomainName(), k.projectDomainId().orElse(null));
        KeystoneAuthenticator authenticator = new KeystoneAuthenticator(keystone, credentials,
                new TokenCache(k.tokenCacheSize(), k.tokenCacheTime()), policy,
                k.challengeUri().orElseThrow().toString(), clock);
        Thread.ofVirtual().name("keystone-probe").start(authenticator::probe);
        return authenticator;
    }

    /** [DEFAULT] glance_api_servers, else (with Keystone) the image endpoint of each caller's catalog. */
    static ImageEndpoints imageEndpoints(BasaltConfig config) {
        URI identity = null;
        if (config.defaults().authStrategy() == AuthStrategy.KEYSTONE) {
            identity = KeystoneAuthOptions.from(config.source().section(KeystoneAuthOptions.GROUP.section()))
                    .authUrl().orElse(null);
        }
        return ImageEndpoints.of(config.source().defaults().get(DefaultOptions.GLANCE_API_SERVERS), identity);
    }

    /** The default quotas: the quota_* options of [DEFAULT]. */
    static QuotaSettings quotaSettings(ConfigSection defaults) {
        return new QuotaSettings(defaults.get(DefaultOptions.QUOTA_VOLUMES),
                defaults.get(DefaultOptions.QUOTA_SNAPSHOTS), defaults.get(DefaultOptions.QUOTA_GIGABYTES),
                defaults.get(DefaultOptions.QUOTA_BACKUPS), defaults.get(DefaultOptions.QUOTA_BACKUP_GIGABYTES),
                defaults.get(DefaultOptions.QUOTA_GROUPS), defaults.get(DefaultOptions.PER_VOLUME_SIZE_LIMIT),
                defaults.get(DefaultOptions.USE_DEFAULT_QUOTA_CLASS));
    }
}
