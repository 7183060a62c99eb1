package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: what Prometheus scrapes, without a token, with every request counted by route template. */
class MetricsTest {
    private static final String REQUESTS = "basalt_http_server_requests_seconds";

    private final TestApi api = new TestApi();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        api.close();
    }

    private HttpResponse<String> scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api.base + MetricsHandler.PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String series(String method, String route, int status) {
        return "{method=\"" + method + "\",route=\"" + route + "\",status=\"" + status + "\"}";
    }

    @Test
    void answersPrometheusTextWithoutATokenCountingRequestsByRouteTemplate() throws Exception {
        String id = api.createVolume("metered", 1);
        assertThat(api.get(TestApi.p("/volumes/" + id)).status()).isEqualTo(200);
        assertThat(api.get(TestApi.p("/volumes/" + id + "/nothing-here")).status()).isEqualTo(404);
        assertThat(api.call("GET", TestApi.p("/volumes")).token(null).send().status()).isEqualTo(401);

        // a request is counted once its answer is written: the client may see the answer first
        HttpResponse<String> metrics = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(this::scrape, m -> m.body().contains(REQUESTS + "_count" + series("GET", "/v3/{project_id}/volumes", 401)));

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue(MetricsHandler.CONTENT_TYPE);
        String text = metrics.body();
        assertThat(text).contains("# TYPE " + REQUESTS + " histogram")
                .contains(REQUESTS + "_count" + series("POST", "/v3/{project_id}/volumes", 202) + " 1")
                .contains(REQUESTS + "_count" + series("GET", "/v3/{project_id}/volumes/{id}", 200) + " 1")
                .contains(REQUESTS + "_count" + series("GET", "unmatched", 404) + " 1")
                .contains(REQUESTS + "_count" + series("GET", "/v3/{project_id}/volumes", 401) + " 1")
                .contains(REQUESTS + "_bucket{method=\"POST\",route=\"/v3/{project_id}/volumes\",status=\"202\",le=\"+Inf\"} 1")
                .doesNotContain(id)
                .doesNotContain(TestApi.PROJECT);
    }
}
