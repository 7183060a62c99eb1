package dev.basalt.server;

import dev.basalt.config.BackendOptions;
import dev.basalt.config.TargetOptions;
import dev.basalt.iscsi.IscsiTarget;
import dev.basalt.iscsi.TargetConfig;
import dev.basalt.volume.target.BuiltinTarget;
import dev.basalt.volume.target.TgtadmTarget;
import dev.basalt.volume.target.VolumeTarget;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The targets of the volume role: one per backend, as its {@code target_helper} says. Backends
 * whose builtin targets listen on the same address share one {@link IscsiTarget}, started here on
 * first use and stopped by {@link #close()}; they measure themselves in the process's registry.
 */
final class Targets implements AutoCloseable {
    private final Map<String, IscsiTarget> builtin = new LinkedHashMap<>();
    private final MeterRegistry meters;

    Targets(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The target that exports {@code backend}'s volumes. */
    VolumeTarget forBackend(BackendOptions backend) {
        TargetOptions options = backend.target();
        return switch (options.helper()) {
            case BUILTIN -> new BuiltinTarget(listening(options, backend.name()));
            case TGTADM -> TgtadmTarget.of(options);
        };
    }

    private synchronized IscsiTarget listening(TargetOptions options, String section) {
        String address = options.ipAddress() + ":" + options.port();
        IscsiTarget target = builtin.get(address);
        if (target == null) {
            target = new IscsiTarget(TargetConfig.defaults().withAddress(options.ipAddress(), options.port()), meters);
            try {
                target.start();
            } catch (IOException e) {
                throw new StartupException("[" + section + "] the builtin iSCSI target cannot listen on " + address
                        + " (target_ip_address, target_port): " + e.getMessage());
            }
            builtin.put(address, target);
        }
        return target;
    }

    /** Stops the builtin targets (closing their sessions); volumes' files are untouched. */
    @Override
    public synchronized void close() {
        for (IscsiTarget target : new ArrayList<>(builtin.values())) {
            target.close();
        }
        builtin.clear();
    }
}
