package dev.basalt.bus;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The caller's side of a call, alike on every transport: waits for the reply and answers its result,
 * raises the handler's failure as the same fault, or a {@link BusTimeoutException} when none came.
 */
public final class CallReplies {
    private CallReplies() {
    }

    /** Waits at most {@code waitNanos} for {@code reply} to the call of {@code method} sent to {@code to}. */
    public static <R> R await(CompletableFuture<Reply> reply, long waitNanos, MessageCodec codec, BusMeters meters,
                              Address to, RpcMethod<?, R> method, Duration timeout) {
        try {
            Reply answer = reply.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
            if (answer.failed()) {
                throw codec.toException(answer);
            }
            return codec.fromTree(answer.result(), method.replyType());
        } catch (TimeoutException e) {
            meters.timedOut(method);
            throw new BusTimeoutException("no reply from " + to + " to " + method + " within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusTimeoutException("interrupted while waiting for " + to + " to answer " + method);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
