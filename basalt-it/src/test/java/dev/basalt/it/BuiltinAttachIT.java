package dev.basalt.it;

import java.nio.file.Path;

/** Attach through Basalt's own iSCSI target ({@code target_helper = builtin}, the default). */
class BuiltinAttachIT extends AttachContract {
    @Override
    String startTarget(Path dir) {
        return "";
    }

    @Override
    String portal(BasaltProcess basalt) {
        return "127.0.0.1:" + basalt.targetPort();
    }
}
