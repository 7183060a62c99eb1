package dev.basalt.bus;

/** Handles one method's messages; returns the reply of a call (null for none). */
@FunctionalInterface
public interface Handler<A> {
    Object handle(A args) throws Exception;
}
