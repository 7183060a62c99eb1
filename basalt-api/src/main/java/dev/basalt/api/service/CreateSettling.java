package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.Bus;
import dev.basalt.bus.Subscription;
import dev.basalt.common.Ids;
import dev.basalt.rpc.ApiRpc;
import dev.basalt.rpc.VolumeSettled;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets a create request wait, briefly and boundedly, for its volume to leave {@code creating}, so
 * the answer already shows {@code available} (or {@code error}) when the work is quick. Learns of
 * settled volumes from {@link ApiRpc#volumeSettled} fanouts; a request that is not told in time
 * answers with the volume still {@code creating}, exactly as without this.
 */
public final class CreateSettling implements AutoCloseable {
    private final Bus bus;
    private final Duration maxWait;
    private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
    private Subscription subscription;

    public CreateSettling(Bus bus, Duration maxWait) {
        this.bus = requireNonNull(bus, "bus");
        this.maxWait = requireNonNull(maxWait, "maxWait");
    }

    /** Starts listening; each API process is its own server of the {@code api} topic. */
    public synchronized void start(String host) {
        if (subscription == null) {
            subscription = ApiRpc.serve(bus, host + "-" + Ids.newId(), settled -> {
                CompletableFuture<String> future = waiting.get(settled.volumeId());
                if (future != null) {
                    future.complete(settled.status());
                }
            });
        }
    }

    /** Registers interest in a volume before its work is sent, so no announcement is missed. */
    Waiter expect(String volumeId) {
        CompletableFuture<String> future = new CompletableFuture<>();
        waiting.put(volumeId, future);
        return new Waiter(volumeId, future);
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    /** One create request's wait. */
    final class Waiter implements AutoCloseable {
        private final String volumeId;
        private final CompletableFuture<String> future;

        private Waiter(String volumeId, CompletableFuture<String> future) {
            this.volumeId = volumeId;
            this.future = future;
        }

        /** True when the volume settled within the bound. */
        boolean awaitSettled() {
            if (maxWait.isZero() || subscription == null) {
                return false;
            }
            try {
                future.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException | ExecutionException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void close() {
            waiting.remove(volumeId, future);
        }
    }
}
