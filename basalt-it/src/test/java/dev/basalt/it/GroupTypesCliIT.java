package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group types and group specs (3.11) through Debian's {@code cinder group-type-*} and
 * {@code openstack volume group type …} against a real {@code basalt all} whose
 * {@code default_group_type} is Cinder's seeded {@code default_cgsnapshot_type}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupTypesCliIT {
    private static final String V = "3.11";

    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth("default_group_type = default_cgsnapshot_type");
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        cli = basalt.cli("u1", "p1");
    }

    private Map<String, String> cinderProperties(String... args) throws Exception {
        return cli.cinderProperties(withVersion(args));
    }

    private List<Map<String, String>> cinderRecords(String... args) throws Exception {
        return cli.cinderRecords(withVersion(args));
    }

    private Cli.Result cinder(String... args) throws Exception {
        return cli.cinder(withVersion(args));
    }

    private static String[] withVersion(String... args) {
        List<String> all = new ArrayList<>(List.of("--os-volume-api-version", V));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    private JsonNode openstackJson(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--os-volume-api-version", V));
        all.addAll(List.of(args));
        return cli.openstackJson(all.toArray(String[]::new));
    }

    private Cli.Result openstack(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--os-volume-api-version", V));
        all.addAll(List.of(args));
        return cli.openstack(all.toArray(String[]::new));
    }

    @Test
    void cinderGroupTypeCommands() throws Exception {
        Map<String, String> created = cinderRecords("group-type-create", "--description", "consistent",
                "cli-gt").get(0);
        String id = created.get("ID");
        assertThat(created.get("Name")).isEqualTo("cli-gt");
        assertThat(created.get("Description")).isEqualTo("consistent");
        assertThat(cinderRecords("group-type-list")).anyMatch(r -> id.equals(r.get("ID")))
                .anyMatch(r -> "default_cgsnapshot_type".equals(r.get("Name")));
        Map<String, String> shown = cinderProperties("group-type-show", "cli-gt");
        assertThat(shown.get("id")).isEqualTo(id);
        assertThat(shown.get("is_public")).isEqualTo("True");

        cinder("group-type-key", "cli-gt", "set", "consistent_group_snapshot_enabled=<is> True", "gone=1").ok();
        cinder("group-type-key", "cli-gt", "unset", "gone").ok();
        List<Map<String, String>> specs = cinderRecords("group-specs-list");
        assertThat(specs).filteredOn(r -> id.equals(r.get("ID"))).singleElement()
                .satisfies(r -> assertThat(r.get("group_specs")).contains("consistent_group_snapshot_enabled")
                        .doesNotContain("gone"));

        Map<String, String> updated = cinderRecords("group-type-update", "--name", "cli-gt2", "--description",
                "renamed", "--is-public", "False", id).get(0);
        assertThat(updated.get("Name")).isEqualTo("cli-gt2");
        assertThat(updated.get("Description")).isEqualTo("renamed");
        assertThat(cinderProperties("group-type-show", id).get("is_public")).isEqualTo("False");

        Map<String, String> def = cinderRecords("group-type-default").get(0);
        assertThat(def.get("Name")).isEqualTo("default_cgsnapshot_type");

        cinder("group-type-delete", id).ok();
        assertThat(cinderRecords("group-type-list")).noneMatch(r -> id.equals(r.get("ID")));
        Cli.Result gone = cinder("group-type-show", id);
        assertThat(gone.exitCode()).isNotZero();

        cinder("group-type-create", "cli-gt-dup").ok();
        Cli.Result dup = cinder("group-type-create", "cli-gt-dup");
        assertThat(dup.exitCode()).isNotZero();
        assertThat(dup.stderr()).contains("Group Type cli-gt-dup already exists.").contains("HTTP 409");
        Cli.Result old = cli.cinder("--os-volume-api-version", "3.10", "group-type-list");
        assertThat(old.exitCode()).as("the client itself refuses below 3.11").isNotZero();
    }

    /** The row of {@code openstack volume group type list} with that id. */
    private JsonNode listed(String id) throws Exception {
        for (JsonNode t : openstackJson("volume", "group", "type", "list")) {
            if (t.get("ID").asText().equals(id)) {
                return t;
            }
        }
        return null;
    }

    /**
     * {@code openstack volume group type show} cannot be used: python3-openstackclient 6.0.0 reads
     * {@code parsed_args.group} there and fails in the client whatever the server ("'Namespace' object
     * has no attribute 'group'"), and it registers no {@code volume group type unset}; the list shows
     * the same fields, and {@code set --no-property} unsets. python3-cinderclient's
     * {@code GroupType.unset_keys} stops after the first key it deletes (it returns the first truthy
     * response), so one unset removes one key, against Cinder as here: the test unsets one at a time.
     */
    @Test
    void openstackVolumeGroupTypeCommands() throws Exception {
        JsonNode created = openstackJson("volume", "group", "type", "create", "--description", "from osc",
                "--private", "osc-gt");
        String id = created.get("ID").asText();
        assertThat(created.get("Name").asText()).isEqualTo("osc-gt");
        assertThat(created.get("Description").asText()).isEqualTo("from osc");
        assertThat(created.get("Is Public").asBoolean()).isFalse();
        assertThat(listed(id).get("Is Public").asBoolean()).as("the client lists with is_public=None: all types")
                .isFalse();

        JsonNode set = openstackJson("volume", "group", "type", "set", "--property", "a=1", "--public", "--name",
                "osc-gt2", id);
        assertThat(set.get("Name").asText()).isEqualTo("osc-gt2");
        assertThat(set.get("Is Public").asBoolean()).isTrue();
        JsonNode row = listed(id);
        assertThat(row.get("Name").asText()).isEqualTo("osc-gt2");
        assertThat(row.get("Properties").toString()).isEqualTo("{\"a\":\"1\"}");

        openstack("volume", "group", "type", "set", "--no-property", "--property", "c=3", "osc-gt2").ok();
        assertThat(listed(id).get("Properties").toString())
                .isEqualTo("{\"c\":\"3\"}");

        List<String> names = new ArrayList<>();
        openstackJson("volume", "group", "type", "list").forEach(t -> names.add(t.get("Name").asText()));
        assertThat(names).contains("osc-gt2", "default_cgsnapshot_type");
        JsonNode def = openstackJson("volume", "group", "type", "list", "--default");
        assertThat(def.get(0).get("Name").asText()).isEqualTo("default_cgsnapshot_type");

        openstack("volume", "group", "type", "delete", "osc-gt2").ok();
        assertThat(listed(id)).isNull();
        assertThat(openstack("volume", "group", "type", "delete", id).exitCode()).isNotZero();
    }
}
