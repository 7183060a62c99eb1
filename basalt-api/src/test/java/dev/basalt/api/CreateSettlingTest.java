package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A create request may wait, boundedly, for its volume to settle before it answers. */
class CreateSettlingTest {

    @Test
    void answersWithTheSettledVolumeWhenTheWorkIsQuick() {
        try (TestApi api = new TestApi(TestApi.settings(1000).withCreateSettleWait(Duration.ofSeconds(10)))) {
            TestApi.Reply r = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1}}");
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.json().get("volume").get("status").asText()).isEqualTo("available");
        }
    }

    @Test
    void answersCreatingWhenTheVolumeDoesNotSettleInTime() {
        try (TestApi api = new TestApi(TestApi.settings(1000).withCreateSettleWait(Duration.ofMillis(50)))) {
            api.holdScheduling = true;
            TestApi.Reply r = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1}}");
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.json().get("volume").get("status").asText()).isEqualTo("creating");
        }
    }

    @Test
    void answersAtOnceWhenWaitingIsOff() {
        try (TestApi api = new TestApi()) {
            api.holdScheduling = true;
            TestApi.Reply r = api.post(TestApi.p("/volumes"), "{\"volume\": {\"size\": 1}}");
            assertThat(r.json().get("volume").get("status").asText()).isEqualTo("creating");
        }
    }
}
