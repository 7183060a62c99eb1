package dev.basalt.bus;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test server of the contract's methods that records what it handled. A gated recorder holds
 * every {@code note} until {@link #release()}, to see what a server does while its handlers run.
 */
public final class Recorder {
    /** The argument and reply of the test methods. */
    public record Text(String value) {
    }

    public static final RpcMethod<Text, Void> NOTE = RpcMethod.cast("note", "1.0", Text.class);
    public static final RpcMethod<Text, Void> BROKEN = RpcMethod.cast("broken", "1.0", Text.class);
    public static final RpcMethod<Text, Text> ECHO = RpcMethod.call("echo", "1.3", Text.class, Text.class);
    public static final RpcMethod<Text, Text> FAIL = RpcMethod.call("fail", "1.0", Text.class, Text.class);

    public final String name;
    /** Notes whose handler started, and finished, in order. */
    public final List<String> started = new CopyOnWriteArrayList<>();
    public final List<String> notes = new CopyOnWriteArrayList<>();
    public final AtomicInteger echoes = new AtomicInteger();
    public final AtomicInteger brokenRuns = new AtomicInteger();
    public final AtomicInteger running = new AtomicInteger();
    public final AtomicInteger mostRunning = new AtomicInteger();
    private final CountDownLatch gate;

    private Recorder(String name, boolean gated) {
        this.name = name;
        this.gate = new CountDownLatch(gated ? 1 : 0);
    }

    public static Recorder of(String name) {
        return new Recorder(name, false);
    }

    /** A recorder whose note handlers wait until {@link #release()}. */
    public static Recorder gated(String name) {
        return new Recorder(name, true);
    }

    public void release() {
        gate.countDown();
    }

    public Endpoint endpoint() {
        return Endpoint.builder()
                .onCast(NOTE, this::note)
                .onCast(BROKEN, args -> {
                    brokenRuns.incrementAndGet();
                    throw new IllegalStateException("a handler bug");
                })
                .onCall(ECHO, args -> {
                    echoes.incrementAndGet();
                    return new Text(name + ":" + args.value());
                })
                .onCall(FAIL, args -> {
                    throw new BasaltException(Fault.CONFLICT, "volume " + args.value() + " is busy");
                })
                .build();
    }

    private void note(Text args) throws InterruptedException {
        int now = running.incrementAndGet();
        mostRunning.accumulateAndGet(now, Math::max);
        started.add(args.value());
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            notes.add(args.value());
        } finally {
            running.decrementAndGet();
        }
    }
}
