package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.testkit.ContentDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retype and migration through Debian's clients ({@code cinder retype}, {@code cinder migrate},
 * {@code openstack volume set --type … --retype-policy on-demand}, {@code openstack volume migrate}) against a
 * {@code basalt all} with two file backends, the volume's bytes checked in the files after each move.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetypeMigrateCliIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String FAST = "it-host@fast#fast";
    private static final String SLOW = "it-host@slow#slow";

    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth("enabled_backends = fast,slow\n"
            + "[fast]\nvolume_backend_name = fast\n[slow]\nvolume_backend_name = slow\n");
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        cli = basalt.cli("admin", "p1");
        Api api = cli.api();
        for (String backend : new String[] {"fast", "slow"}) {
            assertThat(api.post("/types", "{\"volume_type\": {\"name\": \"" + backend + "\", \"extra_specs\":"
                    + " {\"volume_backend_name\": \"" + backend + "\"}}}").status()).isEqualTo(200);
        }
        assertThat(api.post("/types", "{\"volume_type\": {\"name\": \"anywhere\"}}").status()).isEqualTo(200);
    }

    private Statuses statuses() {
        return new Statuses(new Api(basalt.endpoint(), "admin", "p1"), PATIENCE);
    }

    private Path file(String host, String id) {
        String backend = host.substring(host.indexOf('@') + 1, host.indexOf('#'));
        return VolumeFiles.of(basalt.stateDir().resolve("volumes").resolve(backend), id);
    }

    /** Waits until the volume is back from a move: {@code available}, on {@code host}; the volume then. */
    private JsonNode awaitOn(String id, String host) {
        return statuses().until(Statuses.Kind.VOLUME, id, v -> "available".equals(v.path("status").asText())
                && host.equals(v.path("os-vol-host-attr:host").asText()));
    }

    @Test
    void retypeInPlaceOrOnDemandAndMigrateBetweenBackends() throws Exception {
        String id = cli.cinderProperties("create", "--volume-type", "fast", "--name", "mover", "1").get("id");
        statuses().volume(id, "available");
        VolumeFiles.write(file(FAST, id), pattern());
        String sum = ContentDigest.ofFile(file(FAST, id));

        cli.cinder("retype", id, "anywhere").ok();
        JsonNode inPlace = statuses().until(Statuses.Kind.VOLUME, id,
                v -> "anywhere".equals(v.path("volume_type").asText()) && "available".equals(v.path("status").asText()));
        assertThat(inPlace.path("os-vol-host-attr:host").asText()).as("its backend still passes").isEqualTo(FAST);
        assertThat(inPlace.path("migration_status").isNull()).isTrue();

        cli.cinder("retype", id, "slow").ok();
        assertThat(statuses().volume(id, "available").path("volume_type").asText())
                .as("migration_policy never: the volume stays as it was").isEqualTo("anywhere");
        assertThat(cli.api().send("GET", "/messages", null, "3.3").raw()).contains(id);

        cli.cinder("migrate", id, SLOW).ok();
        JsonNode migrated = awaitOn(id, SLOW);
        assertThat(migrated.path("migration_status").asText()).isEqualTo("success");
        assertThat(migrated.path("os-vol-mig-status-attr:migstat").asText()).isEqualTo("success");
        assertThat(ContentDigest.ofFile(file(SLOW, id))).as("the bytes moved").isEqualTo(sum);
        assertThat(file(FAST, id)).doesNotExist();
        // cinderclient's migrate prints the refusal and exits 0.
        assertThat(cli.cinder("migrate", id, SLOW).ok().stdout()).contains("failed")
                .contains("destination host/cluster must be different").contains("HTTP 400");

        cli.openstack("volume", "set", "--type", "fast", "--retype-policy", "on-demand", id).ok();
        JsonNode moved = awaitOn(id, FAST);
        assertThat(moved.path("volume_type").asText()).isEqualTo("fast");
        assertThat(ContentDigest.ofFile(file(FAST, id))).isEqualTo(sum);
        assertThat(file(SLOW, id)).doesNotExist();

        cli.openstack("volume", "migrate", "--host", SLOW, id).ok();
        JsonNode refused = statuses().until(Statuses.Kind.VOLUME, id,
                v -> "error".equals(v.path("migration_status").asText()));
        assertThat(refused.path("status").asText()).as("a type pinned to fast: no pool passes").isEqualTo("available");
        assertThat(refused.path("os-vol-host-attr:host").asText()).isEqualTo(FAST);

        Cli.Result unknown = cli.cinder("retype", id, "no-such-type");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("no-such-type");
    }

    /** What the test writes into the volume: a few pieces spread over it. */
    private static TreeMap<Long, byte[]> pattern() {
        TreeMap<Long, byte[]> pieces = new TreeMap<>();
        for (long at : new long[] {0, 300L << 20, (1L << 30) - 4096}) {
            byte[] piece = new byte[4096];
            for (int i = 0; i < piece.length; i++) {
                piece[i] = (byte) (at + i * 31);
            }
            pieces.put(at, piece);
        }
        return pieces;
    }
}
