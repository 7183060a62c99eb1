package dev.basalt.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.bus.TransportUrl.Host;
import dev.basalt.common.BasaltException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TransportUrlTest {

    @Test
    void oneBrokerWithUserPasswordPortAndVirtualHost() {
        TransportUrl url = TransportUrl.parse("rabbit://basalt:s3cret@rabbit.example:5673/cloud");

        assertThat(url.scheme()).isEqualTo("rabbit");
        assertThat(url.hosts()).containsExactly(new Host("basalt", "s3cret", "rabbit.example", 5673));
        assertThat(url.virtualHost()).isEqualTo("cloud");
        assertThat(url.query()).isEmpty();
    }

    @Test
    void severalBrokersCommaSeparatedInTheirOrder() {
        TransportUrl url = TransportUrl.parse("rabbit://u:p@h1:5672,u:p@h2:5673,u:p@h3/vh");

        assertThat(url.hosts()).containsExactly(new Host("u", "p", "h1", 5672), new Host("u", "p", "h2", 5673),
                new Host("u", "p", "h3", 5672));
        assertThat(url.addresses()).isEqualTo("h1:5672, h2:5673, h3:5672");
    }

    @Test
    void userAndPasswordAreUrlDecoded() {
        TransportUrl url = TransportUrl.parse("rabbit://us%40er:p%40ss%3Aw%2Fo+rd%25@h/");

        assertThat(url.user()).isEqualTo("us@er");
        assertThat(url.password()).isEqualTo("p@ss:w/o+rd%");
    }

    @ParameterizedTest
    @CsvSource({
        "rabbit://u:p@h, /",
        "rabbit://u:p@h/, /",
        "rabbit://u:p@h//, /",
        "rabbit://u:p@h/%2F, /",
        "rabbit://u:p@h/basalt, basalt",
        "rabbit://u:p@h/a%2Fb, a/b"
    })
    void theVirtualHostIsSlashWhenThePathIsEmptyOrSlash(String text, String virtualHost) {
        assertThat(TransportUrl.parse(text).virtualHost()).isEqualTo(virtualHost);
    }

    @Test
    void portDefaultsTo5672AndUserToGuest() {
        assertThat(TransportUrl.parse("rabbit://broker/").hosts())
                .containsExactly(new Host("guest", "guest", "broker", 5672));
    }

    @Test
    void ipv6HostsInBrackets() {
        TransportUrl url = TransportUrl.parse("rabbit://u:p@[::1]:5999,u:p@[fe80::1]/");

        assertThat(url.hosts()).extracting(Host::host).containsExactly("::1", "fe80::1");
        assertThat(url.hosts()).extracting(Host::port).containsExactly(5999, 5672);
        assertThat(url.addresses()).isEqualTo("[::1]:5999, [fe80::1]:5672");
    }

    @Test
    void queryOptionsAreKeptForTheCallerToWarnAbout() {
        TransportUrl url = TransportUrl.parse("rabbit://u:p@h:5672/vh?ssl=1&heartbeat=30");

        assertThat(url.virtualHost()).isEqualTo("vh");
        assertThat(url.query()).isEqualTo(Map.of("ssl", "1", "heartbeat", "30"));
    }

    @Test
    void theMaskedFormHidesEveryPassword() {
        TransportUrl url = TransportUrl.parse("rabbit://u:secret1@h1:5672,v:secret2@h2:5673/vh");

        assertThat(url.masked()).isEqualTo("rabbit://u:***@h1:5672,v:***@h2:5673/vh");
        assertThat(url.toString()).doesNotContain("secret");
        assertThat(TransportUrl.mask("rabbit://u:secret1@h1:5672,v:se@cret2@h2/vh"))
                .isEqualTo("rabbit://u:***@h1:5672,v:***@h2/vh");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "rabbit://u:secret@/vh",
        "rabbit://u:secret@h:notaport/vh",
        "rabbit://u:secret@h:70000/vh",
        "rabbit://u:secret@h1,/vh",
        "rabbit://u:secret@[::1/vh",
        "u:secret@h:5672",
        "rabbit://u:secret@h/%zz"
    })
    void aMalformedUrlFailsWithOneLineNamingTheOptionWithoutThePassword(String text) {
        assertThatThrownBy(() -> TransportUrl.parse(text))
                .isInstanceOf(BasaltException.class)
                .hasMessageStartingWith("[DEFAULT] transport_url = ")
                .hasMessageNotContaining("secret")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void theErrorSaysWhatIsWrong() {
        assertThatThrownBy(() -> TransportUrl.parse("rabbit://u:pw@h:notaport/vh"))
                .hasMessage("[DEFAULT] transport_url = rabbit://u:***@h:notaport/vh: port is not a number from 1 to 65535: notaport");
        assertThatThrownBy(() -> TransportUrl.parse("rabbit:///vh")).hasMessageEndingWith(": no host given");
    }

    @Test
    void hostsKeepTheirOwnCredentials() {
        TransportUrl url = TransportUrl.parse("rabbit://a:1@h1,b:2@h2/");

        assertThat(url.hosts()).extracting(Host::user).isEqualTo(List.of("a", "b"));
    }
}
