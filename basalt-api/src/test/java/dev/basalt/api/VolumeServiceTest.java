package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.basalt.api.service.GroupMembership;
import dev.basalt.api.service.AvailabilityZones;
import dev.basalt.api.service.CreateSettling;
import dev.basalt.api.service.DefaultTypes;
import dev.basalt.api.service.EncryptionKeys;
import dev.basalt.api.service.NewVolume;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.api.service.Quotas;
import dev.basalt.api.service.TypeAccess;
import dev.basalt.api.service.ImageEndpoints;
import dev.basalt.api.service.VolumeCreation;
import dev.basalt.api.service.VolumeImages;
import dev.basalt.glance.GlanceClient;
import dev.basalt.api.service.VolumeDeletion;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.service.VolumeSources;
import dev.basalt.db.GroupRepository;
import dev.basalt.db.AttachmentRepository;
import dev.basalt.db.EncryptionRepository;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.VolumeRpc;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The volume rules without HTTP, as a caller other than the volumes API (restoring a backup) uses
 * them: a blank volume for the caller's project, its quota reserved and its placement asked of the
 * scheduler; conditional moves between statuses.
 */
class VolumeServiceTest {
    private static final RequestContext CALLER = new RequestContext(TestApi.USER, TestApi.PROJECT, Set.of(), false,
            "req-service-test");

    @Test
    void aBlankVolumeIsReservedAndPlacedThroughTheScheduler() {
        try (TestApi api = new TestApi()) {
            VolumeService service = service(api, QuotaSettings.defaults());
            Volume volume = service.create(CALLER, service.plan(CALLER,
                    NewVolume.blank("restored", "from a backup", 3, null, null)));
            assertThat(volume.status()).isEqualTo(VolumeStatus.CREATING);
            awaitAvailable(service, volume.id());
            assertThat(api.scheduled).extracting(m -> m.volumeId()).containsExactly(volume.id());
            Volume placed = service.visible(CALLER, volume.id());
            assertThat(placed.size()).isEqualTo(3);
            assertThat(placed.name()).isEqualTo("restored");
            assertThat(placed.availabilityZone()).isEqualTo("nova");
            assertThat(api.quotas.usages(TestApi.PROJECT).get("gigabytes").inUse()).isEqualTo(3);
        }
    }

    @Test
    void aBlankVolumeOverQuotaIsRefusedWithTheResourceAsTheApiNamesIt() {
        try (TestApi api = new TestApi()) {
            VolumeService service = service(api, new QuotaSettings(10, 10, 2, 10, 10, 10, -1, false));
            assertThatThrownBy(() -> service.create(CALLER, service.plan(CALLER,
                    NewVolume.blank(null, null, 3, null, null))))
                    .isInstanceOfSatisfying(OverQuotaException.class,
                            e -> assertThat(e.resource()).isEqualTo("gigabytes"));
            assertThat(api.scheduled).isEmpty();
        }
    }

    @Test
    void aTransitionMovesOnlyFromTheExpectedStatuses() {
        try (TestApi api = new TestApi()) {
            VolumeService service = service(api, QuotaSettings.defaults());
            String id = service.create(CALLER, service.plan(CALLER, NewVolume.blank(null, null, 1, null, null))).id();
            awaitAvailable(service, id);
            Set<VolumeStatus> available = Set.of(VolumeStatus.AVAILABLE);
            assertThat(service.transition(id, available, VolumeStatus.BACKING_UP)).isTrue();
            assertThat(service.transition(id, available, VolumeStatus.RESTORING_BACKUP)).isFalse();
            assertThat(service.visible(CALLER, id).status()).isEqualTo(VolumeStatus.BACKING_UP);
            assertThat(service.transition(id, Set.of(VolumeStatus.BACKING_UP), VolumeStatus.AVAILABLE)).isTrue();
            assertThat(service.visible(CALLER, id).status()).isEqualTo(VolumeStatus.AVAILABLE);
        }
    }

    private static void awaitAvailable(VolumeService service, String id) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> service.visible(CALLER, id).status() == VolumeStatus.AVAILABLE);
    }

    /** The service as a composition root wires it, on the test API's database and bus. */
    private static VolumeService service(TestApi api, QuotaSettings quotaSettings) {
        ApiSettings settings = TestApi.settings(1000);
        Quotas quotas = new Quotas(api.quotas, api.types, quotaSettings);
        VolumeRpc volumeRpc = new VolumeRpc(api.bus);
        VolumeCreation creation = new VolumeCreation(settings, api.volumes, api.types,
                new DefaultTypes(api.defaultTypes, api.types, settings), new TypeAccess(api.typeAccess),
                new AvailabilityZones(api.services, settings, java.time.Clock.systemUTC()), new VolumeSources(api.snapshots, api.volumes,
                api.transitions), quotas, new SchedulerRpc(api.bus), new CreateSettling(api.bus, Duration.ZERO),
                api.clock, new VolumeImages(GlanceClient.create(Duration.ofSeconds(1)), ImageEndpoints.none()),
                new EncryptionRepository(api.db), new EncryptionKeys(settings.keyManager()),
                new GroupMembership(new GroupRepository(api.db)));
        return new VolumeService(api.volumes, api.transitions, new AttachmentRepository(api.db), creation,
                new VolumeDeletion(api.volumes, api.snapshots, api.transitions, volumeRpc), quotas, volumeRpc);
    }
}
