package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.db.VolumeProgress;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.VolumeStatus;
import org.junit.jupiter.api.Test;

/** Basalt's {@code basalt:progress}: in a volume's detail while image work runs on it, and nowhere else. */
class VolumeProgressViewTest {

    private static JsonNode detailOf(TestApi api, String id) {
        for (JsonNode v : api.get(TestApi.p("/volumes/detail")).json().get("volumes")) {
            if (v.get("id").asText().equals(id)) {
                return v;
            }
        }
        throw new AssertionError("volume " + id + " is not listed");
    }

    @Test
    void theDetailShowsTheProgressOfImageWorkOnlyWhileTheVolumeIsInAStatusThatRunsIt() {
        try (TestApi api = new TestApi()) {
            String id = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1}}").json().get("volume").get("id")
                    .asText();
            api.awaitStatus(id, VolumeStatus.AVAILABLE);
            VolumeProgress progress = new VolumeProgress(api.db);
            progress.report(id, 37);
            assertThat(api.get(TestApi.p("/volumes/" + id)).json().get("volume").has("basalt:progress"))
                    .as("available: no image work runs").isFalse();

            api.volumes.resetStatus(id, VolumeStatus.UPLOADING, AttachStatus.DETACHED);
            assertThat(api.get(TestApi.p("/volumes/" + id)).json().get("volume").get("basalt:progress").asInt())
                    .isEqualTo(37);
            assertThat(detailOf(api, id).get("basalt:progress").asInt()).isEqualTo(37);
            progress.report(id, 64);
            assertThat(detailOf(api, id).get("basalt:progress").asInt()).as("a listed volume's new progress")
                    .isEqualTo(64);
            assertThat(api.get(TestApi.p("/volumes")).json().get("volumes").get(0).has("basalt:progress"))
                    .as("the summary list").isFalse();
            progress.clear(id);
            assertThat(detailOf(api, id).has("basalt:progress")).isFalse();
        }
    }
}
