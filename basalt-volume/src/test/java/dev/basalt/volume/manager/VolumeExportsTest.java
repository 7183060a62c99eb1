package dev.basalt.volume.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.bus.InJvmBus;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Ids;
import dev.basalt.db.AttachmentTransitions;
import dev.basalt.db.Database;
import dev.basalt.db.ExportRepository;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeAttachment;
import dev.basalt.model.VolumeExport;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.InitializeConnection;
import dev.basalt.rpc.VolumeConnection;
import dev.basalt.rpc.TerminateConnection;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.driver.file.FileDriverSettings;
import dev.basalt.driver.file.FileVolumeDriver;
import dev.basalt.volume.target.VolumeTarget;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The volume service exporting volumes through the builtin target: connection calls over the bus,
 * exports kept in the database with their credentials, removed when the last host is done, served
 * again after a restart, and removed before a volume is deleted.
 */
class VolumeExportsTest {
    private static final String HOST = "node1@file";
    private static final Duration CALL = Duration.ofSeconds(20);
    private static final Map<String, Object> CONNECTOR = Map.of("initiator", "iqn.2024-01.dev.basalt:host1",
            "host", "host1");

    @TempDir
    Path dir;
    private Database db;
    private VolumeRepository volumes;
    private ExportRepository exports;
    private InJvmBus bus;
    private final TestTargets iscsi = new TestTargets();
    private VolumeTarget target;
    private VolumeService service;

    @BeforeEach
    void open() {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        volumes = new VolumeRepository(db);
        exports = new ExportRepository(db);
        bus = new InJvmBus();
        start();
    }

    private void start() {
        start(new FileVolumeDriver(new FileDriverSettings(dir, true, VolumeClear.ZERO, 0, "file")));
    }

    private void start(VolumeDriver driver) {
        target = iscsi.target();
        service = new VolumeService(VolumeServiceSettings.defaults(HOST, "file"), driver, target, db, bus,
                Clock.systemUTC());
        service.start();
    }

    @AfterEach
    void close() {
        service.stop();
        iscsi.close();
        bus.close();
        db.close();
    }

    private String availableVolume() {
        return availableVolume(false);
    }

    private String availableVolume(boolean multiattach) {
        String id = Ids.newId();
        volumes.create(new Volume(id, "p1", "u1", "v", null, 1, VolumeStatus.AVAILABLE, AttachStatus.DETACHED, "nova",
                HOST + "#file", null, false, multiattach, null, null, null, null, Map.of(), Instant.now(), null, null));
        FileVolumeDriver files = new FileVolumeDriver(new FileDriverSettings(dir, true, VolumeClear.ZERO, 0, "file"));
        files.start();
        files.createVolume(new VolumeSpec(id, 1));
        return id;
    }

    private VolumeConnection connect(String volumeId, Map<String, Object> connector) {
        return new VolumeRpc(bus).initializeConnection(HOST, new InitializeConnection(volumeId, connector, "req-1"), CALL);
    }

    private void disconnect(String volumeId, String attachmentId) {
        new VolumeRpc(bus).terminateConnection(HOST, new TerminateConnection(volumeId, attachmentId, "req-2"), CALL);
    }

    @Test
    void aConnectionExportsTheVolumeOnceWithItsOwnCredentials() {
        String id = availableVolume();
        VolumeConnection first = connect(id, CONNECTOR);
        assertThat((String) first.data().get("target_iqn")).isEqualTo("iqn.2010-10.org.openstack:volume-" + id);
        assertThat(first.data().get("target_lun")).isEqualTo(0);
        assertThat((String) first.data().get("auth_method")).isEqualTo("CHAP");
        assertThat((String) first.data().get("auth_password")).hasSizeGreaterThanOrEqualTo(12);
        assertThat(target.hasExport((String) first.data().get("target_iqn"))).isTrue();
        VolumeExport kept = exports.find(id).orElseThrow();
        assertThat(kept.chapUser()).isEqualTo((String) first.data().get("auth_username"));
        assertThat(kept.chapSecret()).isEqualTo((String) first.data().get("auth_password"));

        VolumeConnection again = connect(id, CONNECTOR);
        assertThat(again).isEqualTo(first);
        String other = availableVolume();
        assertThat((String) connect(other, CONNECTOR).data().get("auth_password"))
                .isNotEqualTo((String) first.data().get("auth_password"));

        disconnect(id, null);
        assertThat(target.hasExport((String) first.data().get("target_iqn"))).isFalse();
        assertThat(exports.find(id)).isEmpty();
        disconnect(id, null);
    }

    @Test
    void theExportStaysWhileAnotherAttachmentUsesIt() {
        String id = availableVolume(true);
        VolumeConnection c = connect(id, CONNECTOR);
        AttachmentTransitions attachments = new AttachmentTransitions(db);
        Instant now = Instant.now();
        String[] ids = {Ids.newId(), Ids.newId()};
        for (String attachment : ids) {
            VolumeAttachment a = new VolumeAttachment(attachment, id, "p1", null, null, null, AttachStatus.RESERVED,
                    VolumeAttachment.MODE_NOT_SET, Map.of(), Map.of(), null, null, now, now);
            assertThat(attachments.reserve(a).outcome()).isEqualTo(AttachmentTransitions.Outcome.DONE);
            attachments.connect(attachment, CONNECTOR, Map.of("target_iqn", (String) c.data().get("target_iqn")), "rw",
                    now);
            attachments.complete(attachment, now);
        }
        disconnect(id, ids[0]);
        assertThat(target.hasExport((String) c.data().get("target_iqn"))).as("the other attachment uses it").isTrue();
        attachments.detach(id, ids[0]);
        disconnect(id, ids[1]);
        assertThat(target.hasExport((String) c.data().get("target_iqn"))).isFalse();
    }

