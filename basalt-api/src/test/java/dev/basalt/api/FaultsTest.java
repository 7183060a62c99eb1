package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Faults that do not come from a resource: transport-level refusals and unexpected failures. */
class FaultsTest {
    private static String raw(TestApi api, String requestLine) throws IOException {
        URI base = URI.create(api.base);
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write((requestLine + "\r\nHost: " + base.getAuthority() + "\r\nX-Auth-Token: " + TestApi.TOKEN
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void malformedUrisGetAFaultBody() throws IOException {
        try (TestApi api = new TestApi()) {
            String answer = raw(api, "GET /v3/" + TestApi.PROJECT + "/volumes/%zz HTTP/1.1");
            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer).contains("{\"badRequest\":{\"code\":400,\"message\":\"Malformed request");
            assertThat(answer).containsIgnoringCase("OpenStack-API-Version: volume 3.0");
            assertThat(api.get(TestApi.p("/volumes")).status()).isEqualTo(200);
        }
    }

    @Test
    void aPathWithAnEmptySegmentIsNoRouteWhateverTheMethod() {
        try (TestApi api = new TestApi()) {
            for (String call : new String[] {"GET /volumes/", "DELETE /volumes/", "PUT /volumes/", "POST /volumes/",
                    "GET /volumes/detail/", "GET /snapshots/", "DELETE /snapshots/", "GET /types/",
                    "POST /volumes//action", "GET /volumes//detail"}) {
                String[] parts = call.split(" ");
                TestApi.Reply r = api.call(parts[0], TestApi.p(parts[1])).body("{}").send();
                assertThat(r.status()).as(call).isEqualTo(404);
                assertThat(r.faultMessage()).as(call).isEqualTo("The resource could not be found.");
            }
            assertThat(api.get(TestApi.p("/volumes")).status()).isEqualTo(200);
            assertThat(api.call("GET", "/v3/").token(null).send().status()).as("the version document").isEqualTo(200);
        }
    }

    @Test
    void aDatabaseOutOfReachIsAServiceUnavailableFaultAndTheServerKeepsServing() {
        try (TestApi api = new TestApi()) {
            api.db.close();
            TestApi.Reply r = api.get(TestApi.p("/volumes"));
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.faultName()).isEqualTo("serviceUnavailable");
            assertThat(r.faultMessage()).doesNotContain("Exception").doesNotContain("jdbc");
            assertThat(r.header("x-openstack-request-id")).startsWith("req-");
            assertThat(api.call("GET", "/").token(null).send().status()).isEqualTo(300);
        }
    }
}
