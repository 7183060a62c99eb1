package dev.basalt.bus;

/** Handles one cast or fanout method's messages; nothing is answered. */
@FunctionalInterface
public interface CastHandler<A> {
    void handle(A args) throws Exception;
}
