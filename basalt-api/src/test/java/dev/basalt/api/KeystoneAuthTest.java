package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.api.auth.KeystoneAuthenticator;
import dev.basalt.api.auth.KeystoneClient;
import dev.basalt.api.auth.ServiceCredentials;
import dev.basalt.api.auth.TokenCache;
import dev.basalt.api.policy.Policy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API with auth_strategy = keystone, against a stand-in Keystone that can misbehave on cue. */
class KeystoneAuthTest {
    static final String CHALLENGE = "Keystone uri=\"http://keystone.example:5000\"";
    StubKeystone keystone;
    TestApi api;

    @BeforeEach
    void start() throws Exception {
        keystone = new StubKeystone();
        KeystoneAuthenticator authenticator = new KeystoneAuthenticator(
                new KeystoneClient(URI.create(keystone.url()), Duration.ofSeconds(2), 1),
                new ServiceCredentials(StubKeystone.SERVICE_USER, StubKeystone.SERVICE_PASSWORD, "Default", null,
                        "service", "Default", null),
                new TokenCache(1000, Duration.ofMinutes(5)), Policy.cinderDefaults(), "http://keystone.example:5000",
                Clock.systemUTC());
        api = new TestApi(TestApi.settings(1000), authenticator);
    }

    @AfterEach
    void stop() {
        api.close();
        keystone.close();
    }

    TestApi.Reply as(String token, String method, String path, String body) {
        return api.call(method, path).token(token).body(body).send();
    }

    @Test
    void aValidTokenIsValidatedOnceThenCached() {
        String token = keystone.token("alice", TestApi.PROJECT, "member", "reader");
        assertThat(as(token, "GET", TestApi.p("/volumes"), null).status()).isEqualTo(200);
        assertThat(as(token, "GET", TestApi.p("/volumes/detail"), null).status()).isEqualTo(200);
        assertThat(as(token, "POST", TestApi.p("/volumes"), "{\"volume\": {\"size\": 1}}").status()).isEqualTo(202);
        assertThat(keystone.validations.get()).isEqualTo(1);
        assertThat(keystone.issued.get()).as("one service token serves every validation").isEqualTo(1);
    }

    @Test
    void concurrentRequestsWithOneNewTokenAskKeystoneOnce() throws Exception {
        String token = keystone.token("alice", TestApi.PROJECT, "member", "reader");
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(10)) {
            var replies = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 20; i++) {
                replies.add(pool.submit(() -> as(token, "GET", TestApi.p("/volumes"), null).status()));
            }
            for (var r : replies) {
                assertThat(r.get()).isEqualTo(200);
            }
        }
        assertThat(keystone.validations.get()).isEqualTo(1);
    }

    @Test
    void noTokenOrAnUnknownOneIs401NamingKeystone() {
        TestApi.Reply none = as(null, "GET", TestApi.p("/volumes"), null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.faultName()).isEqualTo("unauthorized");
        assertThat(none.faultMessage()).isEqualTo("The request you have made requires authentication.");
        assertThat(none.header("WWW-Authenticate")).isEqualTo(CHALLENGE);

        TestApi.Reply unknown = as("not-a-token", "GET", TestApi.p("/volumes"), null);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.header("WWW-Authenticate")).isEqualTo(CHALLENGE);
        as("not-a-token", "GET", TestApi.p("/volumes"), null);
        assertThat(keystone.validations.get()).as("a refusal is remembered too").isEqualTo(1);
        assertThat(as(null, "GET", "/v3/", null).status()).as("the versions need no token").isEqualTo(200);
    }

    @Test
    void theTokensProjectMustBeTheUrls() {
        String token = keystone.token("alice", TestApi.PROJECT, "member", "reader");
        TestApi.Reply r = as(token, "GET", "/v3/someoneelse/volumes", null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo("Malformed request url");
    }

    @Test
    void rolesDecide() {
        String reader = keystone.token("rita", TestApi.PROJECT, "reader");
        String admin = keystone.token("root", "adminproject", "admin", "member", "reader");
        String member = keystone.token("alice", TestApi.PROJECT, "member", "reader");
        String id = as(member, "POST", TestApi.p("/volumes"), "{\"volume\": {\"size\": 1}}").json()
                .path("volume").path("id").asText();

        TestApi.Reply denied = as(reader, "POST", TestApi.p("/volumes"), "{\"volume\": {\"size\": 1}}");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.faultMessage()).isEqualTo("Policy doesn't allow volume:create to be performed.");
        assertThat(as(reader, "GET", TestApi.p("/volumes/" + id), null).status()).isEqualTo(200);
        assertThat(as(member, "GET", TestApi.p("/volumes/" + id), null).json().path("volume")
                .has("os-vol-host-attr:host")).isFalse();

        TestApi.Reply shown = as(admin, "GET", "/v3/adminproject/volumes/" + id, null);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().path("volume").has("os-vol-host-attr:host")).isTrue();
        assertThat(as(admin, "GET", "/v3/adminproject/volumes?all_tenants=1", null).text()).contains(id);
        assertThat(as(admin, "GET", "/v3/adminproject/volumes", null).text()).doesNotContain(id);
    }

    @Test
    void aRejectedServiceTokenIsRenewed() {
        String token = keystone.token("alice", TestApi.PROJECT, "member", "reader");
        assertThat(as(token, "GET", TestApi.p("/volumes"), null).status()).isEqualTo(200);
        keystone.revokeServiceTokens();
        String another = keystone.token("bob", TestApi.PROJECT, "member", "reader");
        assertThat(as(another, "GET", TestApi.p("/volumes"), null).status()).isEqualTo(200);
        assertThat(keystone.issued.get()).isEqualTo(2);
    }

    @Test
    void keystoneOutOfReachIs503AndCachedTokensStillWork() {
        String cached = keystone.token("alice", TestApi.PROJECT, "member", "reader");
        String fresh = keystone.token("bob", TestApi.PROJECT, "member", "reader");
        assertThat(as(cached, "GET", TestApi.p("/volumes"), null).status()).isEqualTo(200);
        keystone.close();

        TestApi.Reply r = as(fresh, "GET", TestApi.p("/volumes"), null);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.faultName()).isEqualTo("serviceUnavailable");
        assertThat(r.faultMessage()).isEqualTo("The Keystone service is temporarily unavailable.");
        assertThat(as(cached, "GET", TestApi.p("/volumes"), null).status()).isEqualTo(200);
    }
}
