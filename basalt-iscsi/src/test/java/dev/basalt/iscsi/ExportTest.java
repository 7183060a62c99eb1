package dev.basalt.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The values callers build exports from. */
class ExportTest {
    static final Lun L0 = Lun.readWrite(0, Path.of("/v/0"), "vol-0");

    @ParameterizedTest
    @ValueSource(strings = {"iqn.2010-10.org.openstack:volume-8f0e4b52-1c2e-4a8b-9d1e-2b7c3f4a5d6e",
        "iqn.2024-01.dev.basalt", "eui.0123456789ABCDEF", "naa.52004567ba64678d"})
    void validNamesAreAcceptedInLowerCase(String name) {
        assertThat(Iqn.isValid(name)).isTrue();
        assertThat(Export.of(name, List.of(L0)).iqn()).isEqualTo(name.toLowerCase());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "volume-1", "iqn.2010.org:x", "iqn.2010-10.:x", "eui.123", "iqn.2010-10.org.openstack:a b"})
    void invalidNamesAreRefused(String name) {
        assertThat(Iqn.isValid(name)).isFalse();
        assertThatThrownBy(() -> Export.of(name, List.of(L0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lunsAreSortedAndUnique() {
        Lun l1 = Lun.readOnly(1, Path.of("/v/1"), "vol-1");
        assertThat(Export.of("iqn.2024-01.dev.basalt:x", List.of(l1, L0)).luns()).containsExactly(L0, l1);
        assertThatThrownBy(() -> Export.of("iqn.2024-01.dev.basalt:x", List.of(L0, L0))).hasMessageContaining("twice");
        assertThatThrownBy(() -> Export.of("iqn.2024-01.dev.basalt:x", List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> Lun.readWrite(16384, Path.of("/v"), "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lun.readWrite(0, Path.of("/v"), "has space")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chapSecretsHaveAMinimumLengthAndNeverPrint() {
        assertThatThrownBy(() -> new ChapCredentials("user", "short")).hasMessageContaining("12 to 255");
        ChapCredentials c = new ChapCredentials("user", "long-enough-secret");
        assertThat(c.toString()).doesNotContain("long-enough-secret");
    }

    @Test
    void mutualChapNeedsChapAndADifferentSecret() {
        Export open = Export.of("iqn.2024-01.dev.basalt:x", List.of(L0));
        assertThatThrownBy(() -> open.withMutualChap("t", "target-secret-1")).hasMessageContaining("needs CHAP");
        assertThatThrownBy(() -> open.withChap("u", "same-secret-123").withMutualChap("t", "same-secret-123"))
                .hasMessageContaining("must differ");
        Export both = open.withChap("u", "user-secret-123").withMutualChap("t", "target-secret-1");
        assertThat(both.chap()).contains(new ChapCredentials("u", "user-secret-123"));
        assertThat(both.mutualChap()).contains(new ChapCredentials("t", "target-secret-1"));
    }

    @Test
    void initiatorListsAdmitByName() {
        Export e = Export.of("iqn.2024-01.dev.basalt:x", List.of(L0)).withInitiators(Set.of("iqn.1994-05.com.redhat:Host1"));
        assertThat(e.admits("IQN.1994-05.COM.REDHAT:host1")).isTrue();
        assertThat(e.admits("iqn.1994-05.com.redhat:host2")).isFalse();
        assertThat(Export.of("iqn.2024-01.dev.basalt:x", List.of(L0)).admits("anyone")).isTrue();
    }

    @Test
    void connectionInfoUrls() {
        ConnectionInfo open = new ConnectionInfo("10.0.0.5", 3260, "iqn.2024-01.dev.basalt:x", 0, Optional.empty(), Optional.empty());
        assertThat(open.url()).isEqualTo("iscsi://10.0.0.5:3260/iqn.2024-01.dev.basalt:x/0");
        assertThat(open.authMethod()).isEqualTo("None");
        ConnectionInfo v6 = new ConnectionInfo("::1", 3260, "iqn.2024-01.dev.basalt:x", 2,
                Optional.of(new ChapCredentials("u", "user-secret-123")), Optional.of(new ChapCredentials("t", "target-secret-1")));
        assertThat(v6.portal()).isEqualTo("[::1]:3260");
        assertThat(v6.url()).isEqualTo("iscsi://u%user-secret-123@[::1]:3260/iqn.2024-01.dev.basalt:x/2"
                + "?target_user=t&target_password=target-secret-1");
        assertThat(v6.toString()).doesNotContain("secret");
    }

    @Test
    void targetConfigChecksItsLimits() {
        TargetConfig d = TargetConfig.defaults();
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isEqualTo(3260);
        assertThatThrownBy(() -> d.withAddress("127.0.0.1", 70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxRecvDataSegmentLength(100)).isInstanceOf(IllegalArgumentException.class);
    }
}
