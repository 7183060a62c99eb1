package dev.basalt.rpc;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.Bus;
import dev.basalt.bus.CastHandler;
import dev.basalt.bus.Endpoint;
import dev.basalt.bus.RpcMethod;
import dev.basalt.bus.Subscription;

/**
 * What the other roles tell every API process: a volume left {@code creating}, so a create
 * request waiting for it can answer at once. Each API process serves the {@code api} topic under a
 * name of its own and receives these as fanouts.
 */
public final class ApiRpc {
    public static final String TOPIC = "api";

    static final RpcMethod<VolumeSettled, Void> VOLUME_SETTLED =
            RpcMethod.cast("volume_settled", "1.0", VolumeSettled.class);

    private final Bus bus;

    public ApiRpc(Bus bus) {
        this.bus = requireNonNull(bus, "bus");
    }

    /** Tells every API process that a creating volume is now {@code available} or {@code error}. */
    public void volumeSettled(VolumeSettled settled) {
        bus.fanout(TOPIC, VOLUME_SETTLED, settled);
    }

    /** Serves {@code onSettled} as the API process {@code name}. */
    public static Subscription serve(Bus bus, String name, CastHandler<VolumeSettled> onSettled) {
        return bus.serve(TOPIC, name, Endpoint.builder().onCast(VOLUME_SETTLED, onSettled).build());
    }
}
