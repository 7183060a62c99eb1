package dev.basalt.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * REPORT SUPPORTED OPERATION CODES (SPC-4 section 6.35): every command this target runs, with the
 * bits of its CDB the target looks at (the CDB usage data). Linux reads it to learn which WRITE
 * SAME variants a disk takes.
 */
final class SupportedOpcodes {
    static final int MAINTENANCE_IN = 0xa3;
    static final int SA_REPORT_SUPPORTED_OPCODES = 0x0c;

    /** One command: opcode, service action (or -1) and CDB usage data (its length is the CDB length). */
    record Command(int opcode, int serviceAction, byte[] usage) {
        boolean hasServiceAction() {
            return serviceAction >= 0;
        }
    }

    private static final int[] LBA4 = {0xff, 0xff, 0xff, 0xff};
    private static final int[] LBA8 = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

    static final List<Command> COMMANDS = List.of(
            command(0x00, -1, 0x00, 0, 0, 0, 0, 0x07),
            command(0x03, -1, 0x03, 0x01, 0, 0, 0xff, 0x07),
            command(0x08, -1, 0x08, 0x1f, 0xff, 0xff, 0xff, 0x07),
            command(0x0a, -1, 0x0a, 0x1f, 0xff, 0xff, 0xff, 0x07),
            command(0x12, -1, 0x12, 0x01, 0xff, 0xff, 0xff, 0x07),
            command(0x1a, -1, 0x1a, 0x08, 0xff, 0xff, 0xff, 0x07),
            command(0x1b, -1, 0x1b, 0x01, 0, 0x0f, 0xf7, 0x07),
            command(0x1e, -1, 0x1e, 0, 0, 0, 0x03, 0x07),
            command(0x25, -1, cat(new int[] {0x25, 0}, LBA4, new int[] {0, 0, 0x01, 0x07})),
            rw10(0x28, 0xfe),
            rw10(0x2a, 0xfa),
            rw10(0x2e, 0xf6),
            rw10(0x2f, 0xf6),
            rw10(0x34, 0x02),
            rw10(0x35, 0x06),
            rw10(0x41, 0xff),
            command(0x42, -1, 0x42, 0x01, 0, 0, 0, 0, 0x1f, 0xff, 0xff, 0x07),
            command(0x5a, -1, 0x5a, 0x18, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, 0x07),
            rw16(0x88, 0xfe),
            rw16(0x8a, 0xfa),
            rw16(0x8e, 0xf6),
            rw16(0x8f, 0xf6),
            rw16(0x90, 0x02),
            rw16(0x91, 0x06),
            rw16(0x93, 0xff),
            command(0x9e, CommandSet.SA_READ_CAPACITY_16,
                    cat(new int[] {0x9e, 0x1f}, new int[8], LBA4, new int[] {0x01, 0x07})),
            command(0x9e, CommandSet.SA_GET_LBA_STATUS, cat(new int[] {0x9e, 0x1f}, LBA8, LBA4, new int[] {0, 0x07})),
            command(0xa0, -1, 0xa0, 0, 0xff, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0x07),
            command(MAINTENANCE_IN, SA_REPORT_SUPPORTED_OPCODES, 0xa3, 0x1f, 0x87, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x07),
            rw12(0xa8, 0xfe),
            rw12(0xaa, 0xfa),
            rw12(0xae, 0xf6),
            rw12(0xaf, 0xf6));

    private SupportedOpcodes() {
    }

    private static Command rw10(int opcode, int flags) {
        return command(opcode, -1, cat(new int[] {opcode, flags}, LBA4, new int[] {0x1f, 0xff, 0xff, 0x07}));
    }

    private static Command rw12(int opcode, int flags) {
        return command(opcode, -1, cat(new int[] {opcode, flags}, LBA4, LBA4, new int[] {0x1f, 0x07}));
    }

    private static Command rw16(int opcode, int flags) {
        return command(opcode, -1, cat(new int[] {opcode, flags}, LBA8, LBA4, new int[] {0x1f, 0x07}));
    }

    private static Command command(int opcode, int serviceAction, int... usage) {
        byte[] b = new byte[usage.length];
        for (int i = 0; i < usage.length; i++) {
            b[i] = (byte) usage[i];
        }
        return new Command(opcode, serviceAction, b);
    }

    private static int[] cat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] all = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    static Outcome execute(ByteBuffer cdb) throws ScsiException {
        boolean timeouts = (cdb.get(2) & 0x80) != 0;
        int options = cdb.get(2) & 0x07;
        int opcode = Cdb.u8(cdb, 3);
        int serviceAction = Cdb.u16(cdb, 4);
        long allocation = Cdb.u32(cdb, 6);
        Cdb.requireClear(cdb, 2, 0x78);
        return switch (options) {
            case 0 -> Outcome.Done.good(all(timeouts), allocation);
            case 1, 2, 3 -> Outcome.Done.good(one(options, opcode, serviceAction, timeouts), allocation);
            default -> throw new ScsiException(Sense.invalidFieldInCdb(2));
        };
    }

    private static byte[] all(boolean timeouts) {
        int each = 8 + (timeouts ? 12 : 0);
        ByteBuffer b = ByteBuffer.allocate(4 + COMMANDS.size() * each);
        b.putInt(COMMANDS.size() * each);
        for (Command c : COMMANDS) {
            b.put((byte) c.opcode()).put((byte) 0).putShort((short) Math.max(0, c.serviceAction())).put((byte) 0);
            b.put((byte) ((timeouts ? 0x02 : 0) | (c.hasServiceAction() ? 0x01 : 0)));
            b.putShort((short) c.usage().length);
            if (timeouts) {
                timeoutsDescriptor(b);
            }
        }
        return b.array();
    }

    private static byte[] one(int options, int opcode, int serviceAction, boolean timeouts) throws ScsiException {
        boolean takesServiceAction = COMMANDS.stream().anyMatch(c -> c.opcode() == opcode && c.hasServiceAction());
        if (options == 1 && takesServiceAction) {
            throw new ScsiException(Sense.invalidFieldInCdb(3));       // the opcode needs a service action
        }
        if (options == 2 && !takesServiceAction && COMMANDS.stream().anyMatch(c -> c.opcode() == opcode)) {
            throw new ScsiException(Sense.invalidFieldInCdb(3));       // the opcode has none
        }
        boolean bySa = options == 2 || (options == 3 && takesServiceAction);
        Command found = COMMANDS.stream()
                .filter(c -> c.opcode() == opcode && (!bySa || c.serviceAction() == serviceAction))
                .findFirst().orElse(null);
        if (found == null) {
            byte[] none = new byte[4];
            none[1] = 0x01;                                             // not supported
            return none;
        }
        ByteBuffer b = ByteBuffer.allocate(4 + found.usage().length + (timeouts ? 12 : 0));
        b.put((byte) 0).put((byte) ((timeouts ? 0x80 : 0) | 0x03));  // supported as the standard says
        b.putShort((short) found.usage().length).put(found.usage());
        if (timeouts) {
            timeoutsDescriptor(b);
        }
        return b.array();
    }

    /** Timeouts left unspecified (zero): commands take as long as the backing file does. */
    private static void timeoutsDescriptor(ByteBuffer b) {
        b.putShort((short) 0x0a).put((byte) 0).put((byte) 0).putInt(0).putInt(0);
    }
}
