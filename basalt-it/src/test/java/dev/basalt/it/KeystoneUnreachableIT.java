package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With auth_strategy = keystone and Keystone out of reach, requests answer 503 (never 500) and Basalt keeps running. */
class KeystoneUnreachableIT {
    @TempDir
    Path temp;

    @Test
    void keystoneOutOfReachIs503() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String section = """
                [keystone_authtoken]
                www_authenticate_uri = http://keystone.example:5000
                auth_url = http://127.0.0.1:%d/v3
                username = basalt
                password = secret
                project_name = service
                http_connect_timeout = 2
                http_request_max_retries = 1
                """.formatted(closedPort);
        try (BasaltProcess basalt = new BasaltProcess(temp.resolve("state"), "keystone", section).start()) {
            Api.Response r = Api.withToken(basalt.endpoint(), "p1", "some-token").get("/volumes");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body().path("serviceUnavailable").path("message").asText())
                    .isEqualTo("The Keystone service is temporarily unavailable.");

            Api.Response none = Api.withToken(basalt.endpoint(), "p1", null).get("/volumes");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.header("WWW-Authenticate")).isEqualTo("Keystone uri=\"http://keystone.example:5000\"");
            assertThat(basalt.log()).contains("cannot get Basalt's service token yet");
        }
    }
}
