package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same user story through python3-openstackclient ({@code openstack volume …}). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenStackCliIT {

    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth(null);
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        cli = basalt.cli("u2", "p2");
    }

    private JsonNode json(String... args) throws Exception {
        return cli.openstackJson(args);
    }

    private JsonNode awaitStatus(String nameOrId, String status) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> json("volume", "show", nameOrId), v -> status.equals(v.path("status").asText()));
    }

    @Test
    void volumeLifecycleThroughOpenstack() throws Exception {
        JsonNode created = json("volume", "create", "--size", "1", "o1");
        String id = created.path("id").asText();
        assertThat(created.path("size").asInt()).isEqualTo(1);
        awaitStatus("o1", "available");
        assertThat(Files.size(VolumeFiles.of(basalt.volumesDir(), id))).isEqualTo(1L << 30);

        JsonNode list = json("volume", "list");
        assertThat(list).anySatisfy(v -> assertThat(v.path("ID").asText()).isEqualTo(id));
        assertThat(json("volume", "list", "--long")).anySatisfy(v -> assertThat(v.path("Type").asText()).isEqualTo("__DEFAULT__"));

        cli.openstack("volume", "set", "--name", "o2", "--description", "d", "--property", "k=v", "o1").ok();
        JsonNode shown = json("volume", "show", "o2");
        assertThat(shown.path("id").asText()).isEqualTo(id);
        assertThat(shown.path("description").asText()).isEqualTo("d");
        assertThat(shown.path("properties").toString()).contains("k");
        cli.openstack("volume", "unset", "--property", "k", "o2").ok();
        assertThat(json("volume", "show", "o2").path("properties").toString()).doesNotContain("\"k\"");

        cli.openstack("volume", "delete", "o2").ok();
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(VolumeFiles.of(basalt.volumesDir(), id)));
    }

    @Test
    void volumeTypesThroughOpenstack() throws Exception {
        JsonNode type = json("volume", "type", "create", "--property", "volume_backend_name=file", "silver");
        assertThat(type.path("name").asText()).isEqualTo("silver");
        assertThat(json("volume", "type", "list")).anySatisfy(t -> assertThat(t.path("Name").asText()).isEqualTo("silver"));
        assertThat(json("volume", "type", "show", "silver").path("properties").toString()).contains("volume_backend_name");
        cli.openstack("volume", "type", "set", "--property", "capabilities:thin_provisioning_support=<is> True",
                "silver").ok();
        assertThat(json("volume", "type", "show", "silver").path("properties").toString())
                .contains("thin_provisioning_support");

        String id = json("volume", "create", "--size", "1", "--type", "silver", "typed").path("id").asText();
        assertThat(awaitStatus(id, "available").path("type").asText()).isEqualTo("silver");
        cli.openstack("volume", "delete", id).ok();
        await().atMost(Duration.ofSeconds(30)).until(() -> VolumeFiles.ids(basalt.volumesDir()).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> cli.openstack("volume", "type", "delete", "silver").exitCode() == 0);
        assertThat(json("volume", "type", "list")).noneSatisfy(t -> assertThat(t.path("Name").asText()).isEqualTo("silver"));
        assertThat(cli.openstack("availability", "zone", "list", "--volume").ok().stdout()).contains("nova");
        assertThat(cli.openstack("volume", "service", "list").ok().stdout()).contains("cinder-volume").contains("cinder-scheduler");
    }
}
