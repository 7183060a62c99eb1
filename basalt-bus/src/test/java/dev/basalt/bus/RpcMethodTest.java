package dev.basalt.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RpcMethodTest {
    private final RpcMethod<String, Void> served = RpcMethod.cast("create_volume", "1.2", String.class);

    @Test
    void acceptsTheSameMajorVersionUpToItsMinor() {
        assertThat(served.accepts("1.0")).isTrue();
        assertThat(served.accepts("1.2")).isTrue();
        assertThat(served.accepts("1.3")).isFalse();
        assertThat(served.accepts("2.0")).isFalse();
        assertThat(served.accepts("0.9")).isFalse();
        assertThat(served.accepts(null)).isFalse();
        assertThat(served.accepts("one")).isFalse();
    }

    @Test
    void refusesAVersionThatIsNotMajorDotMinor() {
        assertThatThrownBy(() -> RpcMethod.cast("m", "1", String.class)).hasMessageContaining("major.minor");
        assertThatThrownBy(() -> RpcMethod.cast("m", "1.x", String.class)).hasMessageContaining("major.minor");
    }
}
