package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.db.QuotaUsage;
import dev.basalt.db.VolumeMoves;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.QosSpecs;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.MigrateVolume;
import dev.basalt.rpc.RetypeVolume;
import dev.basalt.rpc.VolumeRpc;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code os-retype}, {@code os-migrate_volume} and {@code os-migrate_volume_completion}: Cinder's rules, messages and codes. */
class RetypeMigrateTest {
    private static final String OTHER_BACKEND = "other@file";
    static TestApi api;
    static VolumeMoves moves;
    static VolumeType gold;

    @BeforeAll
    static void start() {
        api = TestApi.withoutQuotas();
        moves = new VolumeMoves(api.db);
        gold = api.types.create("gold", null, true, Map.of("volume_backend_name", "gold"));
        api.services.register(OTHER_BACKEND, VolumeRpc.BINARY, VolumeRpc.TOPIC, "nova");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static TestApi.Reply retype(String id, String type, String policy) {
        return api.volumeAction(id, "{\"os-retype\": {\"new_type\": \"" + type + "\""
                + (policy == null ? "" : ", \"migration_policy\": \"" + policy + "\"") + "}}");
    }

    private static TestApi.Reply migrate(String id, String host) {
        return api.volumeAction(id, "{\"os-migrate_volume\": {\"host\": \"" + host + "\"}}");
    }

    private static QuotaUsage usage(String project, String resource) {
        return api.quotas.usages(project).getOrDefault(resource, QuotaUsage.NONE);
    }

    @Test
    void retypeHoldsTheVolumeRetypingWithTheNewTypesQuotaReservedUntilItEnds() {
        String id = api.availableVolume("r1", 2);
        String oldType = api.volume(id).volumeTypeId();
        QuotaUsage oldBefore = usage(TestApi.PROJECT, "gigabytes:" + oldType);

        TestApi.Reply r = retype(id, "gold", null);

        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.RETYPING);
        Awaitility.await().until(() -> api.retypes.stream().anyMatch(m -> m.volumeId().equals(id)));
        RetypeVolume sent = api.retypes.stream().filter(m -> m.volumeId().equals(id)).findFirst().orElseThrow();
        assertThat(sent.newTypeId()).isEqualTo(gold.id());
        assertThat(sent.migrationPolicy()).isEqualTo(RetypeVolume.NEVER);
        assertThat(sent.host()).isNull();
        assertThat(usage(TestApi.PROJECT, "gigabytes:" + gold.id()).reserved()).isEqualTo(2);

        TestApi.Reply again = retype(id, "gold", null);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.faultMessage()).startsWith("Invalid volume: Retype needs volume to be in available or in-use");

