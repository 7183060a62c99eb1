package dev.basalt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** [keystone_authtoken] and [oslo_policy] as an operator writes them in cinder.conf. */
class KeystoneAndPolicyOptionsTest {
    @TempDir
    Path dir;

    private static KeystoneAuthOptions keystone(BasaltConfig config) {
        return KeystoneAuthOptions.from(config.source().section("keystone_authtoken"));
    }

    @Test
    void cindersKeystoneSectionCarriesOver() {
        Path conf = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]",
                "auth_strategy = keystone",
                "[keystone_authtoken]",
                "www_authenticate_uri = http://keystone.example:5000",
                "auth_url = http://127.0.0.1:5000/v3",
                "auth_type = password",
                "project_domain_name = Default",
                "user_domain_name = Default",
                "project_name = service",
                "username = cinder",
                "password = s3cret",
                "token_cache_time = 120",
                "memcached_servers = localhost:11211");
        BasaltConfig config = BasaltConfig.load(List.of(conf));
        KeystoneAuthOptions k = keystone(config).requireComplete();

        assertThat(config.defaults().authStrategy()).isEqualTo(AuthStrategy.KEYSTONE);
        assertThat(k.authUrl()).contains(URI.create("http://127.0.0.1:5000/v3"));
        assertThat(k.challengeUri()).contains(URI.create("http://keystone.example:5000"));
        assertThat(k.username()).contains("cinder");
        assertThat(k.password()).contains("s3cret");
        assertThat(k.projectName()).contains("service");
        assertThat(k.userDomainName()).isEqualTo("Default");
        assertThat(k.tokenCacheTime()).isEqualTo(Duration.ofSeconds(120));
        assertThat(k.tokenCacheSize()).isEqualTo(10000);
        assertThat(k.toString()).doesNotContain("s3cret");
        assertThat(config.warnings()).singleElement().asString().contains("memcached_servers").contains("unknown option");
    }

    @Test
    void detachSafetyOptionsHaveCindersDefaultsAndCarryOver() {
        BasaltConfig defaults = BasaltConfig.load(List.of());
        assertThat(keystone(defaults).serviceTokenRoles()).containsExactly("service");
        assertThat(keystone(defaults).serviceTokenRolesRequired()).isFalse();
        assertThat(defaults.source().defaults().get(DefaultOptions.ALLOW_ATTACHMENT_DELETE_WITHOUT_COMPUTE)).isFalse();
        NovaOptions nova = NovaOptions.from(defaults.source());
        assertThat(nova.interfaceName()).isEqualTo("public");
        assertThat(nova.regionName()).isEmpty();
        assertThat(nova.timeout()).isEqualTo(Duration.ofSeconds(30));

        Path conf = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]",
                "allow_attachment_delete_without_compute = true",
                "[keystone_authtoken]",
                "service_token_roles = service, compute",
                "service_token_roles_required = true",
                "[nova]",
                "interface = internal",
                "region_name = RegionTwo",
                "auth_type = password");
        BasaltConfig config = BasaltConfig.load(List.of(conf));
        assertThat(keystone(config).serviceTokenRoles()).containsExactly("service", "compute");
        assertThat(keystone(config).serviceTokenRolesRequired()).isTrue();
        assertThat(config.source().defaults().get(DefaultOptions.ALLOW_ATTACHMENT_DELETE_WITHOUT_COMPUTE)).isTrue();
        assertThat(NovaOptions.from(config.source()).interfaceName()).isEqualTo("internal");
        assertThat(NovaOptions.from(config.source()).regionName()).contains("RegionTwo");
        assertThat(config.warnings()).singleElement().asString().contains("auth_type").contains("unknown option");
    }

    @Test
    void aComputeInterfaceNovaDoesNotHaveRefusesToLoad() {
        Path conf = ConfFiles.write(dir, "cinder.conf", "[nova]", "interface = private");
        assertThatThrownBy(() -> BasaltConfig.load(List.of(conf))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("interface");
    }

    @Test
    void keystoneWithoutItsServiceUserRefusesToLoadNamingWhatIsMissing() {
        Path conf = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]",
                "auth_strategy = keystone",
                "[keystone_authtoken]",
                "auth_url = http://127.0.0.1:5000/v3",
                "username = cinder");

        assertThatThrownBy(() -> BasaltConfig.load(List.of(conf)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[keystone_authtoken] password, project_name are not set");
    }

    @Test
    void noauthNeedsNoKeystoneSectionAndTheDefaultsStandAlone() {
        BasaltConfig config = BasaltConfig.load(List.of());
        KeystoneAuthOptions k = keystone(config);

        assertThat(k.authUrl()).isEmpty();
        assertThat(k.challengeUri()).isEmpty();
        assertThat(k.tokenCacheTime()).isEqualTo(Duration.ofSeconds(300));
        assertThatThrownBy(k::requireComplete).hasMessageContaining("auth_url, username, password, project_name");
    }

    @Test
    void aMalformedKeystoneUrlNamesTheOptionButAPasswordIsNeverShown() {
        Path conf = ConfFiles.write(dir, "cinder.conf",
                "[keystone_authtoken]",
                "auth_url = keystone:5000",
                "password = ");

        assertThatThrownBy(() -> BasaltConfig.load(List.of(conf)))
                .hasMessageContaining("[keystone_authtoken] auth_url = \"keystone:5000\": not an http(s) URL")
                .hasMessageContaining("[keystone_authtoken] password = (secret)");
    }

    @Test
    void theDefaultPolicyFileIsLookedForNextToTheConfigurationAndIsOptional() throws Exception {
        Path conf = ConfFiles.write(dir, "cinder.conf", "[DEFAULT]", "host = h1");
        PolicyOptions absent = PolicyOptions.from(BasaltConfig.load(List.of(conf)).source());
        assertThat(absent.locate()).isEmpty();

        Path policy = Files.writeString(dir.resolve("policy.yaml"), "\"volume:create\": \"!\"\n");
        PolicyOptions present = PolicyOptions.from(BasaltConfig.load(List.of(conf)).source());
        assertThat(present.locate()).contains(policy.toAbsolutePath());
    }

    @Test
    void anExplicitPolicyFileIsResolvedAgainstItsConfigurationFileAndMustExist() throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Path conf = ConfFiles.write(dir.resolve("etc"), "cinder.conf", "[oslo_policy]", "policy_file = rules.yaml");
        PolicyOptions missing = PolicyOptions.from(BasaltConfig.load(List.of(conf)).source());
        assertThatThrownBy(missing::locate).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[oslo_policy] policy_file = rules.yaml: no such file");

        Path rules = Files.writeString(dir.resolve("etc/rules.yaml"), "{}\n");
        assertThat(PolicyOptions.from(BasaltConfig.load(List.of(conf)).source()).locate())
                .isEqualTo(Optional.of(rules.toAbsolutePath()));
    }
}
