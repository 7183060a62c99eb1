package dev.basalt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The metrics listener of a role without the API answers what the process's registry holds. */
class MetricsListenerTest {

    @Test
    void servesTheProcessMetricsInPrometheusText() throws Exception {
        try (ProcessMetrics metrics = new ProcessMetrics();
             MetricsListener listener = MetricsListener.start("127.0.0.1", 0, metrics)) {
            metrics.registry().counter("basalt.test.things").increment(3);

            HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(listener.url())).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(scrape.body()).contains("basalt_test_things_total 3.0").contains("jvm_memory_used_bytes")
                    .contains("process_uptime_seconds");
        }
    }
}
