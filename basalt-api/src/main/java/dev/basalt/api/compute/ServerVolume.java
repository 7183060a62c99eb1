package dev.basalt.api.compute;

/** What the compute service says about one volume of one instance. */
public sealed interface ServerVolume permits ServerVolume.Attached, ServerVolume.NotAttached,
        ServerVolume.NoComputeService {

    /**
     * The instance has the volume, through {@code attachmentId} (null when the compute service
     * names none, as for attachments of the legacy attach flow).
     */
    record Attached(String attachmentId) implements ServerVolume {
    }

    /** The instance does not have the volume, or there is no such instance. */
    record NotAttached() implements ServerVolume {
    }

    /** The catalog lists no compute service: nobody can be asked. */
    record NoComputeService() implements ServerVolume {
    }
}
