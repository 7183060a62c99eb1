package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The {@link GlanceServer} fixture: an uploaded image becomes active with the data's size and checksum. */
@ExtendWith(KeystoneExtension.class)
class GlanceServerIT {
    @TempDir
    Path temp;

    @Test
    void withoutAuthAnImageIsUploadedAndActive() throws Exception {
        Path data = Files.write(temp.resolve("data"), new byte[1 << 20]);
        try (GlanceServer glance = GlanceServer.start()) {
            String id = glance.uploadImage(null, "noauth-image", "raw", data, Map.of("hw_scsi_model", "virtio-scsi"));
            JsonNode image = glance.image(null, id);
            assertThat(image.path("status").asText()).isEqualTo("active");
            assertThat(image.path("size").asLong()).isEqualTo(1 << 20);
            assertThat(image.path("hw_scsi_model").asText()).isEqualTo("virtio-scsi");
        }
    }

    @Test
    void withKeystoneTokensAreChecked(KeystoneServer keystone) throws Exception {
        Path data = Files.write(temp.resolve("data"), new byte[4096]);
        try (GlanceServer glance = GlanceServer.start(keystone)) {
            String token = keystone.token(KeystoneServer.ALICE);
            String id = glance.uploadImage(token, "alice-image", "raw", data, Map.of());
            assertThat(glance.image(token, id).path("owner").asText()).isEqualTo(keystone.projectId("alpha"));
            assertThatThrownBy(() -> glance.image("not-a-token", id))
                    .hasMessageContaining("401");
        }
    }
}
