package dev.basalt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class VolumeIdsTest {

    @Test
    void uuidsPass() {
        String id = UUID.randomUUID().toString();
        assertThat(VolumeIds.requireValid(id)).isSameAs(id);
    }

    @Test
    void aLongBadIdIsShortenedInTheMessage() {
        String bad = "x".repeat(10_000);
        assertThatThrownBy(() -> VolumeIds.requireValid(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .message().hasSizeLessThan(200);
    }
}
