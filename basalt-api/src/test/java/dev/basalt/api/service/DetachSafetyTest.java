package dev.basalt.api.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.api.RequestContext;
import dev.basalt.api.compute.ComputeService;
import dev.basalt.api.compute.ComputeUnavailableException;
import dev.basalt.api.compute.ServerVolume;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.VolumeAttachment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The decision of {@link DetachSafety}: who may remove which attachment, and what the compute
 * service's answer changes. The compute service here is a stand-in answering as told (no Nova can
 * run in these tests); service tokens map to roles as Keystone would validate them.
 */
class DetachSafetyTest {
    private static final String VOLUME = "7a1b5c1e-0000-4000-8000-000000000001";
    private static final String SERVER = "6f1f6c2e-3c4b-4d8a-9f0e-2a1b3c4d5e6f";
    private static final RequestContext MEMBER = new RequestContext("alice", "alpha", Set.of("member"), false, "req-1");
    private static final Map<String, Set<String>> SERVICE_TOKENS = Map.of(
            "nova-token", Set.of("service", "member"),
            "bob-token", Set.of("member"));

    /** The questions the compute stand-in was asked: user token, server, volume. */
    private final List<List<String>> asked = new ArrayList<>();

    private ComputeService answering(ServerVolume answer) {
        return (token, server, volume) -> {
            asked.add(List.of(token, server, volume));
            return answer;
        };
    }

    private DetachSafety safety(ComputeService compute, boolean allowWithoutCompute) {
        return new DetachSafety(token -> SERVICE_TOKENS.getOrDefault(token, Set.of()), Set.of("service"), compute,
                allowWithoutCompute);
    }

    private static VolumeAttachment attachment(String id, String instance, AttachStatus status, boolean connected) {
        Instant now = Instant.parse("2024-01-01T00:00:00Z");
        Map<String, Object> connector = connected ? Map.of("initiator", "iqn.x", "host", "compute1") : Map.of();
        Map<String, Object> info = connected ? Map.of("target_iqn", "iqn.y") : Map.of();
        return new VolumeAttachment(id, VOLUME, "alpha", instance, null, null, status, "rw", connector, info, now, null,
                now, now);
    }

    private static VolumeAttachment instanceAttachment() {
        return attachment("att-1", SERVER, AttachStatus.ATTACHED, true);
    }

