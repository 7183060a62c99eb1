package dev.basalt.bus;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;

/** A call that got no reply in time: the service it addressed is down or overloaded. */
public class BusTimeoutException extends BasaltException {
    public BusTimeoutException(String message) {
        super(Fault.SERVICE_UNAVAILABLE, message);
    }
}
