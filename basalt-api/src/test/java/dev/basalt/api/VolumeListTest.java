package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lists over 30 volumes of the test project (plus some of another project) written straight to the database. */
class VolumeListTest {
    static final Instant BASE = Instant.parse("2026-03-01T10:00:00Z");
    static TestApi api;
    static List<Volume> mine = new ArrayList<>();

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(7));
        String typeId = api.types.findByName("__DEFAULT__").orElseThrow().id();
        for (int i = 0; i < 30; i++) {
            Volume v = new Volume(Ids.newId(), TestApi.PROJECT, TestApi.USER, "vol-" + (i % 10), i % 3 == 0 ? "gold" : null,
                    1 + i % 4, i % 5 == 0 ? VolumeStatus.ERROR : VolumeStatus.AVAILABLE, AttachStatus.DETACHED,
                    i % 2 == 0 ? "nova" : "other", "h@b#p", typeId, i % 6 == 0, false, null, null, null, null,
                    i % 4 == 0 ? Map.of("tier", "fast", "n", String.valueOf(i)) : Map.of("n", String.valueOf(i)),
                    BASE.plusSeconds(i * 60L), null, null);
            api.volumes.create(v);
            mine.add(v);
        }
        for (int i = 0; i < 5; i++) {
            api.volumes.create(new Volume(Ids.newId(), "otherproject", "bob", "theirs", null, 1, VolumeStatus.AVAILABLE,
                    AttachStatus.DETACHED, "nova", null, null, false, false, null, null, null, null, Map.of(),
                    BASE, null, null));
        }
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("volumes").forEach(v -> ids.add(v.get("id").asText()));
        return ids;
    }

    /** Every id the listing yields, following next links (pages hold at most 7). */
    private static List<String> all(String path, String version) {
        List<String> ids = new ArrayList<>();
        String url = path;
        while (url != null) {
            TestApi.Reply r = api.get(url, version);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            ids.addAll(ids(r.json()));
            JsonNode links = r.json().get("volumes_links");
            url = null;
            if (links != null) {
                URI next = URI.create(links.get(0).get("href").asText());
                url = next.getRawPath() + "?" + next.getRawQuery();
            }
        }
        return ids;
    }

    private static List<String> all(String path) {
        return all(path, null);
    }

    @Test
    void summaryListHasIdNameAndLinksOnly() {
        JsonNode first = api.get(TestApi.p("/volumes?limit=1")).json().get("volumes").get(0);
        assertThat(TestApi.fieldNames(first)).containsExactly("id", "links", "name");
    }

    @Test
    void walksAllPagesFollowingNextLinks() {
        for (String collection : new String[] {"/volumes", "/volumes/detail"}) {
            Set<String> seen = new HashSet<>();
            String url = TestApi.p(collection + "?sort=size:asc,name:desc");
            int pages = 0;
            while (url != null) {
                JsonNode page = api.get(url).json();
                List<String> ids = ids(page);
                assertThat(ids.size()).isLessThanOrEqualTo(7);
                for (String id : ids) {
                    assertThat(seen.add(id)).as("each volume once").isTrue();
                }
                JsonNode links = page.get("volumes_links");
                url = null;
                if (links != null) {
                    URI next = URI.create(links.get(0).get("href").asText());
                    assertThat(links.get(0).get("rel").asText()).isEqualTo("next");
                    assertThat(next.getPath()).isEqualTo("/v3/" + TestApi.PROJECT + collection);
                    url = next.getRawPath() + "?" + next.getRawQuery();
                }
                pages++;
                assertThat(pages).isLessThan(10);
            }
            assertThat(seen).hasSize(30);
            assertThat(pages).isEqualTo(5);
        }
    }

    @Test
    void limitIsCappedByMaxLimit() {
        assertThat(ids(api.get(TestApi.p("/volumes?limit=100")).json())).hasSize(7);
        assertThat(ids(api.get(TestApi.p("/volumes?limit=3")).json())).hasSize(3);
        assertThat(api.get(TestApi.p("/volumes?limit=abc")).status()).isEqualTo(400);
        assertThat(api.get(TestApi.p("/volumes?limit=-1")).status()).isEqualTo(400);
    }

    @Test
    void sortsByKeysAndLegacyParameters() {
        JsonNode bySize = api.get(TestApi.p("/volumes/detail?sort=size:asc,created_at:asc&limit=7")).json();
        List<Integer> sizes = new ArrayList<>();
        bySize.get("volumes").forEach(v -> sizes.add(v.get("size").asInt()));
        assertThat(sizes).isSorted();
        JsonNode legacy = api.get(TestApi.p("/volumes/detail?sort_key=created_at&sort_dir=asc&limit=3")).json();
        assertThat(ids(legacy)).containsExactly(mine.get(0).id(), mine.get(1).id(), mine.get(2).id());
        JsonNode newestFirst = api.get(TestApi.p("/volumes?limit=1")).json();
        assertThat(ids(newestFirst)).containsExactly(mine.get(29).id());
        assertThat(api.get(TestApi.p("/volumes?sort=size&sort_key=name")).status()).isEqualTo(400);
        assertThat(api.get(TestApi.p("/volumes?sort=size:sideways")).status()).isEqualTo(400);
        assertThat(api.get(TestApi.p("/volumes?sort=nonsense")).status()).isEqualTo(400);
    }

    @Test
    void filtersByFields() {
        assertThat(all(TestApi.p("/volumes?name=vol-3"))).hasSize(3);
        assertThat(all(TestApi.p("/volumes?status=error"))).hasSize(6);
        assertThat(all(TestApi.p("/volumes?availability_zone=other"))).hasSize(15);
        assertThat(all(TestApi.p("/volumes?bootable=true"))).hasSize(5);
        assertThat(all(TestApi.p("/volumes?size=2"))).hasSize(8);
        assertThat(all(TestApi.p("/volumes?metadata=%7B%27tier%27%3A%20%27fast%27%7D")))
                .hasSize(8);
        assertThat(all(TestApi.p("/volumes?metadata=" + java.net.URLEncoder.encode("{'tier':'fast','n':'4'}",
                java.nio.charset.StandardCharsets.UTF_8))))
                .containsExactly(mine.get(4).id());
    }

    @Test
    void bootableFilterIsStrictFrom32() {
        assertThat(api.get(TestApi.p("/volumes?bootable=maybe"), "3.2").status()).isEqualTo(400);
        assertThat(all(TestApi.p("/volumes?bootable=maybe"), "3.1")).hasSize(5);
        assertThat(all(TestApi.p("/volumes?bootable=0"), "3.2")).hasSize(25);
    }

    @Test
    void likeFiltersFrom334() {
        assertThat(all(TestApi.p("/volumes?name~=ol-1"), "3.34")).hasSize(3);
        assertThat(all(TestApi.p("/volumes?name~=ol-1"), "3.33")).hasSize(30);
        assertThat(all(TestApi.p("/volumes?description~=ol"), "3.34")).hasSize(10);
    }

    @Test
    void unknownFilterMatchesNothingForAdministrators() {
        assertThat(ids(api.get(TestApi.p("/volumes?no_such_field=1")).json())).isEmpty();
        assertThat(all(TestApi.p("/volumes?migration_status=None"))).hasSize(30);
        assertThat(all(TestApi.p("/volumes?migration_status=migrating"))).isEmpty();
        assertThat(all(TestApi.p("/volumes?group_id=abc"), "3.10")).isEmpty();
        assertThat(all(TestApi.p("/volumes?group_id=abc"), "3.9")).hasSize(30);
    }

    @Test
    void migrationStatusMatchesTheVolumesColumnAndNoneTheVolumesNeverMigrated() {
        try (TestApi own = new TestApi()) {
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                created.add(own.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1}}").json().get("volume")
                        .get("id").asText());
            }
            created.forEach(id -> own.awaitStatus(id, VolumeStatus.AVAILABLE));
            TestApi.Reply reset = own.post(TestApi.p("/volumes/" + created.get(0) + "/action"),
                    "{\"os-reset_status\": {\"migration_status\": \"error\"}}");
            assertThat(reset.status()).as(reset.text()).isEqualTo(202);
            assertThat(ids(own.get(TestApi.p("/volumes?migration_status=error")).json())).containsExactly(created.get(0));
            assertThat(ids(own.get(TestApi.p("/volumes?migration_status=None")).json()))
                    .containsExactlyInAnyOrder(created.get(1), created.get(2));
            assertThat(ids(own.get(TestApi.p("/volumes?migration_status~=err"), "3.34").json()))
                    .containsExactly(created.get(0));
            assertThat(ids(own.get(TestApi.p("/volumes?migration_status=success")).json())).isEmpty();
        }
    }

    @Test
    void countFrom345() {
        JsonNode counted = api.get(TestApi.p("/volumes?with_count=true&limit=2"), "3.45").json();
        assertThat(counted.get("count").asInt()).isEqualTo(30);
        assertThat(ids(counted)).hasSize(2);
        JsonNode filtered = api.get(TestApi.p("/volumes/detail?with_count=true&status=error"), "3.45").json();
        assertThat(filtered.get("count").asInt()).isEqualTo(6);
        assertThat(api.get(TestApi.p("/volumes?with_count=true"), "3.44").json().has("count")).isFalse();
        assertThat(api.get(TestApi.p("/volumes?with_count=perhaps"), "3.45").status()).isEqualTo(400);
    }

    @Test
    void allTenantsShowsEveryProjectToAdministrators() {
        JsonNode every = api.get(TestApi.p("/volumes?all_tenants=1&with_count=1"), "3.45").json();
        assertThat(every.get("count").asInt()).isEqualTo(35);
        assertThat(all(TestApi.p("/volumes?all_tenants=1&project_id=otherproject"))).hasSize(5);
        assertThat(all(TestApi.p("/volumes"))).hasSize(30);
    }

    @Test
    void timeComparisonFiltersFrom360() {
        String after = "/volumes?created_at=gt:2026-03-01T10:20:00";
        assertThat(all(TestApi.p(after), "3.60")).hasSize(9);
        assertThat(all(TestApi.p("/volumes?created_at=gte:2026-03-01T10:20:00,lt:2026-03-01T10:25:00"), "3.60"))
                .hasSize(5);
        assertThat(all(TestApi.p(after), "3.59")).hasSize(30);
        assertThat(api.get(TestApi.p("/volumes?created_at=soon:2026-03-01"), "3.60").status()).isEqualTo(400);
        assertThat(api.get(TestApi.p("/volumes?created_at=gt:yesterday"), "3.60").status()).isEqualTo(400);
    }

    @Test
    void consumesQuotaFilterFrom365() {
        assertThat(ids(api.get(TestApi.p("/volumes?consumes_quota=false"), "3.65").json())).isEmpty();
        assertThat(all(TestApi.p("/volumes?consumes_quota=true"), "3.65")).hasSize(30);
    }

    @Test
    void markerAndOffset() {
        String marker = mine.get(29).id();
        JsonNode after = api.get(TestApi.p("/volumes?limit=2&marker=" + marker)).json();
        assertThat(ids(after)).containsExactly(mine.get(28).id(), mine.get(27).id());
        JsonNode skipped = api.get(TestApi.p("/volumes?limit=2&offset=1&marker=" + marker)).json();
        assertThat(ids(skipped)).containsExactly(mine.get(27).id(), mine.get(26).id());
        String unknown = Ids.newId();
        TestApi.Reply badMarker = api.get(TestApi.p("/volumes?marker=" + unknown));
        assertThat(badMarker.status()).as("Cinder looks the marker up as a volume").isEqualTo(404);
        assertThat(badMarker.faultMessage()).isEqualTo("Volume " + unknown + " could not be found.");
    }

    @Test
    void summaryFrom312WithMetadataFrom336() {
        assertThat(api.get(TestApi.p("/volumes/summary"), "3.11").status()).isEqualTo(404);
        JsonNode s = api.get(TestApi.p("/volumes/summary"), "3.12").json().get("volume-summary");
        assertThat(s.get("total_count").asInt()).isEqualTo(30);
        int size = mine.stream().mapToInt(Volume::size).sum();
        assertThat(s.get("total_size").asInt()).isEqualTo(size);
        assertThat(s.has("metadata")).isFalse();
        JsonNode m = api.get(TestApi.p("/volumes/summary"), "3.36").json().get("volume-summary").get("metadata");
        assertThat(m.get("tier").get(0).asText()).isEqualTo("fast");
        assertThat(m.get("n")).hasSize(30);
        assertThat(api.get(TestApi.p("/volumes/summary?all_tenants=1"), "3.12").json().get("volume-summary")
                .get("total_count").asInt()).isEqualTo(35);
    }
}
