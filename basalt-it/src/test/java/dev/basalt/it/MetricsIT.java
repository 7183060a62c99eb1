package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.iscsi.ExternalTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a real {@code basalt all}, fetched with curl as a Prometheus server would,
 * after a volume was created, attached and read through the builtin iSCSI target: the API, bus,
 * volume service, scheduler, capacity, iSCSI and JVM families are all there, with counts that
 * follow what was done.
 */
class MetricsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void aScrapeShowsEveryFamilyOfTheProcess() throws Exception {
        Initiators.require();
        ExternalTools.requireFrom("curl", "curl");
        try (BasaltProcess basalt = new BasaltProcess(temp.resolve("state"), null).start()) {
            Api api = new Api(basalt.endpoint(), "u1", "p1");
            String id = api.post("/volumes", "{\"volume\": {\"size\": 1}}").body().get("volume").get("id").asText();
            await().atMost(PATIENCE).until(() -> api.get("/volumes/" + id).body().get("volume").get("status")
                    .asText().equals("available"));
            JsonNode info = api.send("POST", "/attachments", """
                    {"attachment": {"volume_uuid": "%s", "mode": "rw", "connector": {
                        "initiator": "iqn.2024-01.dev.basalt:it-metrics", "ip": "127.0.0.1", "host": "it-metrics"}}}
                    """.formatted(id), "3.54").body().get("attachment").get("connection_info");
            String url = Initiators.url(info.get("target_portal").asText(), info.get("target_iqn").asText(),
                    info.get("target_lun").asText(), info.get("auth_username").asText(),
                    info.get("auth_password").asText());
            // written first: QEMU reads no blocks the target reports unmapped (they read as zeroes)
            ExternalTools.Run write = Initiators.qemuIo(url, "write -P 0x5a 0 64k");
            assertThat(write.stdout()).as(write.output()).contains("wrote 65536/65536");
            ExternalTools.Run read = Initiators.qemuIo(url, "read -P 0x5a 0 64k");
            assertThat(read.stdout()).as(read.output()).contains("read 65536/65536");

            ExternalTools.Run curl = ExternalTools.run(Duration.ofSeconds(30), "curl", "-sS", "-i",
                    "http://127.0.0.1:" + basalt.port() + "/metrics");
            assertThat(curl.exitCode()).as(curl.output()).isZero();
            String scrape = curl.stdout();

            String portal = "127.0.0.1:" + basalt.targetPort();
            assertThat(scrape).startsWith("HTTP/1.1 200")
                    .containsIgnoringCase("Content-Type: text/plain; version=0.0.4; charset=utf-8")
                    .contains("basalt_http_server_requests_seconds_count{method=\"POST\","
                            + "route=\"/v3/{project_id}/volumes\",status=\"202\"} 1")
                    .contains("basalt_http_server_requests_seconds_bucket{method=\"POST\","
                            + "route=\"/v3/{project_id}/attachments\",status=\"200\",le=\"+Inf\"} 1")
                    .contains("basalt_bus_messages_sent_total{kind=\"cast\",method=\"create_volume\"} 2")
                    .contains("basalt_bus_messages_sent_total{kind=\"call\",method=\"initialize_connection\"} 1")
                    .contains("basalt_bus_messages_handled_seconds_count{method=\"initialize_connection\",outcome=\"ok\"} 1")
                    .contains("basalt_scheduler_placements_seconds_count{outcome=\"placed\"} 1")
                    .contains("basalt_volume_operations_seconds_count{backend=\"it-host@file\","
                            + "operation=\"create_volume\",outcome=\"done\"} 1")
                    .contains("basalt_volume_operations_seconds_count{backend=\"it-host@file\","
                            + "operation=\"initialize_connection\",outcome=\"done\"} 1")
                    .contains("basalt_backend_total_capacity_gibibytes{backend=\"it-host@file\",pool=\"file\"}")
                    .contains("basalt_backend_free_capacity_gibibytes{backend=\"it-host@file\",pool=\"file\"}")
                    .contains("basalt_backend_provisioned_capacity_gibibytes{backend=\"it-host@file\",pool=\"file\"}")
                    .contains("basalt_iscsi_sessions{portal=\"" + portal + "\"}")
                    .contains("jvm_memory_used_bytes")
                    .contains("process_uptime_seconds")
                    .doesNotContain(id);
            assertThat(value(scrape, "basalt_iscsi_read_bytes_total{portal=\"" + portal + "\"}"))
                    .isGreaterThanOrEqualTo(64 * 1024);
            assertThat(value(scrape, "basalt_iscsi_written_bytes_total{portal=\"" + portal + "\"}"))
                    .isGreaterThanOrEqualTo(64 * 1024);
        }
    }

    /** The value of the one sample of {@code series} in the scrape. */
    private static double value(String scrape, String series) {
        Matcher sample = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        assertThat(sample.find()).as("%s in %s", series, scrape).isTrue();
        return Double.parseDouble(sample.group(1));
    }
}
