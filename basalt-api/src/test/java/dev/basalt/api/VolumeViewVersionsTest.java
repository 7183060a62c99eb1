package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.VolumeStatus;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The detailed volume view's fields, version by version, on show and on the detailed list. */
class VolumeViewVersionsTest {
    static final Set<String> BASE_FIELDS = Set.of("id", "status", "size", "availability_zone", "created_at",
            "updated_at", "name", "description", "volume_type", "snapshot_id", "source_volid", "metadata", "links",
            "user_id", "bootable", "encrypted", "replication_status", "consistencygroup_id", "multiattach",
            "attachments", "migration_status", "os-vol-host-attr:host", "os-vol-mig-status-attr:migstat",
            "os-vol-mig-status-attr:name_id", "os-vol-tenant-attr:tenant_id");
    static TestApi api;
    static String id;

    @BeforeAll
    static void start() {
        api = new TestApi();
        id = api.createVolume("versions", 3);
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static JsonNode show(String version) {
        return api.get(TestApi.p("/volumes/" + id), version).json().get("volume");
    }

    private static JsonNode detailListed(String version) {
        return api.get(TestApi.p("/volumes/detail"), version).json().get("volumes").get(0);
    }

    @Test
    void version30HasTheV2DetailFields() {
        assertThat(TestApi.fieldNames(show("3.0"))).isEqualTo(new java.util.TreeSet<>(BASE_FIELDS));
        assertThat(TestApi.fieldNames(detailListed("3.0"))).isEqualTo(new java.util.TreeSet<>(BASE_FIELDS));
        JsonNode v = show("3.0");
        assertThat(v.get("bootable").isTextual()).isTrue();
        assertThat(v.get("replication_status").asText()).isEqualTo("disabled");
        assertThat(v.get("volume_type").asText()).isEqualTo("__DEFAULT__");
    }

    @ParameterizedTest(name = "{0} adds {1}")
    @CsvSource({
        "3.13, group_id, 3.12",
        "3.21, provider_id, 3.20",
        "3.48, shared_targets, 3.47",
        "3.48, service_uuid, 3.47",
        "3.61, cluster_name, 3.60",
        "3.63, volume_type_id, 3.62",
        "3.65, consumes_quota, 3.64",
    })
    void fieldAppearsAtItsVersion(String version, String field, String before) {
        assertThat(show(version).has(field)).isTrue();
        assertThat(detailListed(version).has(field)).isTrue();
        assertThat(show(before).has(field)).isFalse();
        assertThat(detailListed(before).has(field)).isFalse();
    }

    @Test
    void valuesOfVersionedFields() {
        JsonNode v = show(Microversions.MAX.toString());
        assertThat(v.get("group_id").isNull()).isTrue();
        assertThat(v.get("provider_id").isNull()).isTrue();
        assertThat(v.get("shared_targets").asBoolean()).isTrue();
        assertThat(v.get("service_uuid").asText()).isEqualTo(api.volumeService.uuid());
        assertThat(v.get("cluster_name").isNull()).isTrue();
        assertThat(v.get("volume_type_id").asText()).isEqualTo(api.types.findByName("__DEFAULT__").orElseThrow().id());
        assertThat(v.get("consumes_quota").asBoolean()).isTrue();
        assertThat(v.has("encryption_key_id")).as("only for encrypted volumes").isFalse();
    }

    @Test
    void createAndUpdateAnswersLackExtensionAttributes() {
        JsonNode updated = api.put(TestApi.p("/volumes/" + id), "{\"volume\": {\"description\": \"x\"}}")
                .json().get("volume");
        assertThat(updated.has("os-vol-tenant-attr:tenant_id")).isFalse();
        assertThat(updated.get("description").asText()).isEqualTo("x");
    }
}
