package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a project member who is not an administrator may do with quotas and limits. */
class QuotaMemberTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aMemberReadsItsOwnQuotasButNoOneElses() {
        assertThat(api.get(TestApi.p("/os-quota-sets/" + TestApi.PROJECT)).status()).isEqualTo(200);
        assertThat(api.get(TestApi.p("/os-quota-sets/" + TestApi.PROJECT + "?usage=True")).status()).isEqualTo(200);
        assertThat(api.get(TestApi.p("/os-quota-sets/" + TestApi.PROJECT + "/defaults")).status()).isEqualTo(200);
        TestApi.Reply other = api.get(TestApi.p("/os-quota-sets/someone-else"));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.faultName()).isEqualTo("forbidden");
        assertThat(other.faultMessage())
                .isEqualTo("Policy doesn't allow volume_extension:quotas:show to be performed.");
        assertThat(api.get(TestApi.p("/os-quota-sets/someone-else/defaults")).status()).isEqualTo(403);
    }

    @Test
    void onlyAdministratorsChangeQuotasAndClasses() {
        TestApi.Reply update = api.put(TestApi.p("/os-quota-sets/" + TestApi.PROJECT),
                "{\"quota_set\": {\"volumes\": 100}}");
        assertThat(update.status()).isEqualTo(403);
        assertThat(update.faultMessage()).isEqualTo("Policy doesn't allow volume_extension:quotas:update to be"
                + " performed.");
        assertThat(api.delete(TestApi.p("/os-quota-sets/" + TestApi.PROJECT)).status()).isEqualTo(403);
        assertThat(api.get(TestApi.p("/os-quota-class-sets/default")).status()).isEqualTo(403);
        assertThat(api.put(TestApi.p("/os-quota-class-sets/default"), "{\"quota_class_set\": {\"volumes\": 1}}")
                .status()).isEqualTo(403);
        assertThat(api.quotas.projectLimits(TestApi.PROJECT)).isEmpty();
        assertThat(api.quotas.classLimits("default")).isEmpty();
    }

    @Test
    void aMemberSeesOnlyItsOwnLimitsWhateverItAsks() {
        api.call("PUT", "/v3/adminproject/os-quota-sets/someone-else").token("root:adminproject:admin")
                .body("{\"quota_set\": {\"volumes\": 1}}").send();
        TestApi.Reply r = api.get(TestApi.p("/limits?project_id=someone-else"), "3.39");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("limits").get("absolute").get("maxTotalVolumes").asInt()).isEqualTo(10);
    }
}
