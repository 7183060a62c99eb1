package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cinder and openstack clients with real Keystone credentials, Basalt found through the
 * catalog: members work in their project, readers read, other projects see nothing, admins see all.
 */
@ExtendWith(KeystoneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeystoneCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;
    private BasaltProcess basalt;
    private KeystoneCli alice;
    private KeystoneCli rita;
    private KeystoneCli bob;
    private KeystoneCli admin;

    @BeforeAll
    void start(KeystoneServer keystone) throws Exception {
        Cli.requireClients();
        basalt = new BasaltProcess(temp.resolve("state"), "keystone", keystone.authtokenSection()).start();
        keystone.pointCatalogAt(basalt.endpoint());
        alice = new KeystoneCli(keystone, KeystoneServer.ALICE);
        rita = new KeystoneCli(keystone, KeystoneServer.RITA);
        bob = new KeystoneCli(keystone, KeystoneServer.BOB);
        admin = new KeystoneCli(keystone, KeystoneServer.ADMIN);
    }

    @AfterAll
    void stop() throws Exception {
        if (basalt != null) {
            basalt.stop();
        }
    }

    private static JsonNode json(Cli.Result result) throws Exception {
        return JSON.readTree(result.ok().stdout());
    }

    @Test
    void cinderWithKeystoneCredentials() throws Exception {
        alice.cinder("create", "--name", "kc-1", "1").ok();
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.cinder("show", "kc-1").stdout().contains("available"));
        assertThat(alice.cinder("list").ok().stdout()).contains("kc-1");
        assertThat(rita.cinder("list").ok().stdout()).as("a reader of alpha reads").contains("kc-1");

        Cli.Result denied = rita.cinder("create", "--name", "kc-2", "1");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.stderr()).contains("Policy doesn't allow volume:create to be performed").contains("403");

        assertThat(bob.cinder("list").ok().stdout()).doesNotContain("kc-1");
        assertThat(bob.cinder("show", "kc-1").exitCode()).as("another project does not see it").isNotZero();

        assertThat(admin.cinder("list").ok().stdout()).doesNotContain("kc-1");
        assertThat(admin.cinder("list", "--all-tenants").ok().stdout()).contains("kc-1");
        assertThat(admin.cinder("service-list").ok().stdout()).contains("cinder-volume");
        assertThat(alice.cinder("service-list").exitCode()).as("services are for admins").isNotZero();

        alice.cinder("delete", "kc-1").ok();
        await().atMost(Duration.ofSeconds(30)).until(() -> !alice.cinder("list").ok().stdout().contains("kc-1"));
    }

    @Test
    void openstackWithKeystoneCredentials() throws Exception {
        JsonNode created = json(alice.openstack("volume", "create", "--size", "1", "-f", "json", "ko-1"));
        String id = created.path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(
                () -> json(alice.openstack("volume", "show", "-f", "json", id)).path("status").asText().equals("available"));
        assertThat(json(alice.openstack("volume", "list", "-f", "json")))
                .anySatisfy(v -> assertThat(v.path("ID").asText()).isEqualTo(id));
        alice.openstack("volume", "set", "--property", "k=v", id).ok();
        assertThat(json(rita.openstack("volume", "show", "-f", "json", id)).path("properties").toString()).contains("k");
        assertThat(rita.openstack("volume", "set", "--property", "k=w", id).exitCode()).isNotZero();

        assertThat(json(admin.openstack("volume", "list", "--all-projects", "-f", "json")))
                .anySatisfy(v -> assertThat(v.path("ID").asText()).isEqualTo(id));
        assertThat(admin.openstack("volume", "type", "create", "--property", "volume_backend_name=file", "kgold")
                .ok().stdout()).contains("kgold");
        assertThat(alice.openstack("volume", "type", "create", "kbronze").exitCode()).isNotZero();
        assertThat(json(alice.openstack("volume", "type", "list", "-f", "json")))
                .anySatisfy(t -> assertThat(t.path("Name").asText()).isEqualTo("kgold"));

        alice.openstack("volume", "delete", id).ok();
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.openstack("volume", "show", id).exitCode() != 0);
        admin.openstack("volume", "type", "delete", "kgold").ok();
    }
}
