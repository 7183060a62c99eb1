package dev.basalt.iscsi.login;

import dev.basalt.iscsi.Export;
import java.util.List;
import java.util.Optional;

/** The exports login may find: by name for a normal session, all of them for discovery. */
public interface TargetDirectory {

    Optional<Export> find(String targetName);

    List<Export> all();
}
