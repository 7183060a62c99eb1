package dev.basalt.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.iscsi.Export;
import dev.basalt.iscsi.Lun;
import dev.basalt.iscsi.TargetConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoginNegotiationTest {
    static final String INITIATOR = "iqn.2024-01.dev.basalt:host-a";
    static final Export OPEN = Export.of("iqn.2024-01.dev.basalt:open", List.of(Lun.readWrite(0, Path.of("/x"), "open-0")));
    static final Export GUARDED = Export.of("iqn.2024-01.dev.basalt:guarded", List.of(Lun.readWrite(0, Path.of("/y"), "g-0")))
            .withChap("alice", "alice-secret-1");
    static final Export MUTUAL = Export.of("iqn.2024-01.dev.basalt:mutual", List.of(Lun.readWrite(0, Path.of("/z"), "m-0")))
            .withChap("bob", "bob-secret-123").withMutualChap("target-bob", "target-secret-9");
    static final Export PRIVATE = Export.of("iqn.2024-01.dev.basalt:private", List.of(Lun.readWrite(0, Path.of("/w"), "p-0")))
            .withInitiators(Set.of("iqn.2024-01.dev.basalt:host-b"));

    static final TargetDirectory DIRECTORY = new TargetDirectory() {
        @Override
        public Optional<Export> find(String name) {
            return all().stream().filter(e -> e.iqn().equals(name)).findFirst();
        }

        @Override
        public List<Export> all() {
            return List.of(OPEN, GUARDED, MUTUAL, PRIVATE);
        }
    };

    private final LoginNegotiation login = new LoginNegotiation(TargetConfig.defaults(), DIRECTORY);

    static LoginRequest request(int csg, int nsg, boolean transit) {
        return new LoginRequest(transit, false, csg, nsg, 0, 0, 0x400001370000L, 0, 1, 0, 1, 0);
    }

    static SequencedMap<String, String> keys(String... pairs) {
        SequencedMap<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    static SequencedMap<String, String> first(String target, String... more) {
        SequencedMap<String, String> m = keys("InitiatorName", INITIATOR, "SessionType", "Normal", "TargetName", target);
        m.putAll(keys(more));
        return m;
    }

    static int status(ThrowingRunnable r) {
        try {
            r.run();
            return LoginStatus.SUCCESS;
        } catch (LoginFailure e) {
            return e.status();
        }
    }

    interface ThrowingRunnable {
        void run() throws LoginFailure;
    }

    @Test
    void anOpenExportLogsInStraightFromTheOperationalStage() throws Exception {
        LoginResponse r = login.process(request(1, 3, true), first(OPEN.iqn(), "MaxRecvDataSegmentLength", "65536"));
        assertThat(r.complete()).isTrue();
        assertThat(r.transit()).isTrue();
        assertThat(r.nextStage()).isEqualTo(3);
        assertThat(r.keys()).containsEntry("TargetPortalGroupTag", "1").containsEntry("MaxRecvDataSegmentLength", "262144");
        LoginResult result = login.result();
        assertThat(result.discovery()).isFalse();
        assertThat(result.export()).isEqualTo(OPEN);
        assertThat(result.initiatorName()).isEqualTo(INITIATOR);
        assertThat(result.parameters().initiatorMaxRecvDataSegmentLength()).isEqualTo(65536);
    }

    @Test
    void anOpenExportAcceptsAuthMethodNone() throws Exception {
        LoginResponse r = login.process(request(0, 1, true), first(OPEN.iqn(), "AuthMethod", "CHAP,None"));
        assertThat(r.keys()).containsEntry("AuthMethod", "None");
        assertThat(r.transit()).isTrue();
        assertThat(r.complete()).isFalse();
        assertThat(login.process(request(1, 3, true), keys()).complete()).isTrue();
    }

    @Test
    void namesAreCheckedInTheFirstRequest() {
        assertThat(status(() -> new LoginNegotiation(TargetConfig.defaults(), DIRECTORY)
                .process(request(1, 3, true), keys("SessionType", "Normal", "TargetName", OPEN.iqn()))))
                .isEqualTo(LoginStatus.MISSING_PARAMETER);
        assertThat(status(() -> new LoginNegotiation(TargetConfig.defaults(), DIRECTORY)
                .process(request(1, 3, true), keys("InitiatorName", INITIATOR))))
                .isEqualTo(LoginStatus.MISSING_PARAMETER);
        assertThat(status(() -> new LoginNegotiation(TargetConfig.defaults(), DIRECTORY)
                .process(request(1, 3, true), first("iqn.2024-01.dev.basalt:nothing"))))
                .isEqualTo(LoginStatus.NOT_FOUND);
        assertThat(status(() -> new LoginNegotiation(TargetConfig.defaults(), DIRECTORY)
                .process(request(1, 3, true), first(PRIVATE.iqn()))))
                .isEqualTo(LoginStatus.AUTHORIZATION_FAILURE);
        assertThat(status(() -> new LoginNegotiation(TargetConfig.defaults(), DIRECTORY)
                .process(request(1, 3, true), keys("InitiatorName", INITIATOR, "SessionType", "Bogus"))))
                .isEqualTo(LoginStatus.SESSION_TYPE_NOT_SUPPORTED);
        assertThat(status(() -> new LoginNegotiation(TargetConfig.defaults(), DIRECTORY)
                .process(new LoginRequest(true, false, 1, 3, 2, 1, 1, 0, 1, 0, 1, 0), first(OPEN.iqn()))))
                .isEqualTo(LoginStatus.UNSUPPORTED_VERSION);
    }

    @Test
    void targetNamesCompareWithoutCase() throws Exception {
        assertThat(login.process(request(1, 3, true), first(OPEN.iqn().toUpperCase())).complete()).isTrue();
    }

    @Test
    void chapIsRequiredWhenTheExportHasCredentials() {
        assertThat(status(() -> login.process(request(1, 3, true), first(GUARDED.iqn()))))
                .isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
        LoginNegotiation none = new LoginNegotiation(TargetConfig.defaults(), DIRECTORY);
        assertThat(status(() -> none.process(request(0, 1, true), first(GUARDED.iqn(), "AuthMethod", "None"))))
                .isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
    }

    /** Runs the CHAP exchange up to the response; returns the target's answer to it. */
    private LoginResponse chap(Export export, String user, String secret, SequencedMap<String, String> extra) throws LoginFailure {
        LoginResponse offer = login.process(request(0, 1, true), first(export.iqn(), "AuthMethod", "CHAP,None"));
        assertThat(offer.keys()).containsEntry("AuthMethod", "CHAP");
        assertThat(offer.transit()).isFalse();
        LoginResponse challenge = login.process(request(0, 1, false), keys("CHAP_A", "5"));
        assertThat(challenge.keys()).containsKeys("CHAP_A", "CHAP_I", "CHAP_C");
        int id = Integer.parseInt(challenge.keys().get("CHAP_I"));
        byte[] c = Chap.decode(challenge.keys().get("CHAP_C"));
        SequencedMap<String, String> answer = keys("CHAP_N", user,
                "CHAP_R", Chap.encode(Chap.response(Chap.Algorithm.MD5, id, secret.getBytes(StandardCharsets.UTF_8), c)));
        answer.putAll(extra);
        return login.process(request(0, 1, true), answer);
    }

    @Test
    void oneWayChapLetsTheRightSecretIn() throws Exception {
        LoginResponse r = chap(GUARDED, "alice", "alice-secret-1", keys());
        assertThat(r.transit()).isTrue();
        assertThat(r.nextStage()).isEqualTo(1);
        assertThat(login.process(request(1, 3, true), keys("HeaderDigest", "None")).complete()).isTrue();
    }

    @Test
    void aWrongSecretOrUserIsRefused() {
        assertThat(status(() -> chap(GUARDED, "alice", "wrong-secret-1", keys()))).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
        LoginNegotiation other = new LoginNegotiation(TargetConfig.defaults(), DIRECTORY);
        assertThat(status(() -> {
            other.process(request(0, 1, false), first(GUARDED.iqn(), "AuthMethod", "CHAP"));
            other.process(request(0, 1, false), keys("CHAP_A", "5"));
            other.process(request(0, 1, true), keys("CHAP_N", "alice", "CHAP_R", "0x00"));
        })).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void mutualChapProvesTheTargetToTheInitiator() throws Exception {
        byte[] myChallenge = Chap.newChallenge(Chap.Algorithm.MD5);
        LoginResponse r = chap(MUTUAL, "bob", "bob-secret-123", keys("CHAP_I", "77", "CHAP_C", Chap.encode(myChallenge)));
        assertThat(r.keys()).containsEntry("CHAP_N", "target-bob");
        byte[] expected = Chap.response(Chap.Algorithm.MD5, 77, "target-secret-9".getBytes(StandardCharsets.UTF_8), myChallenge);
        assertThat(Chap.decode(r.keys().get("CHAP_R"))).isEqualTo(expected);
        assertThat(r.transit()).isTrue();
    }

    @Test
    void mutualChapWithoutTargetCredentialsIsRefused() {
        assertThat(status(() -> chap(GUARDED, "alice", "alice-secret-1", keys("CHAP_I", "1", "CHAP_C", "0x0102030405060708"))))
                .isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void aReflectedChallengeIsRefused() {
        assertThat(status(() -> {
            login.process(request(0, 1, false), first(MUTUAL.iqn(), "AuthMethod", "CHAP"));
            LoginResponse challenge = login.process(request(0, 1, false), keys("CHAP_A", "5"));
            int id = Integer.parseInt(challenge.keys().get("CHAP_I"));
            byte[] c = Chap.decode(challenge.keys().get("CHAP_C"));
            login.process(request(0, 1, true), keys("CHAP_N", "bob",
                    "CHAP_R", Chap.encode(Chap.response(Chap.Algorithm.MD5, id, "bob-secret-123".getBytes(StandardCharsets.UTF_8), c)),
                    "CHAP_I", Integer.toString(id), "CHAP_C", challenge.keys().get("CHAP_C")));
        })).isEqualTo(LoginStatus.AUTHENTICATION_FAILURE);
    }

    @Test
    void anUnsupportedChapAlgorithmIsRejected() throws Exception {
        login.process(request(0, 1, false), first(GUARDED.iqn(), "AuthMethod", "CHAP"));
        assertThatThrownBy(() -> login.process(request(0, 1, false), keys("CHAP_A", "128")))
                .isInstanceOf(LoginFailure.class);
    }

    @Test
    void sha256IsUsedWhenTheInitiatorPrefersIt() throws Exception {
        login.process(request(0, 1, false), first(GUARDED.iqn(), "AuthMethod", "CHAP"));
        LoginResponse challenge = login.process(request(0, 1, false), keys("CHAP_A", "7,5"));
        assertThat(challenge.keys()).containsEntry("CHAP_A", "7");
        assertThat(Chap.decode(challenge.keys().get("CHAP_C"))).hasSize(32);
    }

    @Test
    void securityKeysOutsideTheSecurityStageAreAnError() {
        assertThat(status(() -> login.process(request(1, 3, true), first(OPEN.iqn(), "AuthMethod", "None"))))
                .isEqualTo(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void stagesMayOnlyMoveForward() throws Exception {
        assertThat(status(() -> login.process(request(1, 0, true), first(OPEN.iqn())))).isEqualTo(LoginStatus.INITIATOR_ERROR);
        LoginNegotiation other = new LoginNegotiation(TargetConfig.defaults(), DIRECTORY);
        other.process(request(0, 1, true), first(OPEN.iqn(), "AuthMethod", "None"));
        assertThat(status(() -> other.process(request(0, 1, true), keys()))).isEqualTo(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void anIsidChangeInsideLoginIsAnError() throws Exception {
        login.process(request(0, 1, false), first(OPEN.iqn(), "AuthMethod", "None"));
        assertThat(status(() -> login.process(new LoginRequest(true, false, 0, 1, 0, 0, 99, 0, 1, 0, 1, 0), keys())))
                .isEqualTo(LoginStatus.INITIATOR_ERROR);
    }

    @Test
    void discoveryWithoutAuthenticationSeesOnlyOpenExportsItIsAllowed() throws Exception {
        LoginResponse r = login.process(request(1, 3, true), keys("InitiatorName", INITIATOR, "SessionType", "Discovery"));
        assertThat(r.complete()).isTrue();
        assertThat(r.keys()).doesNotContainKey("TargetPortalGroupTag");
        LoginResult result = login.result();
        assertThat(result.discovery()).isTrue();
        assertThat(DIRECTORY.all().stream().filter(result.visible())).containsExactly(OPEN);
    }

    @Test
    void discoveryWithAnExportsCredentialsAlsoSeesThatExport() throws Exception {
        LoginResponse offer = login.process(request(0, 1, false),
                keys("InitiatorName", INITIATOR, "SessionType", "Discovery", "AuthMethod", "CHAP,None"));
        assertThat(offer.keys()).containsEntry("AuthMethod", "CHAP");
        LoginResponse challenge = login.process(request(0, 1, false), keys("CHAP_A", "5"));
        int id = Integer.parseInt(challenge.keys().get("CHAP_I"));
        byte[] c = Chap.decode(challenge.keys().get("CHAP_C"));
        login.process(request(0, 1, true), keys("CHAP_N", "alice",
                "CHAP_R", Chap.encode(Chap.response(Chap.Algorithm.MD5, id, "alice-secret-1".getBytes(StandardCharsets.UTF_8), c))));
        assertThat(login.process(request(1, 3, true), keys()).complete()).isTrue();
        assertThat(DIRECTORY.all().stream().filter(login.result().visible())).containsExactly(OPEN, GUARDED);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HeaderDigest | CRC32C,None | CRC32C",
        "HeaderDigest | None,CRC32C | None",
        "DataDigest | MD5,CRC32C | CRC32C",
        "DataDigest | MD5 | Reject",
        "MaxConnections | 8 | 1",
        "InitialR2T | Yes | Yes",
        "InitialR2T | No | No",
        "ImmediateData | No | No",
        "ImmediateData | Yes | Yes",
        "MaxBurstLength | 1048576 | 1048576",
        "MaxBurstLength | 16777215 | 8388608",
        "MaxBurstLength | 100 | Reject",
        "FirstBurstLength | 65536 | 65536",
        "DefaultTime2Wait | 0 | 2",
        "DefaultTime2Wait | 10 | 10",
        "DefaultTime2Retain | 20 | 0",
        "MaxOutstandingR2T | 64 | 16",
        "MaxOutstandingR2T | 0 | Reject",
        "DataPDUInOrder | No | Yes",
        "DataSequenceInOrder | No | Yes",
        "ErrorRecoveryLevel | 2 | 0",
        "IFMarker | Yes | No",
        "OFMarkInt | 2048~8192 | Irrelevant",
        "iSCSIProtocolLevel | 2 | 1",
        "X-com.example.Speed | fast | NotUnderstood",
        "Unheard | 1 | NotUnderstood",
        "MaxBurstLength | 0x100000 | 1048576",
        "MaxBurstLength | 12abc | Reject"})
    void operationalKeysAreAnsweredWithTheirResult(String key, String offered, String answer) throws Exception {
        LoginResponse r = login.process(request(1, 3, true), first(OPEN.iqn(), key, offered));
        assertThat(r.keys()).containsEntry(key, answer);
    }

    @Test
    void theResultCarriesTheNegotiatedValues() throws Exception {
        login.process(request(1, 3, true), first(OPEN.iqn(), "HeaderDigest", "CRC32C", "DataDigest", "CRC32C",
                "InitialR2T", "No", "ImmediateData", "Yes", "MaxBurstLength", "131072", "FirstBurstLength", "262144",
                "MaxOutstandingR2T", "4", "MaxRecvDataSegmentLength", "4096"));
        OperationalParameters p = login.result().parameters();
        assertThat(p.headerDigest()).isTrue();
        assertThat(p.dataDigest()).isTrue();
        assertThat(p.initialR2T()).isFalse();
        assertThat(p.immediateData()).isTrue();
        assertThat(p.maxBurstLength()).isEqualTo(131072);
        assertThat(p.firstBurstLength()).isEqualTo(131072);                 // never more than MaxBurstLength
        assertThat(p.maxOutstandingR2T()).isEqualTo(4);
        assertThat(p.initiatorMaxRecvDataSegmentLength()).isEqualTo(4096);
        assertThat(p.targetMaxRecvDataSegmentLength()).isEqualTo(262144);
    }

    @Test
    void defaultsApplyToKeysNotNegotiated() throws Exception {
        login.process(request(1, 3, true), first(OPEN.iqn()));
        OperationalParameters p = login.result().parameters();
        assertThat(p.initialR2T()).isTrue();
        assertThat(p.immediateData()).isTrue();
        assertThat(p.maxBurstLength()).isEqualTo(262144);
        assertThat(p.firstBurstLength()).isEqualTo(65536);
        assertThat(p.initiatorMaxRecvDataSegmentLength()).isEqualTo(8192);
        assertThat(p.headerDigest()).isFalse();
    }

    @Test
    void theTransitionWaitsForTheInitiator() throws Exception {
        LoginResponse r = login.process(request(1, 3, false), first(OPEN.iqn(), "MaxBurstLength", "65536"));
        assertThat(r.transit()).isFalse();
        assertThat(r.complete()).isFalse();
        assertThat(login.process(request(1, 3, true), keys()).complete()).isTrue();
        assertThatThrownBy(() -> login.process(request(1, 3, true), keys())).isInstanceOf(LoginFailure.class);
    }

    @Test
    void oneResultMapPerRequest() throws Exception {
        Map<String, String> answered = login.process(request(1, 3, true), first(OPEN.iqn(), "TargetAlias", "x")).keys();
        assertThat(answered).containsEntry("TargetAlias", "Reject");
    }
}
