package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group snapshots and groups made from a source (3.14) through Debian's {@code cinder
 * group-snapshot-*}, {@code cinder group-create-from-src} and {@code openstack volume group
 * snapshot …} against a real {@code basalt all}: a group snapshot of a group of two volumes holds
 * what one of them held when it was taken (checked in the bytes of a volume made from it, after
 * the source was overwritten), a group cloned from the group holds what it holds now, and the
 * group snapshot is deleted with its member snapshots' files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupSnapshotsCliIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int MIB = 1 << 20;

    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth(null);
    private Cli cli;
    private Statuses statuses;
    private Api api;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        cli = basalt.cli("u1", "p1");
        api = new Api(basalt.endpoint(), "u1", "p1");
        statuses = new Statuses(api, PATIENCE);
        cli.cinder("type-create", "gold").ok();
        cli.cinder("--os-volume-api-version", "3.11", "group-type-create", "gt").ok();
    }

    private Map<String, String> cinder(String version, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--os-volume-api-version", version));
        all.addAll(List.of(args));
        return cli.cinderProperties(all.toArray(String[]::new));
    }

    private Cli.Result cinderRaw(String version, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--os-volume-api-version", version));
        all.addAll(List.of(args));
        return cli.cinder(all.toArray(String[]::new));
    }

    /** The ids of the group's volumes, as the API lists them (3.25). */
    private List<String> volumesOf(String group) throws Exception {
        JsonNode shown = api.send("GET", "/groups/" + group + "?list_volume=True", null, "3.25").body().get("group");
        List<String> ids = new ArrayList<>();
        shown.get("volumes").forEach(v -> ids.add(v.asText()));
        return ids;
    }

    private static void write(Path file, byte[] bytes) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, buffer.position());
            }
            channel.force(true);
        }
    }

    private static byte[] head(Path file, int length) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // read on
            }
            return buffer.array();
        }
    }

    private static byte[] pattern(long seed) {
        byte[] bytes = new byte[MIB];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void cinderGroupSnapshotsAndGroupsFromASource() throws Exception {
        String group = cinder("3.13", "group-create", "--name", "gsrc", "gt", "gold").get("id");
        String a = cinder("3.13", "create", "--volume-type", "gold", "--group-id", group, "--name", "ga", "1")
                .get("id");
        String b = cinder("3.13", "create", "--volume-type", "gold", "--group-id", group, "--name", "gb", "1")
                .get("id");
        statuses.volume(a, "available");
        statuses.volume(b, "available");
        Path fileA = VolumeFiles.of(basalt.volumesDir(), a);
        byte[] then = pattern(1);
        write(fileA, then);

        Map<String, String> created = cinder("3.14", "group-snapshot-create", "--name", "gs1", "gsrc");
        String gs = created.get("id");
        assertThat(created.get("name")).isEqualTo("gs1");
        statuses.groupSnapshot(gs, "available");
        byte[] now = pattern(2);
        write(fileA, now);

        Map<String, String> shown = cinder("3.14", "group-snapshot-show", "gs1");
        assertThat(shown.get("status")).isEqualTo("available");
        assertThat(shown.get("group_id")).isEqualTo(group);
        assertThat(cli.cinderRecords("--os-volume-api-version", "3.14", "group-snapshot-list"))
                .filteredOn(r -> gs.equals(r.get("ID"))).singleElement()
                .satisfies(r -> assertThat(r.get("Status")).isEqualTo("available"));
        JsonNode members = api.send("GET", "/snapshots/detail?group_snapshot_id=" + gs, null, "3.14").body()
                .get("snapshots");
        assertThat(members).hasSize(2);
        members.forEach(m -> assertThat(m.get("group_snapshot_id").asText()).isEqualTo(gs));

        String copy = cinder("3.14", "group-create-from-src", "--group-snapshot", "gs1", "--name", "gcopy")
                .get("id");
        String clone = cinder("3.14", "group-create-from-src", "--source-group", "gsrc", "--name", "gclone")
                .get("id");
        assertThat(cinder("3.14", "group-show", copy).get("group_snapshot_id")).isEqualTo(gs);
        assertThat(cinder("3.14", "group-show", clone).get("source_group_id")).isEqualTo(group);
        for (String g : List.of(copy, clone)) {
            List<String> made = volumesOf(g);
            assertThat(made).hasSize(2);
            for (String v : made) {
                JsonNode volume = statuses.volume(v, "available");
                String snapshot = volume.path("snapshot_id").asText(null);
                String sourceOfA = snapshot == null ? volume.path("source_volid").asText()
                        : api.get("/snapshots/" + snapshot).body().get("snapshot").get("volume_id").asText();
                if (sourceOfA.equals(a)) {
                    assertThat(head(VolumeFiles.of(basalt.volumesDir(), v), MIB))
                            .as(g.equals(copy) ? "what A held when the group snapshot was taken" : "what A holds now")
                            .isEqualTo(g.equals(copy) ? then : now);
                }
            }
        }

        Cli.Result refused = cinderRaw("3.14", "group-delete", "--delete-volumes", "gsrc");
        assertThat(refused.stdout() + refused.stderr()).contains("Group has existing snapshots").contains("400");

        JsonNode other = cli.openstackJson("--os-volume-api-version", "3.14", "volume", "group", "snapshot",
                "create", "--name", "ogs", group);
        String ogs = (other.has("ID") ? other.get("ID") : other.get("id")).asText();
        statuses.groupSnapshot(ogs, "available");
        assertThat(cli.openstackJson("--os-volume-api-version", "3.14", "volume", "group", "snapshot", "list"))
                .anySatisfy(r -> assertThat(r.toString()).contains(ogs));
        cli.openstack("--os-volume-api-version", "3.14", "volume", "group", "snapshot", "delete", ogs).ok();
        statuses.gone(Statuses.Kind.GROUP_SNAPSHOT, ogs);

        cinderRaw("3.14", "group-delete", "--delete-volumes", "gcopy").ok();
        cinderRaw("3.14", "group-snapshot-delete", "gs1").ok();
        statuses.gone(Statuses.Kind.GROUP_SNAPSHOT, gs);
        members.forEach(m -> assertThat(Files.exists(VolumeFiles.snapshot(basalt.volumesDir(),
                m.get("id").asText()))).isFalse());
        cinderRaw("3.14", "group-delete", "--delete-volumes", "gsrc").ok();
        statuses.gone(Statuses.Kind.VOLUME, a);
    }
}
