package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 100 parallel creates, then 100 parallel deletes: the database and the disk agree throughout. */
class ConcurrencyIT {
    @TempDir
    Path temp;

    @Test
    void parallelCreatesAndDeletesLeaveDatabaseAndDiskInAgreement() throws Exception {
        try (BasaltProcess basalt = new BasaltProcess(temp.resolve("state"), "quota_volumes = -1").start()) {
            Api api = new Api(basalt.endpoint(), "u", "p");
            List<String> ids = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
                List<Future<Api.Response>> creates = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    String body = "{\"volume\": {\"size\": 1, \"name\": \"c" + i + "\"}}";
                    creates.add(pool.submit(() -> api.post("/volumes", body)));
                }
                for (Future<Api.Response> f : creates) {
                    Api.Response r = f.get();
                    assertThat(r.status()).as(r.raw()).isEqualTo(202);
                    ids.add(r.body().path("volume").path("id").asText());
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> statuses(api).equals(Set.of("available")));
                assertThat(idsInApi(api)).containsExactlyInAnyOrderElementsOf(ids);
                assertThat(VolumeFiles.ids(basalt.volumesDir())).containsExactlyInAnyOrderElementsOf(ids);

                List<Future<Api.Response>> deletes = new ArrayList<>();
                for (String id : ids) {
                    deletes.add(pool.submit(() -> api.delete("/volumes/" + id)));
                }
                for (Future<Api.Response> f : deletes) {
                    assertThat(f.get().status()).isEqualTo(202);
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> idsInApi(api).isEmpty());
            assertThat(VolumeFiles.ids(basalt.volumesDir())).isEmpty();
        }
    }

    private static Set<String> idsInApi(Api api) throws Exception {
        Set<String> ids = new HashSet<>();
        for (JsonNode v : api.get("/volumes/detail?limit=1000").body().path("volumes")) {
            ids.add(v.path("id").asText());
        }
        return ids;
    }

    private static Set<String> statuses(Api api) throws Exception {
        Set<String> statuses = new HashSet<>();
        for (JsonNode v : api.get("/volumes/detail?limit=1000").body().path("volumes")) {
            statuses.add(v.path("status").asText());
        }
        return statuses;
    }
}
