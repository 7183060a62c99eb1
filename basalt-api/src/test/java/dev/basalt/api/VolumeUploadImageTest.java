package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.model.AttachStatus;
import dev.basalt.model.VolumeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of {@code os-volume_upload_image} that are decided before Glance is asked, for each
 * persona, with {@code enable_force_upload} off and on: the request's schema per microversion, the
 * policies {@code upload_image} and {@code upload_public}, the volume's status ({@code force}
 * counting only when enabled), and an Image service that cannot be asked (none configured here):
 * a 400 that leaves the volume as it was. The answer of an accepted upload is checked against a
 * real Glance in basalt-it ({@code VolumeUploadToImageIT}).
 */
class VolumeUploadImageTest {
    static final String READER = TestApi.USER + ":" + TestApi.PROJECT + ":reader";
    static final String ADMIN = "root:" + TestApi.PROJECT + ":admin";
    static final String STRANGER = "bob:otherproject";
    static TestApi api;
    static TestApi forcing;

    @BeforeAll
    static void start() {
        QuotaSettings unlimited = new QuotaSettings(-1, -1, -1, -1, -1, -1, -1, true);
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS, unlimited);
        forcing = new TestApi(TestApi.settings(1000).withEnableForceUpload(true), MemberPolicyTest.MEMBERS, unlimited);
    }

    @AfterAll
    static void stop() {
        api.close();
        forcing.close();
    }

    private static TestApi.Reply upload(TestApi on, String id, String token, String version, String params) {
        return on.call("POST", TestApi.p("/volumes/" + id + "/action")).token(token).version(version)
                .body("{\"os-volume_upload_image\": {" + params + "}}").send();
    }

    private static String inUse(TestApi on, String name) {
        String id = on.availableVolume(name, 1);
        assertThat(on.volumes.resetStatus(id, VolumeStatus.IN_USE, AttachStatus.ATTACHED)).isTrue();
        return id;
    }

    private static VolumeStatus status(TestApi on, String id) {
        return on.volumes.find(id).orElseThrow().status();
    }

    @ParameterizedTest
    @ValueSource(strings = {"error", "creating", "in-use", "backing-up", "maintenance"})
    void aVolumeThatIsNotAvailableIsRefused(String state) {
        String id = api.availableVolume("busy-" + state, 1);
        api.volumes.resetStatus(id, VolumeStatus.fromApiName(state).orElseThrow(), null);
        TestApi.Reply r = upload(api, id, TestApi.TOKEN, "3.0", "\"image_name\": \"img\"");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo("Invalid volume: Volume " + id + " status must be available");
        assertThat(status(api, id).apiName()).isEqualTo(state);
    }

    @Test
    void forceIsIgnoredWhileEnableForceUploadIsOff() {
        String id = inUse(api, "attached");
        TestApi.Reply r = upload(api, id, TestApi.TOKEN, "3.0", "\"image_name\": \"img\", \"force\": true");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo("Invalid volume: Volume " + id + " status must be available");
        assertThat(status(api, id)).isEqualTo(VolumeStatus.IN_USE);
    }

    @Test
    void withForceUploadEnabledAnInUseVolumeGetsAsFarAsTheImageServiceAndIsPutBackInUse() {
        String id = inUse(forcing, "attached-forced");
        TestApi.Reply r = upload(forcing, id, TestApi.TOKEN, "3.0", "\"image_name\": \"img\", \"force\": \"True\"");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).startsWith("The image could not be created in the Image service: No Image"
                + " service is configured");
        assertThat(status(forcing, id)).isEqualTo(VolumeStatus.IN_USE);
        String error = forcing.availableVolume("error-forced", 1);
        forcing.volumes.resetStatus(error, VolumeStatus.ERROR, null);
        TestApi.Reply refused = upload(forcing, error, TestApi.TOKEN, "3.0", "\"image_name\": \"img\", \"force\": true");
        assertThat(refused.faultMessage()).isEqualTo("Invalid volume: Volume " + error
                + " status must be available or in-use");
    }

    @Test
    void anAvailableVolumeIsPutBackWhenTheImageServiceCannotBeAsked() {
        String id = api.availableVolume("no-glance", 1);
        TestApi.Reply r = upload(api, id, TestApi.TOKEN, "3.1", "\"image_name\": \"img\", \"disk_format\": \"qcow2\"");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).contains("Image service");
        assertThat(status(api, id)).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"image_name\": \"img\", \"disk_format\": \"iso\"",
            "\"image_name\": \"img\", \"disk_format\": \"QCOW2\"",
            "\"image_name\": \"\"",
            "\"disk_format\": \"raw\"",
            "\"image_name\": \"img\", \"force\": \"maybe\"",
            "\"image_name\": \"img\", \"container_format\": 7",
            "\"image_name\": \"img\", \"visibility\": \"private\"",
            "\"image_name\": \"img\", \"protected\": true",
            "\"image_name\": \"img\", \"colour\": \"blue\""})
    void aBodyCinder30RefusesIsA400(String params) {
        String id = api.availableVolume("bad-body", 1);
        TestApi.Reply r = upload(api, id, TestApi.TOKEN, "3.0", params);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).startsWith("Invalid input for field/attribute");
        assertThat(status(api, id)).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @Test
    void aCompressedContainerIsRefusedAsWithoutAllowCompressionOnImageUpload() {
        String id = api.availableVolume("compressed", 1);
        TestApi.Reply r = upload(api, id, TestApi.TOKEN, "3.0", "\"image_name\": \"img\", \"container_format\": \"compressed\"");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo("Image compression upload disallowed, but container_format is compressed");
        assertThat(status(api, id)).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"image_name\": \"img\", \"visibility\": \"everyone\"",
            "\"image_name\": \"img\", \"protected\": \"perhaps\""})
    void aBodyCinder31RefusesIsA400(String params) {
        String id = api.availableVolume("bad-body-31", 1);
        TestApi.Reply r = upload(api, id, TestApi.TOKEN, "3.1", params);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).startsWith("Invalid input for field/attribute");
    }

    @Test
    void aReaderMayNotUploadAndAnotherProjectDoesNotSeeTheVolume() {
        String id = api.availableVolume("guarded", 1);
        TestApi.Reply reader = upload(api, id, READER, "3.0", "\"image_name\": \"img\"");
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.faultMessage()).isEqualTo(
                "Policy doesn't allow volume_extension:volume_actions:upload_image to be performed.");
        TestApi.Reply stranger = api.call("POST", "/v3/otherproject/volumes/" + id + "/action").token(STRANGER)
                .version("3.0").body("{\"os-volume_upload_image\": {\"image_name\": \"img\"}}").send();
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(status(api, id)).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @Test
    void onlyAnAdministratorMayMakeThePublicImage() {
        String id = api.availableVolume("public", 1);
        TestApi.Reply member = upload(api, id, TestApi.TOKEN, "3.1", "\"image_name\": \"img\", \"visibility\": \"public\"");
        assertThat(member.status()).isEqualTo(403);
        assertThat(member.faultMessage()).isEqualTo(
                "Policy doesn't allow volume_extension:volume_actions:upload_public to be performed.");
        assertThat(status(api, id)).isEqualTo(VolumeStatus.AVAILABLE);
        TestApi.Reply admin = upload(api, id, ADMIN, "3.1", "\"image_name\": \"img\", \"visibility\": \"public\"");
        assertThat(admin.status()).as("past policy, the Image service is asked").isEqualTo(400);
        assertThat(admin.faultMessage()).contains("Image service");
        TestApi.Reply shared = upload(api, id, TestApi.TOKEN, "3.1", "\"image_name\": \"img\", \"visibility\": \"shared\"");
        assertThat(shared.status()).isEqualTo(400);
        assertThat(shared.faultMessage()).contains("Image service");
    }
}
