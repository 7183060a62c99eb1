package dev.basalt.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the target measures about itself: sessions logged in, and the bytes read and written through it. */
class TargetMetersTest extends TargetTestSupport {

    private String portal() {
        return "127.0.0.1:" + target.address().getPort();
    }

    private double sessions() {
        Gauge gauge = meters.find("basalt.iscsi.sessions").tag("portal", portal()).gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private double bytes(String name) {
        Counter counter = meters.find(name).tag("portal", portal()).counter();
        return counter == null ? -1 : counter.count();
    }

    @Test
    void countsTheBytesReadAndWrittenThroughTheTarget() throws Exception {
        try (TestInitiator i = session(Map.of("InitialR2T", "No", "FirstBurstLength", "65536",
                "MaxRecvDataSegmentLength", "65536"))) {
            double readBefore = bytes("basalt.iscsi.read");
            double writtenBefore = bytes("basalt.iscsi.written");

            byte[] data = random(256 * 512, 7);
            assertThat(i.write(0, write16(100, 256), data).good()).isTrue();
            assertThat(bytes("basalt.iscsi.written") - writtenBefore).isEqualTo(data.length);

            assertThat(i.read(0, read16(100, 256), data.length).data()).isEqualTo(data);
            assertThat(i.read(0, read16(0, 8), 4096).good()).isTrue();
            assertThat(bytes("basalt.iscsi.read") - readBefore).isEqualTo(data.length + 4096);
        }
    }

    @Test
    void countsTheSessionsLoggedInNow() throws Exception {
        assertThat(sessions()).isZero();
        try (TestInitiator first = session(); TestInitiator second = TestInitiator.connect(target.address(), 0x80_1234_5679L)) {
            assertThat(second.login(IQN, Map.of())).isZero();
            assertThat(sessions()).isEqualTo(2);
            assertThat(first.logout()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> sessions() == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sessions() == 0);
    }
}
