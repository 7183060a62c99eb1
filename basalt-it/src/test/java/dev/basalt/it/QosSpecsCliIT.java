package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.iscsi.ExternalTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * QoS specs through Debian's {@code cinder qos-*} and {@code openstack volume qos …} against a
 * real {@code basalt all}, and back-end specs enforced on the export a host gets: a volume whose
 * type has {@code total_iops_sec=500} serves at most 5 % above that to {@code qemu-img bench}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QosSpecsCliIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Pattern COMPLETED = Pattern.compile("Run completed in ([0-9.]+) seconds");
    private static final String INITIATOR = "iqn.2024-01.dev.basalt:qos-compute";

    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth(null);
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        Cli.requireClients();
        cli = basalt.cli("u1", "p1");
    }

    private String typeId(String name) throws Exception {
        return cli.cinderRecords("type-create", name).get(0).get("ID");
    }

    @Test
    void cinderQosCommands() throws Exception {
        Map<String, String> created = cli.cinderProperties("qos-create", "cli-gold", "consumer=front-end", "total_iops_sec=900");
        String id = created.get("id");
        assertThat(created.get("name")).isEqualTo("cli-gold");
        assertThat(created.get("consumer")).isEqualTo("front-end");
        assertThat(created.get("specs")).contains("total_iops_sec").contains("900");
        assertThat(cli.cinderRecords("qos-list")).anyMatch(r -> id.equals(r.get("ID")) && "cli-gold".equals(r.get("Name")));

        cli.cinder("qos-key", id, "set", "read_bytes_sec=1048576", "gone=1").ok();
        cli.cinder("qos-key", id, "unset", "gone").ok();
        Map<String, String> shown = cli.cinderProperties("qos-show", id);
        assertThat(shown.get("specs")).contains("read_bytes_sec").contains("1048576").doesNotContain("gone");

        String gold = typeId("cli-gold-type");
        String silver = typeId("cli-silver-type");
        cli.cinder("qos-associate", id, gold).ok();
        cli.cinder("qos-associate", id, silver).ok();
        List<Map<String, String>> associations = cli.cinderRecords("qos-get-association", id);
        assertThat(associations).extracting(r -> r.get("ID")).containsExactlyInAnyOrder(gold, silver);
        assertThat(associations).allMatch(r -> "volume_type".equals(r.get("Association_Type")));

        cli.cinder("qos-disassociate", id, silver).ok();
        assertThat(cli.cinderRecords("qos-get-association", id)).extracting(r -> r.get("ID")).containsExactly(gold);

        Cli.Result inUse = cli.cinder("qos-delete", id);
        assertThat(inUse.exitCode()).isNotZero();
        assertThat(inUse.stderr()).contains("Qos specs still in use.").contains("HTTP 400");
        cli.cinder("qos-disassociate-all", id).ok();
        assertThat(cli.cinderRecords("qos-get-association", id)).isEmpty();
        cli.cinder("qos-associate", id, gold).ok();
        cli.cinder("qos-delete", "--force", "True", id).ok();
        assertThat(cli.cinderRecords("qos-list")).noneMatch(r -> id.equals(r.get("ID")));
        Cli.Result gone = cli.cinder("qos-show", id);
        assertThat(gone.exitCode()).isNotZero();

        Cli.Result badConsumer = cli.cinder("qos-create", "cli-bad", "consumer=sideways");
        assertThat(badConsumer.exitCode()).isNotZero();
        assertThat(badConsumer.stderr()).contains("Valid consumer of QoS specs are").contains("HTTP 400");
        cli.cinderProperties("qos-create", "cli-dup", "a=1");
        Cli.Result dup = cli.cinder("qos-create", "cli-dup", "a=1");
        assertThat(dup.exitCode()).isNotZero();
        assertThat(dup.stderr()).contains("QoS Specs cli-dup already exists.").contains("HTTP 409");
    }

    @Test
    void openstackVolumeQosCommands() throws Exception {
        JsonNode created = cli.openstackJson("volume", "qos", "create", "--consumer", "both", "--property",
                "write_iops_sec=700", "osc-qos");
        String id = created.get("id").asText();
        assertThat(created.get("consumer").asText()).isEqualTo("both");
        String type = typeId("osc-qos-type");

        cli.openstack("volume", "qos", "set", "--property", "read_iops_sec=300", "osc-qos").ok();
        cli.openstack("volume", "qos", "unset", "--property", "write_iops_sec", "osc-qos").ok();
        cli.openstack("volume", "qos", "associate", "osc-qos", "osc-qos-type").ok();
        JsonNode shown = cli.openstackJson("volume", "qos", "show", "osc-qos");
        assertThat(shown.get("properties").toString()).contains("read_iops_sec").doesNotContain("write_iops_sec");
        assertThat(shown.get("associations").toString()).contains("osc-qos-type");
        JsonNode list = cli.openstackJson("volume", "qos", "list");
        List<String> ids = new ArrayList<>();
        list.forEach(q -> ids.add(q.get("ID").asText()));
        assertThat(ids).contains(id);
        assertThat(cli.openstackJson("volume", "type", "show", type).get("qos_specs_id").asText()).isEqualTo(id);

        cli.openstack("volume", "qos", "disassociate", "--volume-type", "osc-qos-type", "osc-qos").ok();
        assertThat(cli.openstackJson("volume", "qos", "show", "osc-qos").path("associations").toString())
                .doesNotContain("osc-qos-type");
        cli.openstack("volume", "qos", "associate", "osc-qos", "osc-qos-type").ok();
        cli.openstack("volume", "qos", "disassociate", "--all", "osc-qos").ok();
        cli.openstack("volume", "qos", "delete", "osc-qos").ok();
        assertThat(cli.openstack("volume", "qos", "show", id).exitCode()).isNotZero();
    }

    @Test
    void backEndSpecsLimitTheExportAndFrontEndSpecsReachTheHost() throws Exception {
        ExternalTools.require("qemu-img");
        String specs = cli.cinderProperties("qos-create", "cli-limited", "consumer=both", "total_iops_sec=500").get("id");
        String type = typeId("cli-limited-type");
        cli.cinder("qos-associate", specs, type).ok();
        String volume = cli.cinderProperties("create", "--volume-type", "cli-limited-type", "--name", "limited", "1").get("id");
        new Statuses(cli.api(), PATIENCE).volume(volume, "available");

        Map<String, String> attachment = cli.cinderProperties("--os-volume-api-version", "3.54", "attachment-create", "--connect",
                "True", "--initiator", INITIATOR, "--ip", "127.0.0.1", "--host", "qos-compute", volume);
        assertThat(attachment.get("qos_specs")).as("front-end part of 'both'").contains("total_iops_sec")
                .contains("500");
        String url = Initiators.url(attachment.get("target_portal"), attachment.get("target_iqn"),
                attachment.get("target_lun"), attachment.get("auth_username"), attachment.get("auth_password"));
        int count = 2000;
        ExternalTools.Run bench = Initiators.run("qemu-img", "bench", "-f", "raw", "-c", String.valueOf(count), "-d",
                "16", "-s", "4k", "-S", "12k", "-t", "none", url);
        assertThat(bench.exitCode()).as(bench.output()).isZero();
        Matcher m = COMPLETED.matcher(bench.stdout());
        assertThat(m.find()).as(bench.output()).isTrue();
        double iops = count / Double.parseDouble(m.group(1));
        assertThat(iops).as("IOPS through the export of a volume limited to 500").isLessThanOrEqualTo(500 * 1.05);
        cli.cinder("--os-volume-api-version", "3.54", "attachment-delete", attachment.get("id")).ok();
    }
}
