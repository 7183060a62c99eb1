package dev.basalt.bus;

/** Answers one call method's messages with the reply. */
@FunctionalInterface
public interface Handler<A, R> {
    R handle(A args) throws Exception;
}
