package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Transfer;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Transfers move their volume's status as Cinder's conditional updates do, and an accept gives the
 * volume, its snapshots and their quota to the receiving project in one transaction, or nothing.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class TransferRepositoryTest {
    private static final String TYPE = "type-1";

    private final TestDatabase database;
    private Database db;
    private VolumeRepository volumes;
    private SnapshotRepository snapshots;
    private QuotaRepository quotas;
    private TransferRepository transfers;
    private String donor;
    private String receiver;

    TransferRepositoryTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open();
        volumes = new VolumeRepository(db);
        snapshots = new SnapshotRepository(db);
        quotas = new QuotaRepository(db);
        transfers = new TransferRepository(db);
        donor = "d-" + Ids.newId();
        receiver = "r-" + Ids.newId();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Volume availableVolume(int size) {
        return PlacedVolumes.available(volumes, donor, TYPE, size, "volumes");
    }

    private Snapshot snapshot(Volume v, boolean available) {
        Snapshot s = new Snapshot(Ids.newId(), v.id(), donor, "u", "s", null, SnapshotStatus.CREATING, "0%", v.size(),
                TYPE, null, Map.of(), Instant.now().truncatedTo(ChronoUnit.MICROS), null);
        assertThat(snapshots.create(s, Set.of(VolumeStatus.AVAILABLE), QuotaReservation.of(donor,
                Map.of("snapshots", 1L, "gigabytes", (long) v.size()), Map.of("snapshots", -1, "gigabytes", -1))))
                .isEqualTo(SnapshotRepository.CreateOutcome.CREATED);
        if (available) {
            assertThat(snapshots.markAvailable(s.id())).isTrue();
        }
        return s;
    }

    private Transfer transfer(Volume v, boolean noSnapshots) {
        return new Transfer(Ids.newId(), v.id(), "t", "salt", "hash", noSnapshots, v.projectId(), null, false,
                Instant.now().truncatedTo(ChronoUnit.MICROS), null);
    }

    /** The receiver's limits: {@code limits} where given, unlimited otherwise. */
    private Function<Map<String, Long>, QuotaReservation> limits(Map<String, Integer> limits) {
        return deltas -> {
            Map<String, Integer> all = new HashMap<>();
            deltas.keySet().forEach(k -> all.put(k, limits.getOrDefault(k, -1)));
            return QuotaReservation.of(receiver, deltas, all);
        };
    }

    private QuotaUsage usage(String project, String resource) {
        return quotas.usages(project).getOrDefault(resource, QuotaUsage.NONE);
    }

    @Test
    void aTransferHoldsItsVolumeAwaitingTransferUntilDeleted() {
        Volume v = availableVolume(1);
        Transfer t = transfer(v, false);
        assertThat(transfers.create(t).outcome()).isEqualTo(TransferRepository.Outcome.DONE);
        assertThat(volumes.find(v.id()).orElseThrow().status()).isEqualTo(VolumeStatus.AWAITING_TRANSFER);
        assertThat(transfers.find(t.id())).contains(t);
        assertThat(transfers.find(t.id(), donor)).contains(t);
        assertThat(transfers.find(t.id(), receiver)).isEmpty();
        assertThat(transfers.list(donor)).containsExactly(t);
        assertThat(transfers.list(receiver)).isEmpty();
        assertThat(transfers.list(null)).containsExactly(t);

        TransferRepository.Result again = transfers.create(transfer(v, false));
        assertThat(again.outcome()).isEqualTo(TransferRepository.Outcome.VOLUME_STATUS);
        assertThat(again.detail()).isEqualTo("awaiting-transfer");

        assertThat(transfers.delete(t.id())).isTrue();
        assertThat(transfers.delete(t.id())).isFalse();
        assertThat(volumes.find(v.id()).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(transfers.find(t.id())).isEmpty();
        assertThat(transfers.list(null)).isEmpty();
        assertThat(transfers.create(transfer(volumes.find(v.id()).orElseThrow(), true)).outcome())
                .isEqualTo(TransferRepository.Outcome.DONE);
        assertThat(transfers.create(transfer(new Volume(Ids.newId(), donor, "u", "v", null, 1, VolumeStatus.AVAILABLE,
                AttachStatus.DETACHED, "nova", null, TYPE, false, false, null, null, null, null, Map.of(),
                Instant.now(), null, null), false)).outcome()).isEqualTo(TransferRepository.Outcome.NOT_FOUND);
    }

    @Test
    void aSnapshotNotAvailableStopsATransferThatTakesSnapshots() {
        Volume v = availableVolume(1);
        Snapshot creating = snapshot(v, false);
        TransferRepository.Result refused = transfers.create(transfer(v, false));
        assertThat(refused.outcome()).isEqualTo(TransferRepository.Outcome.SNAPSHOT_STATUS);
        assertThat(refused.detail()).isEqualTo(creating.id());
        assertThat(volumes.find(v.id()).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(transfers.list(null)).isEmpty();
        assertThat(transfers.create(transfer(v, true)).outcome()).isEqualTo(TransferRepository.Outcome.DONE);
    }

    @Test
    void anAcceptGivesTheVolumeItsSnapshotsAndTheirQuotaToTheReceiver() {
        Volume v = availableVolume(3);
        Snapshot s = snapshot(v, true);
        Transfer t = transfer(v, false);
        transfers.create(t);
        TransferRepository.Result accepted = transfers.accept(t.id(), "bob", receiver, limits(Map.of()));
        assertThat(accepted.outcome()).isEqualTo(TransferRepository.Outcome.DONE);
        assertThat(accepted.transfer()).isEqualTo(t);
        Volume moved = volumes.find(v.id()).orElseThrow();
        assertThat(moved.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(moved.projectId()).isEqualTo(receiver);
        assertThat(moved.userId()).isEqualTo("bob");
        assertThat(snapshots.find(s.id()).orElseThrow().projectId()).isEqualTo(receiver);
        assertThat(usage(receiver, "volumes")).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage(receiver, "volumes:" + TYPE)).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage(receiver, "gigabytes")).isEqualTo(new QuotaUsage(6, 0));
        assertThat(usage(receiver, "snapshots")).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage(donor, "volumes")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage(donor, "gigabytes")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage(donor, "snapshots")).isEqualTo(QuotaUsage.NONE);
        assertThat(transfers.find(t.id())).isEmpty();
        assertThat(transfers.accept(t.id(), "bob", receiver, limits(Map.of())).outcome())
                .as("an accepted transfer is gone").isEqualTo(TransferRepository.Outcome.NOT_FOUND);
        assertThat(transfers.delete(t.id())).isFalse();
        db.jdbi().useHandle(h -> assertThat(h.createQuery("SELECT accepted, deleted, destination_project_id FROM"
                        + " transfers WHERE id = :id").bind("id", t.id())
                .map((rs, ctx) -> rs.getBoolean(1) + " " + rs.getBoolean(2) + " " + rs.getString(3)).one())
                .isEqualTo("true true " + receiver));

        assertThat(snapshots.delete(s.id())).isTrue();
        assertThat(usage(receiver, "gigabytes")).as("the receiver's claims go with the rows")
                .isEqualTo(new QuotaUsage(3, 0));
    }

    @Test
    void anAcceptWithoutSnapshotsLeavesThemAndTheirQuotaWithTheDonor() {
        Volume v = availableVolume(2);
        Snapshot s = snapshot(v, false);
        Transfer t = transfer(v, true);
        assertThat(transfers.create(t).outcome()).isEqualTo(TransferRepository.Outcome.DONE);
        assertThat(transfers.accept(t.id(), "bob", receiver, limits(Map.of())).outcome())
                .isEqualTo(TransferRepository.Outcome.DONE);
        assertThat(snapshots.find(s.id()).orElseThrow().projectId()).isEqualTo(donor);
        assertThat(usage(donor, "snapshots")).isEqualTo(new QuotaUsage(0, 1));
        assertThat(usage(donor, "gigabytes")).isEqualTo(new QuotaUsage(0, 2));
        assertThat(usage(receiver, "gigabytes")).isEqualTo(new QuotaUsage(2, 0));
    }

    @Test
    void anAcceptOverTheReceiversQuotaChangesNothing() {
        Volume v = availableVolume(5);
        snapshot(v, true);
        Transfer t = transfer(v, false);
        transfers.create(t);
        assertThatThrownBy(() -> transfers.accept(t.id(), "bob", receiver, limits(Map.of("gigabytes", 9))))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.resource()).isEqualTo("gigabytes");
                    assertThat(e.limit()).isEqualTo(9);
                    assertThat(e.requested()).isEqualTo(10);
                    assertThat(e.consumed()).isZero();
                });
        assertThatThrownBy(() -> transfers.accept(t.id(), "bob", receiver, limits(Map.of("volumes", 0))))
                .isInstanceOf(QuotaExceededException.class);
        volumes.transition(v.id(), Set.of(VolumeStatus.AWAITING_TRANSFER), VolumeStatus.MAINTENANCE);
        assertThatThrownBy(() -> transfers.accept(t.id(), "bob", receiver, limits(Map.of("volumes", 0))))
                .as("quota is checked before the status, as Cinder").isInstanceOf(QuotaExceededException.class);
        assertThat(transfers.accept(t.id(), "bob", receiver, limits(Map.of())).outcome())
                .isEqualTo(TransferRepository.Outcome.VOLUME_STATUS);
        assertThat(usage(receiver, "volumes")).as("a refusal after the quota moved moves it back")
                .isEqualTo(QuotaUsage.NONE);
        volumes.transition(v.id(), Set.of(VolumeStatus.MAINTENANCE), VolumeStatus.AWAITING_TRANSFER);
        Volume kept = volumes.find(v.id()).orElseThrow();
        assertThat(kept.status()).isEqualTo(VolumeStatus.AWAITING_TRANSFER);
        assertThat(kept.projectId()).isEqualTo(donor);
        assertThat(usage(donor, "gigabytes")).isEqualTo(new QuotaUsage(10, 0));
        assertThat(usage(receiver, "gigabytes").inUse()).isZero();
        assertThat(usage(receiver, "gigabytes").reserved()).isZero();
        assertThat(transfers.find(t.id())).isPresent();
    }

    @Test
    void anAcceptNeedsTheVolumeAwaitingTransferAndItsSnapshotsAvailable() {
        Volume v = availableVolume(1);
        Snapshot s = snapshot(v, true);
        Transfer t = transfer(v, false);
        transfers.create(t);
        assertThat(snapshots.transition(s.id(), Set.of(SnapshotStatus.AVAILABLE), SnapshotStatus.ERROR)).isTrue();
        TransferRepository.Result refused = transfers.accept(t.id(), "bob", receiver, limits(Map.of()));
        assertThat(refused.outcome()).isEqualTo(TransferRepository.Outcome.SNAPSHOT_STATUS);
        assertThat(refused.detail()).isEqualTo(s.id());
        assertThat(volumes.find(v.id()).orElseThrow().projectId()).isEqualTo(donor);

        volumes.transition(v.id(), Set.of(VolumeStatus.AWAITING_TRANSFER), VolumeStatus.MAINTENANCE);
        TransferRepository.Result maintenance = transfers.accept(t.id(), "bob", receiver, limits(Map.of()));
        assertThat(maintenance.outcome()).isEqualTo(TransferRepository.Outcome.VOLUME_STATUS);
        assertThat(maintenance.detail()).isEqualTo("maintenance");
        assertThat(transfers.delete(t.id())).isTrue();
        assertThat(volumes.find(v.id()).orElseThrow().status()).as("left as it is").isEqualTo(VolumeStatus.MAINTENANCE);
    }

    @Test
    void concurrentAcceptsAndADeleteLetExactlyOneWin() throws Exception {
        Volume v = availableVolume(2);
        snapshot(v, true);
        Transfer t = transfer(v, false);
        transfers.create(t);
        List<Callable<String>> racers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String project = "r" + i + "-" + Ids.newId();
            racers.add(() -> transfers.accept(t.id(), "u", project, deltas -> {
                Map<String, Integer> unlimited = new HashMap<>();
                deltas.keySet().forEach(k -> unlimited.put(k, -1));
                return QuotaReservation.of(project, deltas, unlimited);
            }).outcome() + " " + project);
        }
        racers.add(() -> (transfers.delete(t.id()) ? "DONE" : "NOT_FOUND") + " delete");
        List<String> results = Races.race(racers);
        List<String> winners = results.stream().filter(r -> r.startsWith("DONE")).toList();
        assertThat(winners).as(results.toString()).hasSize(1);
        assertThat(results.stream().filter(r -> r.startsWith("NOT_FOUND"))).hasSize(racers.size() - 1);
        String owner = winners.get(0).endsWith("delete") ? donor : winners.get(0).substring("DONE ".length());
        Volume after = volumes.find(v.id()).orElseThrow();
        assertThat(after.projectId()).isEqualTo(owner);
        assertThat(after.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(usage(owner, "gigabytes")).isEqualTo(new QuotaUsage(4, 0));
        assertThat(usage(owner, "volumes")).isEqualTo(new QuotaUsage(1, 0));
        if (!owner.equals(donor)) {
            assertThat(usage(donor, "gigabytes")).isEqualTo(QuotaUsage.NONE);
        }
    }
}
