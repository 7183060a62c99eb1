package dev.basalt.api.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.glance.GlanceClient;
import dev.basalt.glance.GlanceImage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** Cinder's checks of an image before a volume is made from it, each with Cinder's message and a 400. */
class VolumeImagesTest {
    private static final long GIB = 1L << 30;
    private static final String ID = "5f0c7b7e-1c8e-4a57-9a3f-0e6f1f2d3c4b";

    private static GlanceImage image(String status, Long size, Long virtualSize, int minDisk) {
        return new GlanceImage(ID, "img", status, "raw", "bare", size, virtualSize, minDisk, 0, "abc", Map.of());
    }

    private static void refused(GlanceImage image, int size, String message) {
        assertThatThrownBy(() -> VolumeImages.check(image, size)).isInstanceOf(BasaltException.class)
                .hasMessage(message).asInstanceOf(InstanceOfAssertFactories.type(BasaltException.class))
                .extracting(BasaltException::fault).isEqualTo(Fault.BAD_REQUEST);
    }

    @Test
    void anActiveImageThatFitsIsAccepted() {
        assertThatCode(() -> VolumeImages.check(image("active", GIB, GIB, 1), 1)).doesNotThrowAnyException();
    }

    @Test
    void anImageThatIsNotActiveIsRefused() {
        refused(image("queued", null, null, 0), 1, "Invalid input received: Image " + ID + " is not active.");
    }

    @Test
    void anImageLargerThanTheVolumeIsRefused() {
        refused(image("active", GIB + 1, null, 0), 1,
                "Invalid input received: Size of specified image 2GB is larger than volume size 1GB.");
    }

    @Test
    void aVolumeSmallerThanTheImagesMinDiskIsRefused() {
        refused(image("active", 4096L, null, 3), 2,
                "Invalid input received: Volume size 2GB cannot be smaller than the image minDisk size 3GB.");
    }

    @Test
    void anImageWhoseDiskDoesNotFitIsRefused() {
        refused(image("active", 4096L, 3 * GIB, 0), 2, "Image " + ID
                + " is unacceptable: Image virtual size is 3GB and doesn't fit in a volume of size 2GB.");
    }

    @Test
    void withoutAnImageServiceTheCreateAnswers503() {
        VolumeImages images = new VolumeImages(GlanceClient.create(Duration.ofSeconds(1)), ImageEndpoints.none());
        assertThatThrownBy(() -> images.choose(new ImageRef(ID, "u:p"), 1))
                .asInstanceOf(InstanceOfAssertFactories.type(BasaltException.class))
                .extracting(BasaltException::fault).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    }

    @Test
    void glanceApiServersWithoutSchemeAreHttp() {
        ImageEndpoints endpoints = ImageEndpoints.of(List.of("glance.example:9292"), null);
        org.assertj.core.api.Assertions.assertThat(endpoints.locate(null).toString())
                .isEqualTo("http://glance.example:9292");
    }
}