        assertThat(moves.finish(id, VolumeMoves.Ending.moved(api.volume(id).host(), gold.id(), null))).isTrue();
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.volume(id).volumeTypeId()).isEqualTo(gold.id());
        assertThat(usage(TestApi.PROJECT, "gigabytes:" + gold.id())).isEqualTo(new QuotaUsage(2, 0));
        assertThat(usage(TestApi.PROJECT, "volumes:" + gold.id())).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage(TestApi.PROJECT, "gigabytes:" + oldType).inUse()).as("the old type's claim given back")
                .isEqualTo(oldBefore.inUse() - 2);
        assertThat(api.get(TestApi.p("/volumes/" + id)).json().get("volume").get("volume_type").asText())
                .isEqualTo("gold");
    }

    @Test
    void aFailedRetypeGivesTheReservationBackAndLeavesTheTypeAsItWas() {
        String id = api.availableVolume("r2", 3);
        String oldType = api.volume(id).volumeTypeId();
        long goldBefore = usage(TestApi.PROJECT, "gigabytes:" + gold.id()).consumed();
        api.volumes.resetStatus(id, VolumeStatus.IN_USE, AttachStatus.ATTACHED);

        assertThat(retype(id, gold.id(), "on-demand").status()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.RETYPING);
        assertThat(moves.finish(id, VolumeMoves.Ending.failed(null))).isTrue();

        assertThat(api.volume(id).status()).as("back to its status").isEqualTo(VolumeStatus.IN_USE);
        assertThat(api.volume(id).volumeTypeId()).isEqualTo(oldType);
        assertThat(usage(TestApi.PROJECT, "gigabytes:" + gold.id()).consumed()).isEqualTo(goldBefore);
        api.messages.create(new dev.basalt.model.UserMessage(dev.basalt.common.Ids.newId(), TestApi.PROJECT, "req-x",
                "VOLUME", id, "VOLUME_VOLUME_019_003", "ERROR", "019", "003",
                "Could not find any available weighted backend.", java.time.Instant.now(),
                java.time.Instant.now().plusSeconds(3600)));
        assertThat(api.get(TestApi.p("/messages?resource_uuid=" + id), "3.3").text())
                .contains("retype volume:Could not find any available weighted backend.");
        api.volumes.resetStatus(id, VolumeStatus.AVAILABLE, AttachStatus.DETACHED);
    }

    @Test
    void retypeRefusals() {
        String id = api.availableVolume("r3", 1);
        String own = api.volume(id).volumeTypeId();

        TestApi.Reply same = retype(id, own, null);
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.faultMessage()).contains("requested type has to be different");

        TestApi.Reply unknown = retype(id, "no-such-type", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.faultMessage()).isEqualTo("Volume type with name no-such-type could not be found.");

        TestApi.Reply policy = retype(id, "gold", "sometimes");
        assertThat(policy.status()).isEqualTo(400);

        VolumeType small = api.types.create("small", null, true, Map.of("provisioning:max_vol_size", "0"));
        TestApi.Reply size = retype(id, "small", null);
        assertThat(size.status()).isEqualTo(400);
        assertThat(size.faultMessage()).isEqualTo("Invalid input received: Specified volume size of '1' is greater"
                + " than the maximum allowable size of '0' for volume type 'small'.");

        VolumeType secret = api.types.create("secret", null, true, Map.of());
        new dev.basalt.db.EncryptionRepository(api.db).create(secret.id(), "luks", "aes-xts-plain64", 256, "front-end");
        TestApi.Reply encrypted = retype(id, "secret", null);
        assertThat(encrypted.status()).isEqualTo(400);
        assertThat(encrypted.faultMessage()).contains("does not re-encrypt");

        api.volumes.resetStatus(id, VolumeStatus.ERROR, null);
        TestApi.Reply error = retype(id, "gold", null);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.faultMessage()).contains("available or in-use state");
        api.volumes.resetStatus(id, VolumeStatus.AVAILABLE, null);

        VolumeType shared = api.types.create("shared", null, true, Map.of("multiattach", "<is> True"));
        api.volumes.resetStatus(id, VolumeStatus.IN_USE, AttachStatus.ATTACHED);
        TestApi.Reply multi = retype(id, "shared", null);
        assertThat(multi.status()).isEqualTo(400);
        assertThat(multi.faultMessage()).isEqualTo("Invalid input received: Invalid volume_type passed, retypes"
                + " affecting multiattach are only allowed on available volumes, the specified volume however"
                + " currently has a status of: in-use.");

        QosSpecs frontEnd = new dev.basalt.db.QosSpecsRepository(api.db).create("limits", QosSpecs.Consumer.FRONT_END,
                Map.of("total_iops_sec", "100"));
        VolumeType limited = api.types.create("limited", null, true, Map.of());
        new dev.basalt.db.QosSpecsRepository(api.db).associate(frontEnd.id(), limited.id());
        TestApi.Reply qos = retype(id, "limited", null);
        assertThat(qos.status()).as("front-end QoS of an in-use volume").isEqualTo(400);
        assertThat(qos.faultMessage()).contains("front-end qos specs cannot change");
        api.volumes.resetStatus(id, VolumeStatus.AVAILABLE, AttachStatus.DETACHED);
        assertThat(retype(id, "limited", null).status()).as("available: allowed").isEqualTo(202);
        moves.finish(id, VolumeMoves.Ending.failed(null));
        assertThat(api.volume(id).volumeTypeId()).isEqualTo(own);
        assertThat(shared.id()).isNotNull();
    }

    @Test
    void retypeOverTheNewTypesQuotaIs413() {
        String project = TestApi.newProject();
        String id = api.createVolumeIn(project, 1);
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        api.quotas.setProjectLimits(project, Map.of("volumes:" + gold.id(), 0));

        TestApi.Reply r = api.as(project, "POST", "/volumes/" + id + "/action", "{\"os-retype\": {\"new_type\": \"gold\"}}");

        assertThat(r.status()).as(r.text()).isEqualTo(413);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @Test
    void migrateHoldsTheVolumeInMaintenanceAndShowsItsMigrationStatusToAdministrators() {
        String id = api.availableVolume("m1", 1);

        TestApi.Reply r = migrate(id, OTHER_BACKEND + "#pool");

        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.MAINTENANCE);
        assertThat(api.volume(id).migrationStatus()).isEqualTo("starting");
        Awaitility.await().until(() -> api.migrations.stream().anyMatch(m -> m.volumeId().equals(id)));
        MigrateVolume sent = api.migrations.stream().filter(m -> m.volumeId().equals(id)).findFirst().orElseThrow();
        assertThat(sent.host()).isEqualTo(OTHER_BACKEND + "#pool");
        var shown = api.get(TestApi.p("/volumes/" + id)).json().get("volume");
        assertThat(shown.get("migration_status").asText()).isEqualTo("starting");
        assertThat(shown.get("os-vol-mig-status-attr:migstat").asText()).isEqualTo("starting");
        assertThat(shown.get("os-vol-mig-status-attr:name_id").isNull()).isTrue();

        TestApi.Reply again = migrate(id, OTHER_BACKEND + "#pool");
        assertThat(again.status()).isEqualTo(400);

        assertThat(moves.finish(id, VolumeMoves.Ending.moved(OTHER_BACKEND + "#pool", null, VolumeMoves.SUCCESS)))
                .isTrue();
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.volume(id).host()).isEqualTo(OTHER_BACKEND + "#pool");
        assertThat(api.get(TestApi.p("/volumes/" + id)).json().get("volume").get("migration_status").asText())
                .isEqualTo("success");
    }

    @Test
    void migrateRefusals() {
        String id = api.availableVolume("m2", 1);
        String here = api.volume(id).host();

        TestApi.Reply unknown = migrate(id, "nowhere@file#pool");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.faultMessage()).isEqualTo("Invalid host: No available service named 'nowhere@file#pool'");

        TestApi.Reply same = migrate(id, here);
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.faultMessage()).isEqualTo("Invalid volume: Volume " + id + " status must be available or in-use, must not be migrating, have"
                + " snapshots, be replicated, be part of a group and destination host/cluster must be different than"
                + " the current one");

        TestApi.Reply noHost = api.volumeAction(id, "{\"os-migrate_volume\": {}}");
        assertThat(noHost.status()).isEqualTo(400);

        TestApi.Reply both = api.post(TestApi.p("/volumes/" + id + "/action"),
                "{\"os-migrate_volume\": {\"host\": \"" + OTHER_BACKEND + "\", \"cluster\": \"c\"}}", "3.16");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.faultMessage()).isEqualTo("One and only one of cluster and host must be set.");

        api.availableSnapshot(id, "s");
        TestApi.Reply snapshots = migrate(id, OTHER_BACKEND);
        assertThat(snapshots.status()).as("a volume with snapshots").isEqualTo(400);
        assertThat(snapshots.faultMessage()).contains("have snapshots");

        String attached = api.availableVolume("m3", 1);
        api.volumes.resetStatus(attached, VolumeStatus.IN_USE, AttachStatus.ATTACHED);
        TestApi.Reply inUse = migrate(attached, OTHER_BACKEND);
        assertThat(inUse.status()).isEqualTo(400);
        assertThat(inUse.faultMessage()).contains("cannot migrate an attached volume");
        assertThat(api.volume(attached).status()).isEqualTo(VolumeStatus.IN_USE);
        assertThat(api.volume(id).migrationStatus()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"source", "destination", "mismatch", "none"})
    void migrateVolumeCompletionFollowsCindersRules(String which) {
        String source = api.availableVolume("c-src-" + which, 1);
        String target = api.availableVolume("c-dst-" + which, 1);
        switch (which) {
            case "source" -> moves.resetMigrationStatus(target, "target:" + source);
            case "destination" -> moves.resetMigrationStatus(source, "migrating");
            case "mismatch" -> {
                moves.resetMigrationStatus(source, "migrating");
                moves.resetMigrationStatus(target, "target:" + target);
            }
            default -> { }
        }

        TestApi.Reply r = api.volumeAction(source, "{\"os-migrate_volume_completion\": {\"new_volume\": \"" + target
                + "\"}}");

        switch (which) {
            case "source" -> assertThat(r.faultMessage()).isEqualTo("Invalid volume: Source volume not mid-migration.");
            case "destination" -> assertThat(r.faultMessage())
                    .isEqualTo("Invalid volume: Destination volume not mid-migration.");
            case "mismatch" -> assertThat(r.faultMessage()).isEqualTo("Invalid volume: Destination has migration_status"
                    + " target:" + target + ", expected target:" + source + ".");
            default -> {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().get("save_volume_id").asText()).isEqualTo(target);
                return;
            }
        }
        assertThat(r.status()).isEqualTo(400);
    }
}
