package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code cinder --os-volume-api-version 3.24 work-cleanup} (Debian's client) against a real
 * {@code basalt all}: by default only services that are down are cleaned (none here); asked for
 * the live volume service, the scheduler hands the cleanup to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkCleanupCliIT {
    @RegisterExtension
    static final RunningBasalt basalt = RunningBasalt.noauth(null);
    private Cli cinder;

    @BeforeAll
    void start() {
        Cli.requireClients();
        cinder = basalt.cli("u1", "p1");
    }

    private Cli.Result workCleanup(String... filters) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--os-volume-api-version", "3.24", "work-cleanup"));
        args.addAll(List.of(filters));
        return cinder.cinder(args.toArray(String[]::new));
    }

    @Test
    void withEveryServiceUpNothingMatchesByDefault() throws Exception {
        assertThat(workCleanup().ok().stdout()).contains("No cleanable services matched cleanup criteria.");
    }

    @Test
    void theLiveVolumeServiceCleansUpWhenAskedFor() throws Exception {
        String out = workCleanup("--is-up", "true", "--binary", "cinder-volume").ok().stdout();
        assertThat(out).contains("Following services will be cleaned:");
        List<Map<String, String>> services = Tables.records(out);
        assertThat(services).singleElement().satisfies(s -> {
            assertThat(s.get("ID")).matches("[0-9]+");
            assertThat(s).containsEntry("Host", "it-host@file").containsEntry("Binary", "cinder-volume")
                    .containsEntry("Cluster Name", "-");
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> basalt.log()
                .contains("cleaned up 0 piece(s) of work left by service " + services.get(0).get("ID")));
    }

    @Test
    void aResourceWithNothingInFlightIsRefused() throws Exception {
        String id = UUID.randomUUID().toString();
        Cli.Result result = workCleanup("--resource-id", id);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("There is no resource with UUID " + id + " pending cleanup.")
                .contains("HTTP 400");
    }

    @Test
    void theCommandNeedsMicroversion324() throws Exception {
        Cli.Result result = cinder.cinder("--os-volume-api-version", "3.23", "work-cleanup");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("invalid choice: 'work-cleanup'");
    }
}
