package dev.basalt.bus;

/** A running {@link Bus#serve} registration; closing it stops delivery to its endpoint. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
