package dev.basalt.iscsi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves raw files from the command line, for trying initiators by hand and for benchmarks:
 * {@code RunTarget [--port N] [--chap user secret] [--mutual user secret] [--ro] [--limited-iops N] iqn file...}
 * (LUN numbers follow the order of the files; {@code --limited-iops} adds one more LUN on the first
 * file, limited to N operations a second). Stops on Ctrl-C.
 */
public final class RunTarget {
    private RunTarget() {
    }

    public static void main(String[] args) throws Exception {
        int port = TargetConfig.DEFAULT_PORT;
        String[] chap = null;
        String[] mutual = null;
        boolean readOnly = false;
        long limitedIops = 0;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--chap" -> chap = new String[] {args[++i], args[++i]};
                case "--mutual" -> mutual = new String[] {args[++i], args[++i]};
                case "--ro" -> readOnly = true;
                case "--limited-iops" -> limitedIops = Long.parseLong(args[++i]);
                default -> rest.add(args[i]);
            }
        }
        if (rest.size() < 2) {
            System.err.println("usage: RunTarget [--port N] [--chap user secret] [--mutual user secret] [--ro]"
                    + " [--limited-iops N] iqn file...");
            System.exit(2);
        }
        List<Lun> luns = new ArrayList<>();
        for (int i = 1; i < rest.size(); i++) {
            Path file = Path.of(rest.get(i));
            luns.add(new Lun(i - 1, file, readOnly, "basalt-" + file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_")));
        }
        if (limitedIops > 0) {
            // one more LUN on the first file, its reads and writes limited: the QoS code path
            Lun first = luns.getFirst();
            luns.add(new Lun(luns.size(), first.store(), readOnly, first.serial() + "-limited",
                    new IoLimits(limitedIops, 0, 0, 0, 0, 0)));
        }
        Export export = Export.of(rest.getFirst(), luns);
        if (chap != null) {
            export = export.withChap(chap[0], chap[1]);
        }
        if (mutual != null) {
            export = export.withMutualChap(mutual[0], mutual[1]);
        }
        IscsiTarget target = new IscsiTarget(TargetConfig.defaults().withAddress("127.0.0.1", port));
        target.start();
        target.addExport(export);
        System.out.println("serving " + target.connectionInfo(export.iqn(), 0).url());
        Runtime.getRuntime().addShutdownHook(new Thread(target::close));
        Thread.currentThread().join();
    }
}
