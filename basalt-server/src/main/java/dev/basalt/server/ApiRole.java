package dev.basalt.server;

import dev.basalt.api.ApiServer;
import dev.basalt.api.ApiSettings;
import dev.basalt.config.DefaultOptions;
import dev.basalt.db.DefaultTypeRepository;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.db.VolumeTypeRepository;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Composition root of the API role. */
final class ApiRole {
    /** The type Cinder always has, used when no other default is configured. */
    static final String BUILTIN_DEFAULT_TYPE = "__DEFAULT__";
    /** Cinder's {@code osapi_max_request_body_size}: 112 KiB. */
    private static final int MAX_REQUEST_BODY_SIZE = 114688;
    private static final Logger LOG = LoggerFactory.getLogger(ApiRole.class);

    /** A running API and where it listens. */
    record Started(ApiServer server, String endpoint) implements AutoCloseable {
        @Override
        public void close() {
            server.stop();
        }
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
                Duration.ofMillis(infra.config().source().defaults().get(DefaultOptions.OSAPI_VOLUME_CREATE_WAIT_MS)));
        ApiServer server;
        try {
            VolumeRepository volumes = new VolumeRepository(infra.database());
            server = new ApiServer(settings, volumes, types,
                    new DefaultTypeRepository(infra.database()), new ServiceRepository(infra.database()),
                    new MessageRepository(infra.database()), new SnapshotRepository(infra.database()),
                    new VolumeTransitions(infra.database(), volumes), infra.bus(), infra.clock());
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage(), e);
        }
        int port = server.start();
        String host = d.osapiVolumeListen().contains(":") ? "[" + d.osapiVolumeListen() + "]" : d.osapiVolumeListen();
        return new Started(server, "http://" + host + ":" + port + "/v3");
    }
}
