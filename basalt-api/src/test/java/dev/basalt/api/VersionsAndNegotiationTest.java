package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VersionsAndNegotiationTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void rootListsV3WithMultipleChoices() {
        TestApi.Reply r = api.call("GET", "/").token(null).send();
        assertThat(r.status()).isEqualTo(300);
        JsonNode v = r.json().get("versions").get(0);
        assertThat(v.get("id").asText()).isEqualTo("v3.0");
        assertThat(v.get("status").asText()).isEqualTo("CURRENT");
        assertThat(v.get("min_version").asText()).isEqualTo("3.0");
        assertThat(v.get("version").asText()).isEqualTo(Microversions.MAX.toString());
        assertThat(v.get("links").get(1).get("href").asText()).isEqualTo(api.base + "/v3/");
        assertThat(v.get("media-types").get(0).get("type").asText())
                .isEqualTo("application/vnd.openstack.volume+json;version=3");
        assertThat(r.header("OpenStack-API-Version")).isEqualTo("volume 3.0");
        assertThat(r.header("Vary")).isEqualTo("OpenStack-API-Version");
        assertThat(r.header("x-openstack-request-id")).startsWith("req-");
    }

    @Test
    void v3DocumentIsOkWithAndWithoutSlash() {
        for (String path : new String[] {"/v3/", "/v3"}) {
            TestApi.Reply r = api.call("GET", path).token(null).send();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("versions").get(0).get("id").asText()).isEqualTo("v3.0");
        }
    }

    @Test
    void negotiatesRequestedVersion() {
        assertThat(api.get(TestApi.p("/volumes")).header("OpenStack-API-Version")).isEqualTo("volume 3.0");
        assertThat(api.get(TestApi.p("/volumes"), "3.5").header("OpenStack-API-Version")).isEqualTo("volume 3.5");
        assertThat(api.get(TestApi.p("/volumes"), "volume latest").header("OpenStack-API-Version"))
                .isEqualTo("volume " + Microversions.MAX);
        assertThat(api.get(TestApi.p("/volumes"), "compute 2.1, volume 3.40").header("OpenStack-API-Version"))
                .isEqualTo("volume 3.40");
    }

    @Test
    void unsupportedVersionIsNotAcceptable() {
        TestApi.Reply r = api.get(TestApi.p("/volumes"), "3.99");
        assertThat(r.status()).isEqualTo(406);
        assertThat(r.faultMessage()).contains("3.99").contains("Minimum is 3.0").contains("maximum is " + Microversions.MAX);
        assertThat(r.faultName()).isEqualTo("computeFault");
        assertThat(r.header("OpenStack-API-Version")).isEqualTo("volume 3.0");
        assertThat(r.header("x-openstack-request-id")).startsWith("req-");
        assertThat(api.get(TestApi.p("/volumes"), "2.0").status()).isEqualTo(406);
        assertThat(api.get(TestApi.p("/volumes")).status()).isEqualTo(200);
    }

    @Test
    void malformedVersionHeaderIsBadRequest() {
        for (String header : new String[] {"abc", "volume abc", "volume 3.05", "volume 3", "compute 2.1"}) {
            TestApi.Reply r = api.get(TestApi.p("/volumes"), header.contains(" ") ? header : header + " ");
            assertThat(r.status()).as(header).isEqualTo(400);
            assertThat(r.faultName()).isEqualTo("badRequest");
        }
        TestApi.Reply abc = api.call("GET", TestApi.p("/volumes")).header("OpenStack-API-Version", "abc").send();
        assertThat(abc.status()).isEqualTo(400);
        assertThat(abc.faultMessage()).isNotBlank();
        assertThat(api.get(TestApi.p("/volumes")).status()).isEqualTo(200);
    }
}
