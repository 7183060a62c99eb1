package dev.basalt.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Answers for the JDK's {@code HttpServer} stand-ins of services tests cannot run (a Keystone stub, a compute service). */
public final class JsonExchanges {
    private JsonExchanges() {
    }

    /** Sends {@code status} with the JSON text {@code body}. */
    public static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
