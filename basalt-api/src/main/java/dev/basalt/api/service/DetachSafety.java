package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.api.compute.ComputeService;
import dev.basalt.api.compute.ComputeUnavailableException;
import dev.basalt.api.compute.ServerVolume;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.VolumeAttachment;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a request may remove attachments (OSSA-2023-003): an attachment made for an instance
 * and connected to its host is removed only by the compute service, or when the compute service
 * says the instance no longer has the volume; otherwise the host would keep a connection to a
 * volume that turns {@code available} and may be attached elsewhere.
 *
 * <p>For each attachment that has an instance and is connected (or attached, in the legacy flow):
 * allowed when the request's {@code X-Service-Token} is valid and holds one of
 * {@code service_token_roles}; else the compute service in the caller's catalog is asked: the
 * instance does not have the volume, or has it through another attachment (this one is left
 * over) → allowed; it has it → 409 telling the caller to detach through the compute API. With no
 * compute service in the catalog the answer is the same 409, unless
 * {@code allow_attachment_delete_without_compute}. The compute service out of reach is a 503.
 * Attachments without an instance, and reserved ones never connected, are always allowed; so is
 * every removal where there are no service tokens ({@code auth_strategy = noauth}).
 */
public final class DetachSafety {
    private static final Logger LOG = LoggerFactory.getLogger(DetachSafety.class);

    private final boolean enabled;
    private final Function<String, Set<String>> serviceRoles;
    private final Set<String> trustedRoles;
    private final ComputeService compute;
    private final boolean allowWithoutCompute;

    /**
     * @param serviceRoles        the roles of a service token (empty when it is missing or invalid)
     * @param trustedRoles        {@code [keystone_authtoken] service_token_roles}
     * @param compute             the compute service, asked when no trusted service token came
     * @param allowWithoutCompute {@code [DEFAULT] allow_attachment_delete_without_compute}
     */
    public DetachSafety(Function<String, Set<String>> serviceRoles, Set<String> trustedRoles,
                        ComputeService compute, boolean allowWithoutCompute) {
        this.enabled = true;
        this.serviceRoles = requireNonNull(serviceRoles, "serviceRoles");
        this.trustedRoles = Set.copyOf(trustedRoles);
        this.compute = requireNonNull(compute, "compute");
        this.allowWithoutCompute = allowWithoutCompute;
    }

    private DetachSafety() {
        this.enabled = false;
        this.serviceRoles = token -> Set.of();
        this.trustedRoles = Set.of();
        this.compute = (token, server, volume) -> new ServerVolume.NoComputeService();
        this.allowWithoutCompute = true;
    }

    /** No check at all: where there are no service tokens ({@code auth_strategy = noauth}). */
    public static DetachSafety off() {
        return new DetachSafety();
    }

    /** Whether removing {@code attachment} needs the compute service's consent: it has an instance and a host has it. */
    static boolean guarded(VolumeAttachment attachment) {
        return attachment.instanceUuid() != null
                && (attachment.connected() || attachment.status() != AttachStatus.RESERVED);
    }

    /**
     * Refuses (409, or 503 when the compute service cannot be asked) unless the caller may remove
     * every one of {@code attachments} of volume {@code volumeId}.
     */
    public void check(RequestContext context, CallerTokens tokens, String volumeId,
                      Collection<VolumeAttachment> attachments) {
        if (!enabled) {
            return;
        }
        var guarded = attachments.stream().filter(DetachSafety::guarded).toList();
        if (guarded.isEmpty() || fromService(tokens)) {
            return;
        }
        for (VolumeAttachment attachment : guarded) {
            checkOne(context, tokens, volumeId, attachment);
        }
    }

    private boolean fromService(CallerTokens tokens) {
        if (tokens.serviceToken() == null || tokens.serviceToken().isBlank()) {
            return false;
        }
        return !Collections.disjoint(serviceRoles.apply(tokens.serviceToken()), trustedRoles);
    }

    private void checkOne(RequestContext context, CallerTokens tokens, String volumeId, VolumeAttachment attachment) {
        String server = attachment.instanceUuid();
        ServerVolume answer;
        try {
            answer = compute.serverVolume(tokens.authToken(), server, volumeId);
        } catch (ComputeUnavailableException e) {
            LOG.warn("{} cannot ask whether instance {} still has volume {}: {}", context.requestId(), server, volumeId,
                    e.getMessage());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "The compute service could not be asked whether"
                    + " instance " + server + " still uses volume " + volumeId + "; nothing was detached. Try again"
                    + " later, or detach the volume from the instance using the Compute API.");
        }
        switch (answer) {
            case ServerVolume.NotAttached notAttached -> LOG.info("{} instance {} no longer has volume {}: its"
                    + " attachment {} may go", context.requestId(), server, volumeId, attachment.id());
            case ServerVolume.Attached attached when attached.attachmentId() != null
                    && !attached.attachmentId().equals(attachment.id()) -> LOG.info("{} instance {} has volume {}"
                    + " through attachment {}: attachment {} is left over and may go", context.requestId(), server,
                    volumeId, attached.attachmentId(), attachment.id());
            case ServerVolume.Attached attached -> {
                LOG.warn("{} refused to remove attachment {}: instance {} still has volume {}", context.requestId(),
                        attachment.id(), server, volumeId);
                throw BasaltException.conflict("Detach volume from instance %s using the Compute API", server);
            }
            case ServerVolume.NoComputeService none -> {
                if (!allowWithoutCompute) {
                    LOG.warn("{} refused to remove attachment {} of instance {}: no service token, no compute"
                            + " service to ask", context.requestId(), attachment.id(), server);
                    throw BasaltException.conflict("Detach volume from instance %s using the Compute API. Only the"
                            + " compute service may remove an instance's attachment, and there is no compute service"
                            + " in the catalog to ask whether the instance still uses the volume.", server);
                }
            }
        }
    }
}
