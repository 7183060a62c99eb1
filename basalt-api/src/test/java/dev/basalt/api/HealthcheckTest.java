package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /healthcheck}: what a load balancer asks, without a token. */
class HealthcheckTest {
    private final TestApi api = new TestApi();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        api.close();
    }

    private HttpResponse<String> healthcheck(String method) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api.base + Healthcheck.PATH))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersOkWithoutAToken() throws Exception {
        HttpResponse<String> ok = healthcheck("GET");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("OK");
        assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(healthcheck("HEAD").statusCode()).isEqualTo(200);
    }

    @Test
    void answers503WhenTheDatabaseIsGone() throws Exception {
        api.db.close();
        HttpResponse<String> down = healthcheck("GET");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("database unreachable");
    }

    @Test
    void aRequestWhileTheDatabaseIsGoneAnswers503NotA500() {
        api.db.close();
        TestApi.Reply reply = api.get(TestApi.p("/volumes"));
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.json().get("serviceUnavailable").get("message").asText()).contains("database cannot be reached");
    }
}
