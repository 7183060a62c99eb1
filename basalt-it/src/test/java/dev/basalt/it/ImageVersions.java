package dev.basalt.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Answers an Image service's version discovery and nothing else. {@code openstack volume create}
 * builds an image client (which discovers its versions) even when no image is involved, as every
 * real cloud has Glance; this stands in for that much of Glance.
 */
final class ImageVersions implements AutoCloseable {
    private final HttpServer server;

    ImageVersions() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = """
                        {"versions": [{"id": "v2.16", "status": "CURRENT", "links": [{"rel": "self", "href": "%s/v2/"}]}]}
                        """.formatted(url());
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/") ? 300 : 404, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
