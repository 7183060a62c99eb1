package dev.basalt.volume.target;

import static java.util.Objects.requireNonNull;

import dev.basalt.iscsi.ConnectionInfo;
import dev.basalt.iscsi.Export;
import dev.basalt.iscsi.IscsiTarget;
import dev.basalt.iscsi.Iqn;
import dev.basalt.iscsi.Lun;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Basalt's own iSCSI target ({@code target_helper = builtin}): each volume is LUN 0 of its own
 * export on an {@link IscsiTarget} in this process, served from its file or through its driver's
 * block device ({@link ExportSource}). Several backends listening on the same address
 * share one {@link IscsiTarget}, which the caller owns and starts; this class only adds and removes
 * its own exports.
 */
public final class BuiltinTarget implements VolumeTarget {
    public static final String NAME = "builtin";
    static final int LUN = 0;

    private final IscsiTarget target;
    private final Set<String> mine = ConcurrentHashMap.newKeySet();

    public BuiltinTarget(IscsiTarget target) {
        this.target = requireNonNull(target, "target");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enforcesLimits() {
        return true;
    }

    @Override
    public void start() {
        if (!target.running()) {
            throw new TargetException("the builtin iSCSI target on " + target.config().host() + ":"
                    + target.config().port() + " is not running");
        }
    }

    @Override
    public synchronized ConnectionInfo createExport(ExportRequest request) {
        if (target.export(request.iqn()).isEmpty()) {
            Lun lun = new Lun(LUN, request.source().opener(), request.readOnly(), request.serial(), request.limits());
            Export export = Export.of(request.iqn(), List.of(lun))
                    .withChap(request.chap().user(), request.chap().secret());
            try {
                target.addExport(export);
            } catch (IOException e) {
                throw new TargetException("cannot export " + request.source().describe() + " as " + request.iqn() + ": "
                        + e.getMessage(), e);
            }
        }
        mine.add(request.iqn());
        return target.connectionInfo(request.iqn(), LUN);
    }

    @Override
    public synchronized void removeExport(String iqn) {
        target.removeExport(iqn);
        mine.remove(Iqn.normalize(iqn));
    }

    @Override
    public boolean hasExport(String iqn) {
        return target.export(iqn).isPresent();
    }

    @Override
    public synchronized void close() {
        for (String iqn : List.copyOf(mine)) {
            removeExport(iqn);
        }
    }
}
