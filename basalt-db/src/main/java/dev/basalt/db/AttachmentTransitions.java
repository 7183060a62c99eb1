package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeAttachment;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * How attaching and detaching move a volume and its attachments, by Cinder's rules. Each change
 * runs in one transaction that first locks the volume's row, so two requests for the same volume
 * take turns and the second sees what the first did.
 *
 * <p>A volume's status follows its attachments once one is added or removed: the first of their
 * statuses in name order (errors aside), {@code attached} shown as {@code in-use}, none left as
 * {@code available}. The legacy actions (os-reserve, os-begin_detaching, …) set a status without
 * touching the attachments.
 */
public final class AttachmentTransitions {
    /** Volume statuses a new attachment may be reserved from. */
    private static final Set<String> RESERVABLE = Set.of("available", "downloading");
    private static final Set<String> RESERVABLE_MULTIATTACH = Set.of("available", "in-use", "downloading");

    /** Why a change was refused, or that it happened. */
    public enum Outcome {
        DONE,
        /** No such volume, or no such attachment. */
        NOT_FOUND,
        /** The volume's status does not allow the change; {@link Result#volumeStatus()} says what it is. */
        STATUS,
        /** The volume is attached already and does not allow more than one attachment. */
        NOT_MULTIATTACH
    }

    /** The outcome, the volume's status when it was checked, and the attachment as it is now (if any). */
    public record Result(Outcome outcome, String volumeStatus, VolumeAttachment attachment) {
        static Result of(Outcome outcome, String volumeStatus) {
            return new Result(outcome, volumeStatus, null);
        }
    }

    private final Jdbi jdbi;

