package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.UserMessage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** User messages about asynchronous failures (Cinder's messages API). */
public final class MessageRepository {
    private static final String COLUMNS = "id, project_id, request_id, resource_type, resource_uuid, event_id,"
            + " message_level, action_id, detail_id, detail, created_at, expires_at";

    private final Jdbi jdbi;

    public MessageRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    public void create(UserMessage m) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO messages (" + COLUMNS + ") VALUES (:id, :project, :request,"
                        + " :rtype, :ruuid, :event, :level, :action, :detail_id, :detail, :created, :expires)")
                .bind("id", m.id()).bind("project", m.projectId()).bind("request", m.requestId())
                .bind("rtype", m.resourceType()).bind("ruuid", m.resourceUuid()).bind("event", m.eventId())
                .bind("level", m.messageLevel()).bind("action", m.actionId()).bind("detail_id", m.detailId())
                .bind("detail", m.detail()).bind("created", Rows.timestamp(m.createdAt()))
                .bind("expires", Rows.timestamp(m.expiresAt()))
                .execute());
    }

    public Optional<UserMessage> find(String id, String projectId) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + COLUMNS + " FROM messages WHERE id = :id"
                    + (projectId == null ? "" : " AND project_id = :project")).bind("id", id);
            if (projectId != null) {
                q.bind("project", projectId);
            }
            return q.map((rs, ctx) -> row(rs)).findOne();
        });
    }

    /** A project's messages (all projects when null), newest first. */
    public List<UserMessage> list(String projectId) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + COLUMNS + " FROM messages"
                    + (projectId == null ? "" : " WHERE project_id = :project") + " ORDER BY created_at DESC, id");
            if (projectId != null) {
                q.bind("project", projectId);
            }
            return q.map((rs, ctx) -> row(rs)).list();
        });
    }

    public List<UserMessage> forResource(String resourceUuid) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM messages WHERE resource_uuid = :r"
                        + " ORDER BY created_at DESC, id")
                .bind("r", resourceUuid).map((rs, ctx) -> row(rs)).list());
    }

    public boolean delete(String id, String projectId) {
        return jdbi.withHandle(h -> {
            var u = h.createUpdate("DELETE FROM messages WHERE id = :id"
                    + (projectId == null ? "" : " AND project_id = :project")).bind("id", id);
            if (projectId != null) {
                u.bind("project", projectId);
            }
            return u.execute() == 1;
        });
    }

    /** Removes messages past their expiry; returns how many. */
    public int deleteExpired(Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM messages WHERE expires_at < :now")
                .bind("now", Rows.timestamp(now)).execute());
    }

    private static UserMessage row(ResultSet rs) throws SQLException {
        return new UserMessage(rs.getString("id"), rs.getString("project_id"), rs.getString("request_id"),
                rs.getString("resource_type"), rs.getString("resource_uuid"), rs.getString("event_id"),
                rs.getString("message_level"), rs.getString("action_id"), rs.getString("detail_id"),
                rs.getString("detail"), Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"));
    }
}
