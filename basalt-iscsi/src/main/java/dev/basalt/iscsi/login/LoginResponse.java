package dev.basalt.iscsi.login;

import java.util.Map;

/**
 * What to answer a Login Request: status, the stage transition and the text keys.
 *
 * @param complete true when this response ends login successfully (T=1, NSG=full feature)
 */
public record LoginResponse(int status, boolean transit, int currentStage, int nextStage,
                            Map<String, String> keys, boolean complete) {
}