    public AttachmentTransitions(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /**
     * Adds a {@code reserved} attachment and moves the volume to {@code reserved}: from
     * {@code available} (also {@code in-use} for a multiattach volume). A server that already has an
     * attachment of the volume may reserve another whatever the volume's status is.
     */
    public Result reserve(VolumeAttachment attachment) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.volumeStatus(h, attachment.volumeId());
            if (status.isEmpty()) {
                return Result.of(Outcome.NOT_FOUND, null);
            }
            boolean multiattach = multiattach(h, attachment.volumeId());
            if ((multiattach ? RESERVABLE_MULTIATTACH : RESERVABLE).contains(status.get())) {
                setVolumeStatus(h, attachment.volumeId(), VolumeStatus.RESERVED.apiName(), null);
            } else if (!sameServerAgain(h, attachment, status.get())) {
                return Result.of(Outcome.STATUS, status.get());
            }
            insert(h, attachment);
            return new Result(Outcome.DONE, status.get(), attachment);
        });
    }

    private static boolean sameServerAgain(Handle h, VolumeAttachment attachment, String volumeStatus) {
        if (attachment.instanceUuid() == null || !Set.of("in-use", "reserved").contains(volumeStatus)) {
            return false;
        }
        return AttachmentRepository.ofVolume(h, attachment.volumeId()).stream()
                .anyMatch(a -> attachment.instanceUuid().equals(a.instanceUuid()));
    }

    /**
     * Records the connector a host gave and the connection info it was handed: the attachment and
     * the volume go to {@code attaching}. The attach mode is {@code mode} unless the attachment had
     * one already.
     */
    public Result connect(String attachmentId, Map<String, Object> connector, Map<String, Object> connectionInfo,
                          String mode, Instant now) {
        return jdbi.inTransaction(h -> {
            Optional<VolumeAttachment> found = AttachmentRepository.find(h, attachmentId);
            if (found.isEmpty()) {
                return Result.of(Outcome.NOT_FOUND, null);
            }
            VolumeAttachment a = found.get();
            Optional<String> status = Locks.volumeStatus(h, a.volumeId());
            if (status.isEmpty() || AttachmentRepository.find(h, attachmentId).isEmpty()) {
                return Result.of(Outcome.NOT_FOUND, null);
            }
            String attachMode = VolumeAttachment.MODE_NOT_SET.equals(a.attachMode()) ? mode : a.attachMode();
            h.createUpdate("UPDATE volume_attachments SET attach_status = :status, connector = :connector,"
                            + " connection_info = :info, attach_mode = :mode, attached_host = :host,"
                            + " mountpoint = :mountpoint, attach_time = :now, updated_at = :now WHERE id = :id")
                    .bind("status", AttachStatus.ATTACHING.apiName())
                    .bind("connector", AttachmentRepository.toJson(connector))
                    .bind("info", AttachmentRepository.toJson(connectionInfo))
                    .bind("mode", attachMode)
                    .bind("host", text(connector.get("host")))
                    .bind("mountpoint", text(connector.getOrDefault("mountpoint", "na")))
                    .bind("now", Rows.timestamp(now)).bind("id", attachmentId).execute();
            setVolumeStatus(h, a.volumeId(), VolumeStatus.ATTACHING.apiName(), AttachStatus.ATTACHING.apiName());
            AdminMetadata.put(h, a.volumeId(), Volume.ATTACHED_MODE, attachMode);
            return new Result(Outcome.DONE, status.get(), AttachmentRepository.find(h, attachmentId).orElseThrow());
        });
    }

    /** The host has the disk: the attachment is {@code attached}, the volume {@code in-use}. */
    public Result complete(String attachmentId, Instant now) {
        return jdbi.inTransaction(h -> {
            Optional<VolumeAttachment> found = AttachmentRepository.find(h, attachmentId);
            if (found.isEmpty()) {
                return Result.of(Outcome.NOT_FOUND, null);
            }
            Optional<String> status = Locks.volumeStatus(h, found.get().volumeId());
            if (status.isEmpty()) {
                return Result.of(Outcome.NOT_FOUND, null);
            }
            h.createUpdate("UPDATE volume_attachments SET attach_status = :status, updated_at = :now WHERE id = :id")
                    .bind("status", AttachStatus.ATTACHED.apiName()).bind("now", Rows.timestamp(now))
                    .bind("id", attachmentId).execute();
            setVolumeStatus(h, found.get().volumeId(), VolumeStatus.IN_USE.apiName(), AttachStatus.ATTACHED.apiName());
            return new Result(Outcome.DONE, status.get(), AttachmentRepository.find(h, attachmentId).orElseThrow());
        });
    }

    /**
     * Removes the attachment; the volume's status then follows the attachments left (none:
     * {@code available}, and its {@code attached_mode} is forgotten). A missing attachment is fine:
     * the volume's status is settled all the same.
     */
    public Result detach(String volumeId, String attachmentId) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.volumeStatus(h, volumeId);
            if (status.isEmpty()) {
                return Result.of(Outcome.NOT_FOUND, null);
            }
            h.createUpdate("DELETE FROM volume_attachments WHERE id = :id AND volume_id = :volume")
                    .bind("id", attachmentId).bind("volume", volumeId).execute();
            settle(h, volumeId);
            return Result.of(Outcome.DONE, status.get());
        });
    }

    /**
     * os-attach: records an {@code attached} attachment and moves the volume to {@code in-use}. A
     * server (or, without one, a host) that has an attachment of the volume gets that one back.
     */
    public Result attach(VolumeAttachment attachment) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.volumeStatus(h, attachment.volumeId());
            if (status.isEmpty()) {
                return Result.of(Outcome.NOT_FOUND, null);
            }
            for (VolumeAttachment a : AttachmentRepository.ofVolume(h, attachment.volumeId())) {
                boolean same = attachment.instanceUuid() != null ? attachment.instanceUuid().equals(a.instanceUuid())
                        : a.instanceUuid() == null && attachment.attachedHost() != null
                        && attachment.attachedHost().equals(a.attachedHost());
                if (same) {
                    setVolumeStatus(h, attachment.volumeId(), VolumeStatus.IN_USE.apiName(), null);
                    return new Result(Outcome.DONE, status.get(), a);
                }
            }
            if (VolumeStatus.IN_USE.apiName().equals(status.get()) && !multiattach(h, attachment.volumeId())) {
                return Result.of(Outcome.NOT_MULTIATTACH, status.get());
            }
            if (!Set.of("available", "attaching", "reserved", "in-use").contains(status.get())) {
                return Result.of(Outcome.STATUS, status.get());
            }
            insert(h, attachment);
            setVolumeStatus(h, attachment.volumeId(), VolumeStatus.IN_USE.apiName(), AttachStatus.ATTACHED.apiName());
            AdminMetadata.put(h, attachment.volumeId(), Volume.ATTACHED_MODE, attachment.attachMode());
            return new Result(Outcome.DONE, status.get(), attachment);
        });
    }

    /** os-reserve: {@code available} (also {@code in-use} when multiattach) → {@code attaching}. */
    public Result reserveLegacy(String volumeId) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.volumeStatus(h, volumeId);
            if (status.isEmpty()) {
                return Result.of(Outcome.NOT_FOUND, null);
            }
            Set<String> allowed = multiattach(h, volumeId) ? Set.of("available", "in-use") : Set.of("available");
            if (!allowed.contains(status.get())) {
                return Result.of(Outcome.STATUS, status.get());
            }
            setVolumeStatus(h, volumeId, VolumeStatus.ATTACHING.apiName(), null);
            return Result.of(Outcome.DONE, status.get());
        });
    }

    /** os-unreserve: {@code attaching} → {@code in-use} when attachments remain, else {@code available}. */
    public Result unreserve(String volumeId) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.volumeStatus(h, volumeId);
            if (status.isEmpty()) {
                return Result.of(Outcome.NOT_FOUND, null);
            }
            if (!VolumeStatus.ATTACHING.apiName().equals(status.get())) {
                return Result.of(Outcome.STATUS, status.get());
            }
            boolean attached = !AttachmentRepository.ofVolume(h, volumeId).isEmpty();
            setVolumeStatus(h, volumeId, attached ? VolumeStatus.IN_USE.apiName() : VolumeStatus.AVAILABLE.apiName(),
                    null);
            return Result.of(Outcome.DONE, status.get());
        });
    }

    /** os-begin_detaching: {@code in-use} and {@code attached} → {@code detaching}. */
    public Result beginDetaching(String volumeId) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.volumeStatus(h, volumeId);
            if (status.isEmpty()) {
                return Result.of(Outcome.NOT_FOUND, null);
            }
            String attach = h.createQuery("SELECT attach_status FROM volumes WHERE id = :id")
                    .bind("id", volumeId).mapTo(String.class).one();
            if (!VolumeStatus.IN_USE.apiName().equals(status.get()) || !AttachStatus.ATTACHED.apiName().equals(attach)) {
                return Result.of(Outcome.STATUS, status.get());
            }
            setVolumeStatus(h, volumeId, VolumeStatus.DETACHING.apiName(), null);
            return Result.of(Outcome.DONE, status.get());
        });
    }

    /** os-roll_detaching: {@code detaching} → {@code in-use}; any other status stays as it is. */
    public Result rollDetaching(String volumeId) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.volumeStatus(h, volumeId);
            if (status.isEmpty()) {
                return Result.of(Outcome.NOT_FOUND, null);
            }
            if (VolumeStatus.DETACHING.apiName().equals(status.get())) {
                setVolumeStatus(h, volumeId, VolumeStatus.IN_USE.apiName(), null);
            }
            return Result.of(Outcome.DONE, status.get());
        });
    }

    /** Sets the volume's status (and attach status, unless null) from what its attachments say. */
    private static void settle(Handle h, String volumeId) {
        List<String> statuses = h.createQuery("SELECT attach_status FROM volume_attachments WHERE volume_id = :id"
                        + " AND attach_status NOT LIKE 'error%' ORDER BY attach_status")
                .bind("id", volumeId).mapTo(String.class).list();
        if (statuses.isEmpty()) {
            setVolumeStatus(h, volumeId, VolumeStatus.AVAILABLE.apiName(), AttachStatus.DETACHED.apiName());
            AdminMetadata.remove(h, volumeId, Volume.ATTACHED_MODE);
            return;
        }
        String first = statuses.get(0);
        String status = AttachStatus.ATTACHED.apiName().equals(first) ? VolumeStatus.IN_USE.apiName() : first;
        setVolumeStatus(h, volumeId, status, first);
    }

    private static void setVolumeStatus(Handle h, String volumeId, String status, String attachStatus) {
        String sql = attachStatus == null
                ? "UPDATE volumes SET status = :status, updated_at = :now WHERE id = :id"
                : "UPDATE volumes SET status = :status, attach_status = :attach, updated_at = :now WHERE id = :id";
        var update = h.createUpdate(sql).bind("status", status).bind("now", Rows.timestamp(Rows.now()))
                .bind("id", volumeId);
        if (attachStatus != null) {
            update.bind("attach", attachStatus);
        }
        update.execute();
    }

    private static boolean multiattach(Handle h, String volumeId) {
        return h.createQuery("SELECT multiattach FROM volumes WHERE id = :id").bind("id", volumeId)
                .mapTo(Boolean.class).one();
    }

    private static void insert(Handle h, VolumeAttachment a) {
        h.createUpdate("INSERT INTO volume_attachments (" + AttachmentRepository.COLUMNS + ") VALUES (:id, :volume_id,"
                        + " :project_id, :instance_uuid, :attached_host, :mountpoint, :attach_status, :attach_mode,"
                        + " :connector, :connection_info, :attach_time, :detach_time, :created_at, :updated_at)")
                .bind("id", a.id()).bind("volume_id", a.volumeId()).bind("project_id", a.projectId())
                .bind("instance_uuid", a.instanceUuid()).bind("attached_host", a.attachedHost())
                .bind("mountpoint", a.mountpoint()).bind("attach_status", a.status().apiName())
                .bind("attach_mode", a.attachMode())
                .bind("connector", AttachmentRepository.toJson(a.connector()))
                .bind("connection_info", AttachmentRepository.toJson(a.connectionInfo()))
                .bind("attach_time", Rows.timestamp(a.attachTime())).bind("detach_time", Rows.timestamp(a.detachTime()))
                .bind("created_at", Rows.timestamp(a.createdAt())).bind("updated_at", Rows.timestamp(a.updatedAt()))
                .execute();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