    private static void assertRefused(Runnable check, Fault fault, String message) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(BasaltException.class, e -> {
            assertThat(e.fault()).isEqualTo(fault);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void aMemberWithoutServiceTokenAndNoComputeServiceIsRefusedWithAConflictNamingTheInstance() {
        DetachSafety safety = safety(answering(new ServerVolume.NoComputeService()), false);
        assertRefused(() -> safety.check(MEMBER, new CallerTokens("alice-token", null), VOLUME,
                List.of(instanceAttachment())), Fault.CONFLICT,
                "Detach volume from instance " + SERVER + " using the Compute API");
    }

    @Test
    void theComputeServicesTokenWithATrustedRoleMayRemoveWithoutAskingAnyone() {
        DetachSafety safety = safety(answering(new ServerVolume.Attached("att-1")), false);
        assertThatCode(() -> safety.check(MEMBER, new CallerTokens("alice-token", "nova-token"), VOLUME,
                List.of(instanceAttachment()))).doesNotThrowAnyException();
        assertThat(asked).as("a service request needs no question").isEmpty();
    }

    @Test
    void aServiceTokenWithoutTheRoleOrAnInvalidOneCountsAsNone() {
        DetachSafety safety = safety(answering(new ServerVolume.NoComputeService()), false);
        for (String token : List.of("bob-token", "not-a-token", " ")) {
            assertRefused(() -> safety.check(MEMBER, new CallerTokens("alice-token", token), VOLUME,
                    List.of(instanceAttachment())), Fault.CONFLICT, "using the Compute API");
        }
    }

    @Test
    void theOptionLetsUsersRemoveWhenThereIsNoComputeServiceToAsk() {
        DetachSafety safety = safety(answering(new ServerVolume.NoComputeService()), true);
        assertThatCode(() -> safety.check(MEMBER, new CallerTokens("alice-token", null), VOLUME,
                List.of(instanceAttachment()))).doesNotThrowAnyException();
    }

    @Test
    void theOptionDoesNotOverruleAComputeServiceThatSaysTheInstanceHasTheVolume() {
        DetachSafety safety = safety(answering(new ServerVolume.Attached("att-1")), true);
        assertRefused(() -> safety.check(MEMBER, new CallerTokens("alice-token", null), VOLUME,
                List.of(instanceAttachment())), Fault.CONFLICT, "using the Compute API");
        assertThat(asked).containsExactly(List.of("alice-token", SERVER, VOLUME));
    }

    @Test
    void theComputeServiceSayingNotAttachedAllowsIt() {
        DetachSafety safety = safety(answering(new ServerVolume.NotAttached()), false);
        assertThatCode(() -> safety.check(MEMBER, new CallerTokens("alice-token", null), VOLUME,
                List.of(instanceAttachment()))).doesNotThrowAnyException();
        assertThat(asked).containsExactly(List.of("alice-token", SERVER, VOLUME));
    }

    @Test
    void anAttachmentTheComputeServiceReplacedByAnotherIsLeftOverAndMayGo() {
        DetachSafety safety = safety(answering(new ServerVolume.Attached("att-2")), false);
        assertThatCode(() -> safety.check(MEMBER, new CallerTokens("alice-token", null), VOLUME,
                List.of(instanceAttachment()))).doesNotThrowAnyException();
    }

    @Test
    void anInstanceThatHasTheVolumeWithoutNamingAnAttachmentKeepsIt() {
        DetachSafety safety = safety(answering(new ServerVolume.Attached(null)), false);
        assertRefused(() -> safety.check(MEMBER, new CallerTokens("alice-token", null), VOLUME,
                List.of(attachment("att-1", SERVER, AttachStatus.ATTACHED, false))), Fault.CONFLICT,
                "using the Compute API");
    }

    @Test
    void theComputeServiceOutOfReachIsAServiceUnavailableNeverAnInternalError() {
        DetachSafety safety = safety((token, server, volume) -> {
            throw new ComputeUnavailableException("connection refused");
        }, true);
        assertRefused(() -> safety.check(MEMBER, new CallerTokens("alice-token", null), VOLUME,
                List.of(instanceAttachment())), Fault.SERVICE_UNAVAILABLE, "nothing was detached");
    }

    @Test
    void attachmentsWithoutAnInstanceOrNeverConnectedAreNotGuarded() {
        DetachSafety safety = safety(answering(new ServerVolume.Attached("att-1")), false);
        assertThatCode(() -> safety.check(MEMBER, new CallerTokens("alice-token", null), VOLUME, List.of(
                attachment("host-only", null, AttachStatus.ATTACHED, true),
                attachment("reserved", SERVER, AttachStatus.RESERVED, false)))).doesNotThrowAnyException();
        assertThat(asked).isEmpty();
    }

    @Test
    void everyInstanceAttachmentOfSeveralIsChecked() {
        DetachSafety safety = safety((token, server, volume) -> server.equals(SERVER)
                ? new ServerVolume.NotAttached() : new ServerVolume.Attached("att-b"), false);
        assertRefused(() -> safety.check(MEMBER, new CallerTokens("alice-token", null), VOLUME, List.of(
                instanceAttachment(), attachment("att-b", "other-server", AttachStatus.ATTACHED, true))),
                Fault.CONFLICT, "other-server");
    }

    @Test
    void offAllowsEverything() {
        assertThatCode(() -> DetachSafety.off().check(MEMBER, new CallerTokens("u:p", null), VOLUME,
                List.of(instanceAttachment()))).doesNotThrowAnyException();
    }
}
