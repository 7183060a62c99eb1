package dev.basalt.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupUrlTest {
    private static final Backup BACKUP = new Backup("b1", "p1", "u1", "v1", null, "node1", "nova", "nightly", "desc",
            "c1", BackupStatus.AVAILABLE, null, "cinder.backup.drivers.posix.PosixBackupDriver", null, 2, 5, "b0", 1,
            Instant.parse("2026-12-07T01:02:03.456Z"), null, null, null, 100, 4096L, Map.of("k", "v"),
            Instant.parse("2026-12-07T01:02:03Z"), null);

    @Test
    void aRecordCarriesTheBackupsOwnFieldsAndItsManifest() {
        byte[] manifest = "{\"format\":1}".getBytes(StandardCharsets.UTF_8);
        BackupUrl.Contents contents = BackupUrl.decode(BackupUrl.encode(BACKUP, manifest));
        assertThat(contents.manifest()).isEqualTo(manifest);
        Backup back = contents.backup();
        assertThat(back.id()).isEqualTo("b1");
        assertThat(back.volumeId()).isEqualTo("v1");
        assertThat(back.name()).isEqualTo("nightly");
        assertThat(back.description()).isEqualTo("desc");
        assertThat(back.container()).isEqualTo("c1");
        assertThat(back.size()).isEqualTo(2);
        assertThat(back.objectCount()).isEqualTo(5);
        assertThat(back.parentId()).isEqualTo("b0");
        assertThat(back.availabilityZone()).isEqualTo("nova");
        assertThat(back.dataTimestamp()).isEqualTo(BACKUP.dataTimestamp());
        assertThat(back.storedBytes()).isEqualTo(4096L);
        assertThat(back.metadata()).containsExactly(Map.entry("k", "v"));
        assertThat(back.status()).isEqualTo(BackupStatus.AVAILABLE);
        assertThat(back.projectId()).isNull();
        assertThat(back.host()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "bm90IGpzb24=", "eyJmb3JtYXQiOiAib3RoZXIifQ==",
            "eyJmb3JtYXQiOiAiYmFzYWx0LWJhY2t1cC1yZWNvcmQiLCAidmVyc2lvbiI6IDJ9",
            "eyJmb3JtYXQiOiAiYmFzYWx0LWJhY2t1cC1yZWNvcmQiLCAidmVyc2lvbiI6IDEsICJiYWNrdXAiOiB7fX0="})
    void anythingElseIsRefusedWithAReason(String url) {
        assertThatThrownBy(() -> BackupUrl.decode(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the backup");
    }

    @Test
    void aRecordWithoutAManifestIsRefused() {
        String document = "{\"format\": \"basalt-backup-record\", \"version\": 1, \"backup\": {\"id\": \"b1\","
                + " \"volume_id\": \"v1\", \"size\": 1}}";
        assertThatThrownBy(() -> BackupUrl.decode(Base64.getEncoder().encodeToString(
                document.getBytes(StandardCharsets.UTF_8)))).hasMessage("the backup record has no manifest");
    }
}
