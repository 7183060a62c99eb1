package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.PoolCapacity;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.PoolsQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /scheduler-stats/get_pools}, {@code /capabilities/{host}}, {@code /os-hosts} and the
 * extensions that announce them, as Cinder answers them: admin only, Cinder's fields and values,
 * the get_pools filters by microversion, Cinder's 404s and 400s.
 */
class PoolsHostsCapabilitiesTest {
    private static final Instant REPORTED = Instant.parse("2026-12-07T10:00:01.123456Z");
    private TestApi api;

    @BeforeEach
    void start() {
        api = new TestApi();
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("volume_backend_name", "file");
        caps.put("vendor_name", "Basalt");
        caps.put("driver_version", "1.0.0");
        caps.put("storage_protocol", "iSCSI");
        caps.put("multiattach", false);
        caps.put("QoS_support", true);
        caps.put("cacheable", true);
        caps.put("backend_state", "up");
        api.pools.add(new PoolCapacity(TestApi.BACKEND, "file", "file", "nova", 100.5, 80.25, 12, 20.0, 0, true, false,
                caps, REPORTED));
        api.pools.add(new PoolCapacity("test@other", "other", "other", "nova", Double.POSITIVE_INFINITY, 10, 0, 1.5, 5,
                false, true, Map.of("storage_protocol", "iSCSI"), REPORTED));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static List<String> fields(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void getPoolsListsNamesAndInDetailCindersCapabilities() {
        JsonNode pools = api.get(TestApi.p("/scheduler-stats/get_pools")).json();
        assertThat(fields(pools)).containsExactly("pools");
        assertThat(pools.get("pools")).hasSize(2);
        assertThat(fields(pools.get("pools").get(0))).containsExactly("name");
        assertThat(pools.get("pools").get(0).get("name").asText()).isEqualTo("test@file#file");
        assertThat(api.poolQueries.get(0).isAll()).isTrue();

        JsonNode detail = api.get(TestApi.p("/scheduler-stats/get_pools?detail=True")).json().get("pools");
        JsonNode file = detail.get(0);
        assertThat(fields(file)).containsExactly("name", "capabilities");
        JsonNode caps = file.get("capabilities");
        assertThat(fields(caps)).containsExactlyInAnyOrder("pool_name", "total_capacity_gb", "free_capacity_gb",
                "allocated_capacity_gb", "provisioned_capacity_gb", "reserved_percentage",
                "max_over_subscription_ratio", "thin_provisioning_support", "thick_provisioning_support",
                "volume_backend_name", "vendor_name", "driver_version", "storage_protocol", "multiattach", "QoS_support",
                "cacheable", "backend_state", "filter_function", "goodness_function", "timestamp");
        assertThat(caps.get("pool_name").asText()).isEqualTo("file");
        assertThat(caps.get("total_capacity_gb").asDouble()).isEqualTo(100.5);
        assertThat(caps.get("free_capacity_gb").asDouble()).isEqualTo(80.25);
        assertThat(caps.get("allocated_capacity_gb").asDouble()).isEqualTo(12.0);
        assertThat(caps.get("reserved_percentage").isInt()).isTrue();
        assertThat(caps.get("max_over_subscription_ratio").asText()).as("as the configured text").isEqualTo("20.0");
        assertThat(caps.get("thin_provisioning_support").asBoolean()).isTrue();
        assertThat(caps.get("QoS_support").isBoolean()).isTrue();
        assertThat(caps.get("filter_function").isNull()).isTrue();
        assertThat(caps.get("goodness_function").isNull()).isTrue();
        assertThat(caps.get("timestamp").asText()).isEqualTo("2026-12-07T10:00:01.123456");
        assertThat(detail.get(1).get("capabilities").get("total_capacity_gb").asText()).isEqualTo("infinite");
        assertThat(api.get(TestApi.p("/scheduler-stats/get_pools?detail=maybe")).faultMessage())
                .isEqualTo("Value 'maybe' for 'detail' is not a boolean.");
    }

    @Test
    void filtersFollowTheMicroversion() {
        String path = TestApi.p("/scheduler-stats/get_pools?name=test@file%23file&storage_protocol=iSCSI");
        assertThat(api.get(path, "3.27").status()).isEqualTo(200);
        assertThat(last().isAll()).as("before 3.28 filters are ignored").isTrue();

        assertThat(api.get(path, "3.28").status()).isEqualTo(200);
        assertThat(last()).isEqualTo(new PoolsQuery("test@file#file", Map.of("storage_protocol", "iSCSI"), null));

        TestApi.Reply invalid = api.get(path, "3.31");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.faultMessage()).isEqualTo("Invalid filters storage_protocol are found in query options.");

        assertThat(api.get(TestApi.p("/scheduler-stats/get_pools?name=x&all_tenants=1"), "3.31").status())
                .isEqualTo(200);
        assertThat(last()).isEqualTo(new PoolsQuery("x", Map.of(), null));

        api.types.create("gold", null, true, Map.of("volume_backend_name", "file"));
        assertThat(api.get(TestApi.p("/scheduler-stats/get_pools?volume_type=gold"), "3.34").status()).isEqualTo(200);
        assertThat(last().isAll()).as("volume_type only from 3.35").isTrue();
        assertThat(api.get(TestApi.p("/scheduler-stats/get_pools?volume_type=gold"), "3.35").status()).isEqualTo(200);
        assertThat(last().volumeTypeExtraSpecs()).isEqualTo(Map.of("volume_backend_name", "file"));
        TestApi.Reply unknown = api.get(TestApi.p("/scheduler-stats/get_pools?volume_type=lead"), "3.35");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.faultMessage()).isEqualTo("Volume type with name lead could not be found.");
    }

