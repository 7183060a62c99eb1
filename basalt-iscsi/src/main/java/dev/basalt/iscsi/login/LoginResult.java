package dev.basalt.iscsi.login;

import dev.basalt.iscsi.Export;
import java.util.function.Predicate;

/**
 * A finished login.
 *
 * @param export the export of a normal session (null for discovery)
 * @param visible which exports a discovery session may list (SendTargets); judged when asked, so
 *     exports added or removed later are seen as they are
 */
public record LoginResult(boolean discovery, String initiatorName, long isid, Export export, Predicate<Export> visible,
                          OperationalParameters parameters) {
}