    @Test
    void aRestartServesTheSameExportsAgain() {
        String id = availableVolume();
        VolumeConnection before = connect(id, CONNECTOR);
        service.stop();
        assertThat(target.hasExport((String) before.data().get("target_iqn"))).as("stopping closes the exports").isFalse();
        start();
        assertThat(target.hasExport((String) before.data().get("target_iqn"))).isTrue();
        assertThat(connect(id, CONNECTOR)).isEqualTo(before);
    }

    @Test
    void deletingAVolumeRemovesItsExportFirst() {
        String id = availableVolume();
        VolumeConnection c = connect(id, CONNECTOR);
        volumes.transition(id, java.util.Set.of(VolumeStatus.AVAILABLE), VolumeStatus.DELETING);
        new VolumeRpc(bus).deleteVolume(HOST, new dev.basalt.rpc.DeleteVolume(id, "req-3"));
        org.awaitility.Awaitility.await().atMost(CALL).until(() -> volumes.find(id).isEmpty());
        assertThat(target.hasExport((String) c.data().get("target_iqn"))).isFalse();
        assertThat(exports.find(id)).isEmpty();
    }

    @Test
    void badRequestsAreClientErrorsAndExportNothing() {
        String id = availableVolume();
        assertThatThrownBy(() -> connect(id, Map.of("host", "host1")))
                .isInstanceOfSatisfying(BasaltException.class, e -> {
                    assertThat(e.fault()).isEqualTo(Fault.BAD_REQUEST);
                    assertThat(e.getMessage()).contains("initiator");
                });
        assertThatThrownBy(() -> connect(Ids.newId(), CONNECTOR))
                .isInstanceOfSatisfying(BasaltException.class, e -> assertThat(e.fault()).isEqualTo(Fault.NOT_FOUND));
        assertThat(exports.find(id)).isEmpty();
    }

    /** Restarts the service on a driver with a native connection and block I/O but no files. */
    private void startNativeGateway() {
        service.stop();
        start(new NativeGatewayDriver(new FileVolumeDriver(new FileDriverSettings(dir, true, VolumeClear.ZERO, 0,
                "file"))));
    }

    @Test
    void aFileVolumeIsReachedOverIscsiAndOffersNothingElse() {
        String id = availableVolume();
        assertThat(connect(id, CONNECTOR).driverVolumeType()).isEqualTo("iscsi");
        Map<String, Object> askingIscsi = new java.util.HashMap<>(CONNECTOR);
        askingIscsi.put("protocol", "iSCSI");
        assertThat(connect(id, askingIscsi).driverVolumeType()).isEqualTo("iscsi");
        Map<String, Object> askingRbd = new java.util.HashMap<>(CONNECTOR);
        askingRbd.put("protocol", "rbd");
        disconnect(id, null);
        assertThatThrownBy(() -> connect(id, askingRbd))
                .isInstanceOfSatisfying(BasaltException.class, e -> {
                    assertThat(e.fault()).isEqualTo(Fault.BAD_REQUEST);
                    assertThat(e.getMessage()).contains("'rbd'").contains(HOST).contains("it offers: iscsi.");
                });
        assertThat(exports.find(id)).isEmpty();
    }

    @Test
    void aNativeDriverAnswersNativelyByDefaultWithoutAnExport() {
        startNativeGateway();
        String id = availableVolume();
        VolumeConnection c = connect(id, Map.of("host", "host1"));
        assertThat(c.driverVolumeType()).isEqualTo("rbd");
        assertThat(c.data()).containsEntry("name", "rbd/volume-" + id).containsEntry("volume_id", id);
        assertThat(exports.find(id)).isEmpty();
        disconnect(id, null);
    }

    @Test
    void aNativeDriverIsServedOverIscsiThroughItsBlockDeviceWhenAsked() throws Exception {
        startNativeGateway();
        String id = availableVolume();
        Map<String, Object> askingIscsi = new java.util.HashMap<>(CONNECTOR);
        askingIscsi.put("protocol", "iscsi");
        VolumeConnection c = connect(id, askingIscsi);
        assertThat(c.driverVolumeType()).isEqualTo("iscsi");
        String iqn = (String) c.data().get("target_iqn");
        assertThat(target.hasExport(iqn)).isTrue();
        assertThat(exports.find(id)).isPresent();

        service.stop();
        startNativeGateway();
        assertThat(target.hasExport(iqn)).as("served again after a restart, through the block device").isTrue();
        disconnect(id, null);
        assertThat(target.hasExport(iqn)).isFalse();
        assertThat(exports.find(id)).isEmpty();
    }

    @Test
    void aProtocolTheBackendCannotGiveIsABadRequestNamingThoseItCan() {
        startNativeGateway();
        String id = availableVolume();
        for (Object protocol : new Object[] {"fibre_channel", 7}) {
            Map<String, Object> connector = new java.util.HashMap<>(CONNECTOR);
            connector.put("protocol", protocol);
            assertThatThrownBy(() -> connect(id, connector))
                    .isInstanceOfSatisfying(BasaltException.class, e -> {
                        assertThat(e.fault()).isEqualTo(Fault.BAD_REQUEST);
                        assertThat(e.getMessage()).contains(String.valueOf(protocol)).contains("it offers: rbd, iscsi.");
                    });
        }
        Map<String, Object> noInitiator = Map.of("host", "host1", "protocol", "iscsi");
        assertThatThrownBy(() -> connect(id, noInitiator))
                .isInstanceOfSatisfying(BasaltException.class, e -> assertThat(e.getMessage()).contains("initiator"));
        assertThat(exports.find(id)).isEmpty();
    }
}