    private PoolsQuery last() {
        return api.poolQueries.get(api.poolQueries.size() - 1);
    }

    @Test
    void capabilitiesOfABackendAsCindersView() {
        JsonNode caps = api.get(TestApi.p("/capabilities/test@file")).json();
        assertThat(fields(caps)).containsExactly("namespace", "vendor_name", "volume_backend_name", "pool_name",
                "driver_version", "storage_protocol", "display_name", "description", "visibility",
                "replication_targets", "properties");
        assertThat(caps.get("namespace").asText()).isEqualTo("OS::Storage::Capabilities::test@file");
        assertThat(caps.get("vendor_name").asText()).isEqualTo("Basalt");
        assertThat(caps.get("volume_backend_name").asText()).isEqualTo("file");
        assertThat(caps.get("pool_name").isNull()).isTrue();
        assertThat(caps.get("storage_protocol").asText()).isEqualTo("iSCSI");
        assertThat(caps.get("replication_targets")).isEmpty();
        assertThat(fields(caps.get("properties"))).containsExactly("thin_provisioning", "compression", "qos",
                "replication_enabled");
        assertThat(caps.get("properties").get("qos").toString())
                .isEqualTo("{\"title\":\"QoS\",\"description\":\"Enables QoS.\",\"type\":\"boolean\"}");
        assertThat(api.get(TestApi.p("/capabilities/test")).json().get("namespace").asText())
                .as("a host finds its volume service").isEqualTo("OS::Storage::Capabilities::test@file");

        TestApi.Reply unknown = api.get(TestApi.p("/capabilities/nowhere"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.faultMessage()).isEqualTo("Can't find service: nowhere");

        api.pools.clear();
        TestApi.Reply silent = api.get(TestApi.p("/capabilities/test@file"));
        assertThat(silent.status()).as("no report from the backend").isEqualTo(502);
        assertThat(silent.faultMessage()).isEqualTo("Timeout while requesting capabilities from backend test@file.");
    }

    @Test
    void hostsListsEnabledServicesWithCindersFields() {
        JsonNode hosts = api.get(TestApi.p("/os-hosts")).json().get("hosts");
        assertThat(hosts).hasSize(3);
        JsonNode volume = null;
        for (JsonNode h : hosts) {
            assertThat(fields(h)).containsExactly("host_name", "service", "zone", "service-status", "service-state",
                    "last-update");
            if (h.get("service").asText().equals("cinder-volume")) {
                volume = h;
            }
        }
        assertThat(volume.get("host_name").asText()).isEqualTo(TestApi.BACKEND);
        assertThat(volume.get("zone").asText()).isEqualTo("nova");
        assertThat(volume.get("service-status").asText()).isEqualTo("available");
        assertThat(volume.get("service-state").asText()).isEqualTo("enabled");
        assertThat(api.get(TestApi.p("/os-hosts?zone=elsewhere")).json().get("hosts")).isEmpty();

        api.services.setDisabled(TestApi.BACKEND, "cinder-volume", true, "maintenance");
        assertThat(api.get(TestApi.p("/os-hosts")).json().get("hosts")).as("disabled services are left out")
                .hasSize(2);
    }

    @Test
    void hostShowsUsagePerProjectAsStrings() {
        Instant now = Instant.now();
        api.volumes.create(volume("p1", 3, now));
        api.volumes.create(volume("p1", 2, now));
        api.volumes.create(volume("p2", 1, now));

        JsonNode rows = api.get(TestApi.p("/os-hosts/" + TestApi.BACKEND)).json().get("host");
        assertThat(rows).hasSize(3);
        JsonNode total = rows.get(0).get("resource");
        assertThat(fields(rows.get(0))).containsExactly("resource");
        assertThat(fields(total)).containsExactlyInAnyOrder("host", "project", "volume_count", "total_volume_gb",
                "snapshot_count", "total_snapshot_gb");
        assertThat(total.get("project").asText()).isEqualTo("(total)");
        assertThat(total.get("volume_count").asText()).isEqualTo("3");
        assertThat(total.get("total_volume_gb").asText()).isEqualTo("6");
        assertThat(total.get("snapshot_count").asText()).isEqualTo("0");
        assertThat(rows.get(1).get("resource").get("project").asText()).isEqualTo("p1");
        assertThat(rows.get(1).get("resource").get("total_volume_gb").asText()).isEqualTo("5");

        TestApi.Reply unknown = api.get(TestApi.p("/os-hosts/test"));
        assertThat(unknown.status()).as("only a volume service's exact host").isEqualTo(404);
        assertThat(unknown.faultMessage()).isEqualTo("Service cinder-volume could not be found on host test.");
    }

    private static Volume volume(String project, int size, Instant now) {
        return new Volume(dev.basalt.common.Ids.newId(), project, "u", "v", null, size, VolumeStatus.AVAILABLE,
                AttachStatus.DETACHED, "nova", TestApi.BACKEND + "#file", null, false, false, null, null, null, null,
                Map.of(), now, null, null);
    }

    @Test
    void hostUpdateChecksLikeCinderThenIsNotImplemented() {
        String path = TestApi.p("/os-hosts/" + TestApi.BACKEND);
        TestApi.Reply ok = api.put(path, "{\"status\": \"Enable\"}");
        assertThat(ok.status()).isEqualTo(501);
        assertThat(ok.faultMessage()).contains("/os-services/enable");
        assertThat(api.put(path, "{\"status\": \"sleep\"}").faultMessage()).isEqualTo("Invalid status: 'sleep'");
        assertThat(api.put(path, "{\"colour\": \"red\"}").faultMessage())
                .isEqualTo("Invalid update setting: 'colour'");
        TestApi.Reply unknown = api.put(TestApi.p("/os-hosts/nowhere"), "{\"status\": \"enable\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.faultMessage()).isEqualTo("Host nowhere could not be found.");
    }

    @Test
    void membersAndReadersAreForbidden() {
        try (TestApi members = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS)) {
            for (String token : List.of(TestApi.TOKEN, TestApi.TOKEN + ":reader")) {
                for (String path : List.of("/scheduler-stats/get_pools", "/capabilities/test@file", "/os-hosts",
                        "/os-hosts/" + TestApi.BACKEND)) {
                    TestApi.Reply reply = members.call("GET", TestApi.p(path)).token(token).send();
                    assertThat(reply.status()).as(path + " as " + token).isEqualTo(403);
                }
            }
            assertThat(members.call("GET", TestApi.p("/scheduler-stats/get_pools")).token(TestApi.TOKEN).send()
                    .faultMessage()).isEqualTo(
                            "Policy doesn't allow scheduler_extension:scheduler_stats:get_pools to be performed.");
            assertThat(members.call("GET", TestApi.p("/os-hosts")).token(TestApi.TOKEN + ":admin").send().status())
                    .isEqualTo(200);
        }
    }

    @Test
    void extensionsAnnounceTheseResources() {
        JsonNode list = api.get(TestApi.p("/extensions")).json().get("extensions");
        List<String> aliases = new ArrayList<>();
        list.forEach(e -> aliases.add(e.get("alias").asText()));
        assertThat(aliases).contains("scheduler-stats", "capabilities", "os-hosts");
        JsonNode stats = api.get(TestApi.p("/extensions/scheduler-stats")).json().get("extension");
        assertThat(fields(stats)).containsExactly("name", "alias", "description", "updated", "links");
        assertThat(stats.get("name").asText()).isEqualTo("Scheduler_stats");
        assertThat(stats.get("description").asText()).isEqualTo("Scheduler stats support.");
        assertThat(stats.get("updated").asText()).isEqualTo("2014-09-07T00:00:00+00:00");
    }
}
