package dev.basalt.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.basalt.testkit.JsonExchanges;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the compute service (Nova cannot run on these machines): a small HTTP server on
 * 127.0.0.1 that answers {@code GET /v2.1/servers/{server}/os-volume_attachments/{volume}} as Nova's
 * API does at microversion 2.89: 200 with the {@code volumeAttachment} (and its
 * {@code attachment_id}) for a volume the test said the server has, 404 {@code itemNotFound}
 * otherwise, 401 without a token. It remembers each question (token and microversion asked with).
 */
final class ComputeStandIn implements AutoCloseable {
    private static final Pattern PATH = Pattern.compile("/v2\\.1/servers/([^/]+)/os-volume_attachments/([^/]+)");

    /** One question: the X-Auth-Token and the OpenStack-API-Version it came with, and the path. */
    record Question(String token, String microversion, String path) {
    }

    private final HttpServer server;
    private final Map<String, String> attached = new ConcurrentHashMap<>();
    private final List<Question> questions = new CopyOnWriteArrayList<>();

    ComputeStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    /** The endpoint to list in the catalog: {@code http://127.0.0.1:port/v2.1}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2.1";
    }

    /** From now on, {@code server} has {@code volume} through {@code attachmentId}. */
    void attach(String serverId, String volumeId, String attachmentId) {
        attached.put(serverId + "/" + volumeId, attachmentId);
    }

    /** From now on, {@code server} does not have {@code volume}. */
    void detach(String serverId, String volumeId) {
        attached.remove(serverId + "/" + volumeId);
    }

    List<Question> questions() {
        return List.copyOf(questions);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
            String path = exchange.getRequestURI().getPath();
            questions.add(new Question(token, exchange.getRequestHeaders().getFirst("OpenStack-API-Version"), path));
            Matcher m = PATH.matcher(path);
            if (token == null) {
                JsonExchanges.send(exchange, 401, "{\"error\": {\"code\": 401, \"title\": \"Unauthorized\","
                        + " \"message\": \"The request you have made requires authentication.\"}}");
            } else if (!exchange.getRequestMethod().equals("GET") || !m.matches()) {
                JsonExchanges.send(exchange, 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"Not found\"}}");
            } else {
                String attachmentId = attached.get(m.group(1) + "/" + m.group(2));
                if (attachmentId == null) {
                    JsonExchanges.send(exchange, 404, "{\"itemNotFound\": {\"code\": 404, \"message\": \"volume_id not found: "
                            + m.group(2) + "\"}}");
                } else {
                    JsonExchanges.send(exchange, 200, """
                            {"volumeAttachment": {"device": "/dev/vdb", "serverId": "%1$s", "volumeId": "%2$s",
                             "tag": null, "delete_on_termination": false, "attachment_id": "%3$s",
                             "bdm_uuid": "0b1e4c2a-9d7f-4b7e-8a51-2f6f2d0a7c11"}}""".formatted(m.group(1), m.group(2),
                            attachmentId));
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
