package dev.basalt.bus.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.ShutdownSignalException;

/** Reads what went wrong out of amqp-client's exceptions, for one-line messages and retry decisions. */
final class AmqpFailures {
    private AmqpFailures() {
    }

    /** The broker's or the socket's reason, e.g. {@code 320 CONNECTION_FORCED - broker forced connection closure…}. */
    static String reason(ShutdownSignalException signal) {
        Object method = signal.getReason();
        if (method instanceof AMQP.Connection.Close close) {
            return close.getReplyCode() + " " + close.getReplyText();
        }
        if (method instanceof AMQP.Channel.Close close) {
            return close.getReplyCode() + " " + close.getReplyText();
        }
        return signal.getCause() != null ? signal.getCause().toString() : String.valueOf(signal.getMessage());
    }

    /** The reason of the shutdown behind {@code failure}, else its message. */
    static String describe(Throwable failure) {
        ShutdownSignalException signal = signalOf(failure);
        return signal != null ? reason(signal) : String.valueOf(failure.getMessage());
    }

    /**
     * True when the broker refused an operation on a channel (access, a queue declared with other
     * arguments, a missing exchange): retrying will not help. A lost connection is not refusal.
     */
    static boolean refusedByBroker(Throwable failure) {
        ShutdownSignalException signal = signalOf(failure);
        return signal != null && !signal.isHardError() && !(signal instanceof AlreadyClosedException)
                && signal.getReason() instanceof AMQP.Channel.Close;
    }

    static ShutdownSignalException signalOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException signal) {
                return signal;
            }
        }
        return null;
    }
}
