package dev.basalt.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import dev.basalt.api.ApiVersion;
import dev.basalt.api.Microversions;
import dev.basalt.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Every request schema of the API, read from {@code schemas/*.json} and compiled once. Where
 * Cinder's schema changes with the microversion, the later variants are derived from the base
 * the way Cinder derives them.
 */
public final class Schemas {
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;

    private final RequestSchema volumeCreate;
    private final RequestSchema workersCleanup;
    private final RequestSchema volumeCreate313;
    private final RequestSchema volumeCreate347;
    private final RequestSchema volumeCreate353;
    private final RequestSchema volumeUpdate;
    private final RequestSchema volumeUpdate353;
    private final RequestSchema metadataCreate;
    private final RequestSchema metadataUpdate;
    private final RequestSchema typeCreate;
    private final RequestSchema typeUpdate;
    private final RequestSchema extraSpecsCreate;
    private final RequestSchema encryptionCreate;
    private final RequestSchema encryptionUpdate;
    private final RequestSchema extraSpecsUpdate;
    private final RequestSchema groupTypeCreate;
    private final RequestSchema groupTypeUpdate;
    private final RequestSchema groupCreate;
    private final RequestSchema groupUpdate;
    private final RequestSchema groupDelete;
    private final RequestSchema groupResetStatus;
    private final RequestSchema groupCreateFromSource;
    private final RequestSchema groupSnapshotCreate;
    private final RequestSchema groupSnapshotResetStatus;
    private final RequestSchema groupSpecsCreate;
    private final RequestSchema groupSpecsUpdate;
    private final RequestSchema qosSpecsCreate;
    private final RequestSchema qosSpecsSet;
    private final RequestSchema qosSpecsUnset;
    private final RequestSchema transferCreate;
    private final RequestSchema transferCreateV355;
    private final RequestSchema transferAccept;
    private final RequestSchema defaultTypeSet;
    private final RequestSchema serviceEnable;
    private final RequestSchema serviceDisableLogReason;
    private final RequestSchema serviceSetLog;
    private final RequestSchema serviceGetLog;
    private final RequestSchema quotaSetUpdate;
    private final RequestSchema quotaClassSetUpdate;
    private final RequestSchema typeAccessAdd;
    private final RequestSchema typeAccessRemove;
    private final RequestSchema snapshotCreate;
    private final RequestSchema snapshotUpdate;
    private final RequestSchema snapshotMetadataCreate;
    private final RequestSchema snapshotMetadataUpdate;
    private final RequestSchema volumeExtend;
    private final RequestSchema volumeUploadImage;
    private final RequestSchema volumeUploadImage31;
    private final RequestSchema volumeSetBootable;
    private final RequestSchema volumeReadonly;
    private final RequestSchema volumeSetImageMetadata;
    private final RequestSchema volumeUnsetImageMetadata;
    private final RequestSchema volumeResetStatus;
    private final RequestSchema snapshotResetStatus;
    private final RequestSchema forceDelete;
    private final RequestSchema volumeRevert;
    private final RequestSchema volumeRetype;
    private final RequestSchema volumeMigrate;
    private final RequestSchema volumeMigrateCluster;
    private final RequestSchema volumeMigrateCompletion;
    private final RequestSchema volumeManage;
    private final RequestSchema volumeManage316;
    private final RequestSchema snapshotManage;
    private final RequestSchema snapshotUpdateStatus;
    private final RequestSchema volumeAttach;
    private final RequestSchema volumeDetach;
    private final RequestSchema initializeConnection;
    private final RequestSchema terminateConnection;
    private final RequestSchema forceDetach;
    private final RequestSchema attachmentCreate;
    private final RequestSchema attachmentCreate354;
    private final RequestSchema attachmentUpdate;
    private final RequestSchema attachmentComplete;
    private final RequestSchema backupCreate;
    private final RequestSchema backupCreate343;
    private final RequestSchema backupCreate351;
    private final RequestSchema backupUpdate;
    private final RequestSchema backupUpdate343;
    private final RequestSchema backupRestore;
    private final RequestSchema backupImport;
    private final RequestSchema backupResetStatus;

    public Schemas() {
        JsonMetaSchema meta = JsonMetaSchema.builder(JsonMetaSchema.getV4()).formats(CinderFormats.all()).build();
        this.factory = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4))
                .metaSchema(meta).defaultMetaSchemaIri(meta.getIri()).build();
        this.config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

        ObjectNode create = read("volume-create");
        volumeCreate = compile("volume-create", create);
        ObjectNode create313 = create.deepCopy();
        volumeProperties(create313).set("group_id", Json.mapper().createObjectNode()
                .<ObjectNode>set("type", Json.mapper().createArrayNode().add("string").add("null"))
                .put("minLength", 0).put("maxLength", 255));
        volumeCreate313 = compile("volume-create-3.13", create313);
        ObjectNode create347 = create313.deepCopy();
        volumeProperties(create347).set("backup_id", Json.mapper().createObjectNode()
                .<ObjectNode>set("type", Json.mapper().createArrayNode().add("string").add("null"))
                .put("format", "cinder-uuid"));
        volumeCreate347 = compile("volume-create-3.47", create347);
        ObjectNode create353 = create347.deepCopy();
        volume(create353).put("additionalProperties", false);
        volumeCreate353 = compile("volume-create-3.53", create353);

        ObjectNode update = read("volume-update");
        volumeUpdate = compile("volume-update", update);
        ObjectNode update353 = update.deepCopy();
        volume(update353).put("minProperties", 1);
        volumeUpdate353 = compile("volume-update-3.53", update353);

        metadataCreate = load("volume-metadata-create");
        metadataUpdate = load("volume-metadata-update");
        typeCreate = load("type-create");
        typeUpdate = load("type-update");
        extraSpecsCreate = load("extra-specs-create");
        encryptionCreate = load("encryption-create");
        encryptionUpdate = load("encryption-update");
        extraSpecsUpdate = load("extra-specs-update");
        groupTypeCreate = load("group-type-create");
        groupTypeUpdate = load("group-type-update");
        groupCreate = load("group-create");
        groupUpdate = load("group-update");
        groupDelete = load("group-delete");
        groupResetStatus = load("group-reset-status");
        groupCreateFromSource = load("group-create-from-src");
        groupSnapshotCreate = load("group-snapshot-create");
        groupSnapshotResetStatus = load("group-snapshot-reset-status");
        groupSpecsCreate = load("group-specs-create");
        groupSpecsUpdate = load("group-specs-update");
        qosSpecsCreate = load("qos-specs-create");
        qosSpecsSet = load("qos-specs-set");
        qosSpecsUnset = load("qos-specs-unset");
        transferCreate = load("transfer-create");
        transferCreateV355 = load("transfer-create-v355");
        transferAccept = load("transfer-accept");
        defaultTypeSet = load("default-type-set");
        serviceEnable = load("service-enable");
        serviceDisableLogReason = load("service-disable-log-reason");
        serviceSetLog = load("service-set-log");
        serviceGetLog = load("service-get-log");
        quotaSetUpdate = load("quota-set-update");
        quotaClassSetUpdate = load("quota-class-set-update");
        typeAccessAdd = load("type-access-add");
        typeAccessRemove = load("type-access-remove");
        snapshotCreate = load("snapshot-create");
        snapshotUpdate = load("snapshot-update");
        snapshotMetadataCreate = load("snapshot-metadata-create");
        snapshotMetadataUpdate = load("snapshot-metadata-update");
        volumeExtend = load("volume-extend");
        volumeUploadImage = load("volume-upload-image");
        volumeUploadImage31 = load("volume-upload-image-3.1");
        volumeSetBootable = load("volume-set-bootable");
        volumeReadonly = load("volume-readonly");
        volumeSetImageMetadata = load("volume-set-image-metadata");
        volumeUnsetImageMetadata = load("volume-unset-image-metadata");
        volumeResetStatus = load("volume-reset-status");
        snapshotResetStatus = load("snapshot-reset-status");
        forceDelete = load("force-delete");
        volumeRevert = load("volume-revert");
        volumeRetype = load("volume-retype");
        volumeMigrate = load("volume-migrate");
        volumeMigrateCluster = load("volume-migrate-cluster");
        volumeMigrateCompletion = load("volume-migrate-completion");
        volumeManage = load("volume-manage");
        volumeManage316 = load("volume-manage-3.16");
        snapshotManage = load("snapshot-manage");
        snapshotUpdateStatus = load("snapshot-update-status");
        volumeAttach = load("volume-attach");
        volumeDetach = load("volume-detach");
        initializeConnection = load("volume-initialize-connection");
        terminateConnection = load("volume-terminate-connection");
        forceDetach = load("volume-force-detach");
        ObjectNode attachment = read("attachment-create");
        attachmentCreate = compile("attachment-create", attachment);
        ObjectNode attachment354 = attachment.deepCopy();
        ((ObjectNode) attachment354.get("properties").get("attachment").get("properties")).set("mode",
                Json.mapper().createObjectNode().put("type", "string")
                        .set("enum", Json.mapper().createArrayNode().add("rw").add("ro")));
        attachmentCreate354 = compile("attachment-create-3.54", attachment354);
        attachmentUpdate = load("attachment-update");
        attachmentComplete = load("attachment-complete");
        workersCleanup = load("workers-cleanup");

        ObjectNode backup = read("backup-create");
        backupCreate = compile("backup-create", backup);
        ObjectNode backup343 = backup.deepCopy();
        backupProperties(backup343).set("metadata", metadata(true));
        backupCreate343 = compile("backup-create-3.43", backup343);
        ObjectNode backup351 = backup343.deepCopy();
        backupProperties(backup351).set("availability_zone", Json.mapper().createObjectNode()
                .<ObjectNode>set("type", Json.mapper().createArrayNode().add("string").add("null"))
                .put("minLength", 0).put("maxLength", 255));
        backupCreate351 = compile("backup-create-3.51", backup351);
        ObjectNode backupUpdateBase = read("backup-update");
        backupUpdate = compile("backup-update", backupUpdateBase);
        ObjectNode backupUpdateMetadata = backupUpdateBase.deepCopy();
        backupProperties(backupUpdateMetadata).set("metadata", metadata(false));
        backupUpdate343 = compile("backup-update-3.43", backupUpdateMetadata);
        backupRestore = load("backup-restore");
        backupImport = load("backup-import");
        backupResetStatus = load("backup-reset-status");
    }

    /** A backup create body: metadata from 3.43, availability_zone from 3.51 (Cinder's schemas/backups.py). */
    public RequestSchema backupCreate(ApiVersion v) {
        if (v.atLeast(Microversions.BACKUP_AZ)) {
            return backupCreate351;
        }
        return v.atLeast(Microversions.BACKUP_METADATA) ? backupCreate343 : backupCreate;
    }

    /** A backup update body (from 3.9): name and description, metadata from 3.43. */
    public RequestSchema backupUpdate(ApiVersion v) {
        return v.atLeast(Microversions.BACKUP_METADATA) ? backupUpdate343 : backupUpdate;
    }

    /** A backup restore body: an optional volume_id and name. */
    public RequestSchema backupRestore() {
        return backupRestore;
    }

    /** A backup import_record body: backup_service and backup_url. */
    public RequestSchema backupImport() {
        return backupImport;
    }

    /** A backup's os-reset_status body: available or error. */
    public RequestSchema backupResetStatus() {
        return backupResetStatus;
    }

    public RequestSchema volumeCreate(ApiVersion v) {
        if (v.atLeast(Microversions.SUPPORT_VOLUME_SCHEMA_CHANGES)) {
            return volumeCreate353;
        }
        if (v.atLeast(Microversions.VOLUME_CREATE_FROM_BACKUP)) {
            return volumeCreate347;
        }
        return v.atLeast(Microversions.GROUP_VOLUME) ? volumeCreate313 : volumeCreate;
    }

    public RequestSchema volumeUpdate(ApiVersion v) {
        return v.atLeast(Microversions.SUPPORT_VOLUME_SCHEMA_CHANGES) ? volumeUpdate353 : volumeUpdate;
    }

    public RequestSchema metadataCreate() {
        return metadataCreate;
    }

    public RequestSchema metadataUpdate() {
        return metadataUpdate;
    }

    public RequestSchema typeCreate() {
        return typeCreate;
    }

    public RequestSchema typeUpdate() {
        return typeUpdate;
    }

    /** A volume type's encryption: provider and control_location required. */
    public RequestSchema encryptionCreate() {
        return encryptionCreate;
    }

    /** Changes to a volume type's encryption: any of its fields. */
    public RequestSchema encryptionUpdate() {
        return encryptionUpdate;
    }

    public RequestSchema extraSpecsCreate() {
        return extraSpecsCreate;
    }

    public RequestSchema extraSpecsUpdate() {
        return extraSpecsUpdate;
    }

    /** A group type create body: name, description, is_public, group_specs (Cinder's schemas/group_types.py). */
    public RequestSchema groupTypeCreate() {
        return groupTypeCreate;
    }

    /** A group type update body: name (may be empty), description, is_public. */
    public RequestSchema groupTypeUpdate() {
        return groupTypeUpdate;
    }

    /** A {@code POST /groups} body (Cinder's groups create schema). */
    public RequestSchema groupCreate() {
        return groupCreate;
    }

    /** A {@code PUT /groups/{id}} body. */
    public RequestSchema groupUpdate() {
        return groupUpdate;
    }

    /** The {@code delete} group action. */
    public RequestSchema groupDelete() {
        return groupDelete;
    }

    /** The {@code reset_status} group action (3.20). */
    public RequestSchema groupResetStatus() {
        return groupResetStatus;
    }

    /** The {@code create-from-src} group action (3.14): a group snapshot's or a source group's id. */
    public RequestSchema groupCreateFromSource() {
        return groupCreateFromSource;
    }

    /** {@code {"group_snapshot": {"group_id", "name", "description"}}} (3.14). */
    public RequestSchema groupSnapshotCreate() {
        return groupSnapshotCreate;
    }

    /** The {@code reset_status} group snapshot action (3.19). */
    public RequestSchema groupSnapshotResetStatus() {
        return groupSnapshotResetStatus;
    }

    /** {@code {"group_specs": {...}}}: keys without spaces, values a string or null (Cinder's schemas/group_specs.py). */
    public RequestSchema groupSpecsCreate() {
        return groupSpecsCreate;
    }

    /** One group spec, {@code {"key": "value"}}. */
    public RequestSchema groupSpecsUpdate() {
        return groupSpecsUpdate;
    }

    public RequestSchema qosSpecsCreate() {
        return qosSpecsCreate;
    }

    public RequestSchema qosSpecsSet() {
        return qosSpecsSet;
    }

    public RequestSchema qosSpecsUnset() {
        return qosSpecsUnset;
    }

    public RequestSchema defaultTypeSet() {
        return defaultTypeSet;
    }

    public RequestSchema serviceEnable() {
        return serviceEnable;
    }

    public RequestSchema serviceDisableLogReason() {
        return serviceDisableLogReason;
    }

    public RequestSchema serviceSetLog() {
        return serviceSetLog;
    }

    public RequestSchema serviceGetLog() {
        return serviceGetLog;
    }

    public RequestSchema quotaSetUpdate() {
        return quotaSetUpdate;
    }

    public RequestSchema quotaClassSetUpdate() {
        return quotaClassSetUpdate;
    }

    public RequestSchema typeAccessAdd() {
        return typeAccessAdd;
    }

    public RequestSchema typeAccessRemove() {
        return typeAccessRemove;
    }

    public RequestSchema snapshotCreate() {
        return snapshotCreate;
    }

    public RequestSchema snapshotUpdate() {
        return snapshotUpdate;
    }

    /** Snapshot metadata create and replace-all ({@code {"metadata": {...}}}). */
    public RequestSchema snapshotMetadataCreate() {
        return snapshotMetadataCreate;
    }

    public RequestSchema snapshotMetadataUpdate() {
        return snapshotMetadataUpdate;
    }

    public RequestSchema volumeExtend() {
        return volumeExtend;
    }

    /** {@code os-volume_upload_image} before 3.1 (no visibility, no protected). */
    public RequestSchema volumeUploadImage() {
        return volumeUploadImage;
    }

    /** {@code os-volume_upload_image} from 3.1: also {@code visibility} and {@code protected}. */
    public RequestSchema volumeUploadImage31() {
        return volumeUploadImage31;
    }

    public RequestSchema volumeSetBootable() {
        return volumeSetBootable;
    }

    public RequestSchema volumeReadonly() {
        return volumeReadonly;
    }

    /** {@code os-set_image_metadata}: keys and values as Cinder's extra specs. */
    public RequestSchema volumeSetImageMetadata() {
        return volumeSetImageMetadata;
    }

    /** {@code os-unset_image_metadata}: one key. */
    public RequestSchema volumeUnsetImageMetadata() {
        return volumeUnsetImageMetadata;
    }

    public RequestSchema volumeResetStatus() {
        return volumeResetStatus;
    }

    public RequestSchema snapshotResetStatus() {
        return snapshotResetStatus;
    }

    /** {@code os-force_delete} of a volume or a snapshot. */
    public RequestSchema forceDelete() {
        return forceDelete;
    }

    /** A manage request's body: before 3.16 without {@code cluster}. */
    public RequestSchema volumeManage(boolean withCluster) {
        return withCluster ? volumeManage316 : volumeManage;
    }

    public RequestSchema snapshotManage() {
        return snapshotManage;
    }

    public RequestSchema volumeRevert() {
        return volumeRevert;
    }

    public RequestSchema volumeRetype() {
        return volumeRetype;
    }

    public RequestSchema volumeMigrate() {
        return volumeMigrate;
    }

    /** {@code os-migrate_volume} from 3.16: {@code host} or {@code cluster}. */
    public RequestSchema volumeMigrateCluster() {
        return volumeMigrateCluster;
    }

    public RequestSchema volumeMigrateCompletion() {
        return volumeMigrateCompletion;
    }

    public RequestSchema snapshotUpdateStatus() {
        return snapshotUpdateStatus;
    }

    public RequestSchema volumeAttach() {
        return volumeAttach;
    }

    public RequestSchema volumeDetach() {
        return volumeDetach;
    }

    public RequestSchema initializeConnection() {
        return initializeConnection;
    }

    public RequestSchema terminateConnection() {
        return terminateConnection;
    }

    /** {@code os-force_detach}: an optional connector and attachment id. */
    public RequestSchema forceDetach() {
        return forceDetach;
    }

    /** An attachment create body; {@code mode} is allowed from 3.54. */
    public RequestSchema attachmentCreate(ApiVersion v) {
        return v.atLeast(Microversions.ATTACHMENT_CREATE_MODE_ARG) ? attachmentCreate354 : attachmentCreate;
    }

    public RequestSchema attachmentUpdate() {
        return attachmentUpdate;
    }

    public RequestSchema attachmentComplete() {
        return attachmentComplete;
    }

    /** A {@code POST /workers/cleanup} body (Cinder's workers cleanup schema). */
    public RequestSchema workersCleanup() {
        return workersCleanup;
    }

    private RequestSchema load(String name) {
        return compile(name, read(name));
    }

    private RequestSchema compile(String name, JsonNode schema) {
        return new RequestSchema(name, factory.getSchema(schema, config));
    }

    private static ObjectNode volume(ObjectNode schema) {
        return (ObjectNode) schema.get("properties").get("volume");
    }

    private static ObjectNode volumeProperties(ObjectNode schema) {
        return (ObjectNode) volume(schema).get("properties");
    }

    private static ObjectNode backupProperties(ObjectNode schema) {
        return (ObjectNode) schema.get("properties").get("backup").get("properties");
    }

    /** Cinder's metadata (extra_specs) schema: string keys and values up to 255 characters; nullable or not. */
    private static ObjectNode metadata(boolean nullable) {
        ObjectNode metadata = Json.mapper().createObjectNode();
        if (nullable) {
            metadata.set("type", Json.mapper().createArrayNode().add("object").add("null"));
        } else {
            metadata.put("type", "object");
        }
        metadata.putObject("patternProperties").putObject("^[a-zA-Z0-9-_:. /]{1,255}$")
                .put("type", "string").put("maxLength", 255);
        metadata.put("additionalProperties", false);
        return metadata;
    }

    private static ObjectNode read(String name) {
        String path = "/dev/basalt/api/schemas/" + name + ".json";
        try (InputStream in = Schemas.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + path);
            }
            return (ObjectNode) Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + path, e);
        }
    }

    /** A transfer create before 3.55 (and at {@code /os-volume-transfer}): volume and name. */
    public RequestSchema transferCreate() {
        return transferCreate;
    }

    /** A transfer create at {@code /volume-transfers} from 3.55: also {@code no_snapshots}. */
    public RequestSchema transferCreateV355() {
        return transferCreateV355;
    }

    public RequestSchema transferAccept() {
        return transferAccept;
    }
}
