package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeAttachment;
import dev.basalt.model.VolumeExport;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Attaching and detaching move a volume and its attachments by Cinder's rules on every database,
 * connectors and connection info come back as they were given, and requests racing for one volume
 * (reserves, exports) take turns on its row lock.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class AttachmentTransitionsTest {
    private static final int RACERS = 8;

    private final TestDatabase database;
    private Database db;
    private VolumeRepository volumes;
    private AttachmentRepository attachments;
    private AttachmentTransitions transitions;
    private ExportRepository exports;

    AttachmentTransitionsTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open();
        volumes = new VolumeRepository(db);
        attachments = new AttachmentRepository(db);
        transitions = new AttachmentTransitions(db);
        exports = new ExportRepository(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Volume volume(boolean multiattach) {
        Volume v = new Volume(Ids.newId(), "p1", "u", "vol", null, 1, VolumeStatus.AVAILABLE, AttachStatus.DETACHED,
                "nova", "h@file#file", null, false, multiattach, null, null, null, null, Map.of(), Instant.now(), null,
                null);
        volumes.create(v);
        return v;
    }

    private static VolumeAttachment reservation(Volume v, String instance) {
        return new VolumeAttachment(Ids.newId(), v.id(), "p1", instance, null, null, AttachStatus.RESERVED,
                VolumeAttachment.MODE_NOT_SET, null, null, null, null, Rows.now(), null);
    }

    private Volume reread(Volume v) {
        return volumes.find(v.id()).orElseThrow();
    }

    @Test
    void anAttachmentIsReservedConnectedCompletedAndDetached() {
        Volume v = volume(false);
        VolumeAttachment a = reservation(v, Ids.newId());
        assertThat(transitions.reserve(a).outcome()).isEqualTo(AttachmentTransitions.Outcome.DONE);
        assertThat(reread(v).status()).isEqualTo(VolumeStatus.RESERVED);

        Map<String, Object> connector = Map.of("host", "hôte-1", "initiator", "iqn.1993-08.org.debian:01:h1",
                "ip", "10.0.0.5", "multipath", false, "port", 3260, "nested", Map.of("a", List.of(1, "b")));
        Map<String, Object> info = Map.of("driver_volume_type", "iscsi",
                "data", Map.of("target_lun", 0, "auth_password", "s3cret"));
        AttachmentTransitions.Result connected = transitions.connect(a.id(), connector, info, "rw", Rows.now());
        assertThat(connected.outcome()).isEqualTo(AttachmentTransitions.Outcome.DONE);
        assertThat(connected.attachment().status()).isEqualTo(AttachStatus.ATTACHING);
        assertThat(attachments.find(a.id()).orElseThrow()).satisfies(found -> {
            assertThat(found.connector()).isEqualTo(connector);
            assertThat(found.connectionInfo()).isEqualTo(info);
            assertThat(found.attachedHost()).isEqualTo("hôte-1");
            assertThat(found.attachMode()).isEqualTo("rw");
        });
        assertThat(reread(v).status()).isEqualTo(VolumeStatus.ATTACHING);
        assertThat(reread(v).adminMetadata()).containsEntry(Volume.ATTACHED_MODE, "rw");

        assertThat(transitions.complete(a.id(), Rows.now()).outcome()).isEqualTo(AttachmentTransitions.Outcome.DONE);
        assertThat(reread(v).status()).isEqualTo(VolumeStatus.IN_USE);
        assertThat(reread(v).attachStatus()).isEqualTo(AttachStatus.ATTACHED);

        assertThat(transitions.detach(v.id(), a.id()).outcome()).isEqualTo(AttachmentTransitions.Outcome.DONE);
        assertThat(reread(v).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(reread(v).attachStatus()).isEqualTo(AttachStatus.DETACHED);
        assertThat(reread(v).adminMetadata()).doesNotContainKey(Volume.ATTACHED_MODE);
        assertThat(attachments.ofVolume(v.id())).isEmpty();
    }

    @Test
    void racingReservesOfAVolumeThatIsNotMultiattachHaveOneWinner() throws Exception {
        Volume v = volume(false);
        List<Callable<AttachmentTransitions.Outcome>> reserves = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            reserves.add(() -> transitions.reserve(reservation(v, Ids.newId())).outcome());
        }
        List<AttachmentTransitions.Outcome> outcomes = Races.race(reserves);
        assertThat(outcomes).filteredOn(o -> o == AttachmentTransitions.Outcome.DONE).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o == AttachmentTransitions.Outcome.STATUS).hasSize(RACERS - 1);
        assertThat(attachments.ofVolume(v.id())).hasSize(1);
        assertThat(reread(v).status()).isEqualTo(VolumeStatus.RESERVED);
    }

    @Test
    void anInUseVolumeTakesAnotherAttachmentOnlyWhenMultiattach() {
        for (boolean multiattach : new boolean[] {true, false}) {
            Volume v = volume(multiattach);
            VolumeAttachment first = reservation(v, Ids.newId());
            transitions.reserve(first);
            transitions.connect(first.id(), Map.of("host", "h1"), Map.of(), "rw", Rows.now());
            transitions.complete(first.id(), Rows.now());
            assertThat(transitions.reserve(reservation(v, Ids.newId())).outcome()).as("multiattach %s", multiattach)
                    .isEqualTo(multiattach ? AttachmentTransitions.Outcome.DONE : AttachmentTransitions.Outcome.STATUS);
            assertThat(attachments.ofVolume(v.id())).hasSize(multiattach ? 2 : 1);
        }
    }

    @Test
    void theLegacyActionsMoveOnlyTheVolumesStatus() {
        Volume v = volume(false);
        assertThat(transitions.reserveLegacy(v.id()).outcome()).isEqualTo(AttachmentTransitions.Outcome.DONE);
        assertThat(transitions.reserveLegacy(v.id()).outcome()).isEqualTo(AttachmentTransitions.Outcome.STATUS);
        assertThat(transitions.unreserve(v.id()).outcome()).isEqualTo(AttachmentTransitions.Outcome.DONE);
        assertThat(reread(v).status()).isEqualTo(VolumeStatus.AVAILABLE);

        VolumeAttachment attached = new VolumeAttachment(Ids.newId(), v.id(), "p1", Ids.newId(), "h1", "/dev/vdb",
                AttachStatus.ATTACHED, "rw", null, null, Rows.now(), null, Rows.now(), null);
        assertThat(transitions.attach(attached).outcome()).isEqualTo(AttachmentTransitions.Outcome.DONE);
        assertThat(transitions.attach(reservation(v, Ids.newId())).outcome())
                .isEqualTo(AttachmentTransitions.Outcome.NOT_MULTIATTACH);
        assertThat(transitions.beginDetaching(v.id()).outcome()).isEqualTo(AttachmentTransitions.Outcome.DONE);
        assertThat(reread(v).status()).isEqualTo(VolumeStatus.DETACHING);
        assertThat(transitions.rollDetaching(v.id()).outcome()).isEqualTo(AttachmentTransitions.Outcome.DONE);
        assertThat(reread(v).status()).isEqualTo(VolumeStatus.IN_USE);
        assertThat(attachments.list(new AttachmentRepository.Filter("p1", v.id(), null, AttachStatus.ATTACHED)))
                .extracting(VolumeAttachment::id).containsExactly(attached.id());
    }

    @Test
    void racingExportsOfAVolumeAgreeOnOne() throws Exception {
        Volume v = volume(false);
        List<Callable<VolumeExport>> adds = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            VolumeExport candidate = new VolumeExport(v.id(), "h@file", "iqn.2010-10.org.openstack:volume-" + v.id(),
                    "user-" + i, "secret-" + i, Rows.now());
            adds.add(() -> exports.findOrAdd(candidate).orElseThrow());
        }
        List<VolumeExport> kept = Races.race(adds);
        assertThat(kept).containsOnly(kept.get(0));
        assertThat(exports.find(v.id())).contains(kept.get(0));
        assertThat(exports.onHost("h@file")).containsExactly(kept.get(0));
        assertThat(exports.findOrAdd(new VolumeExport(Ids.newId(), "h@file", "iqn.x", "u", "s", Rows.now())))
                .as("no export for a volume that does not exist").isEmpty();
        assertThat(exports.delete(v.id())).isTrue();
        assertThat(exports.find(v.id())).isEmpty();
    }
}
