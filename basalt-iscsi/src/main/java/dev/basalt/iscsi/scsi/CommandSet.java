package dev.basalt.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Decodes a CDB and runs the command against a logical unit: the SCSI half of the target, which
 * knows nothing of iSCSI. Errors in the CDB, the range or the parameter data become CHECK
 * CONDITION with the matching sense; I/O errors propagate to the transport.
 */
public final class CommandSet {
    static final int TEST_UNIT_READY = 0x00;
    static final int REQUEST_SENSE = 0x03;
    static final int READ_6 = 0x08;
    static final int WRITE_6 = 0x0a;
    static final int INQUIRY = 0x12;
    static final int MODE_SENSE_6 = 0x1a;
    static final int START_STOP_UNIT = 0x1b;
    static final int PREVENT_ALLOW_MEDIUM_REMOVAL = 0x1e;
    static final int READ_CAPACITY_10 = 0x25;
    static final int READ_10 = 0x28;
    static final int WRITE_10 = 0x2a;
    static final int WRITE_AND_VERIFY_10 = 0x2e;
    static final int VERIFY_10 = 0x2f;
    static final int PRE_FETCH_10 = 0x34;
    static final int SYNCHRONIZE_CACHE_10 = 0x35;
    static final int WRITE_SAME_10 = 0x41;
    static final int UNMAP = 0x42;
    static final int MODE_SENSE_10 = 0x5a;
    static final int READ_16 = 0x88;
    static final int WRITE_16 = 0x8a;
    static final int WRITE_AND_VERIFY_16 = 0x8e;
    static final int VERIFY_16 = 0x8f;
    static final int PRE_FETCH_16 = 0x90;
    static final int SYNCHRONIZE_CACHE_16 = 0x91;
    static final int WRITE_SAME_16 = 0x93;
    static final int SERVICE_ACTION_IN_16 = 0x9e;
    static final int REPORT_LUNS = 0xa0;
    static final int READ_12 = 0xa8;
    static final int WRITE_12 = 0xaa;
    static final int WRITE_AND_VERIFY_12 = 0xae;
    static final int VERIFY_12 = 0xaf;

    static final int SA_READ_CAPACITY_16 = 0x10;
    static final int SA_GET_LBA_STATUS = 0x12;

    /** Whether the command only reads or only writes blocks (READ and WRITE of any CDB length). */
    public static boolean transfersBlocks(int opcode) {
        return switch (opcode) {
            case READ_6, READ_10, READ_12, READ_16, WRITE_6, WRITE_10, WRITE_12, WRITE_16 -> true;
            default -> false;
        };
    }

    /**
     * Runs one command.
     *
     * @param table the units of the target the command was sent to
     * @throws IOException when the backing file fails; the transport reports it as a medium error
     */
    public Outcome execute(LunTable table, ScsiRequest request) throws IOException {
        try {
            return dispatch(table, request);
        } catch (ScsiException e) {
            return Outcome.Done.checkCondition(e.sense());
        }
    }

    private Outcome dispatch(LunTable table, ScsiRequest request) throws IOException, ScsiException {
        ByteBuffer cdb = request.cdb();
        int opcode = request.opcode();
        LogicalUnit unit = table.unit(request.lun());
        switch (opcode) {
            case INQUIRY:
                return Inquiry.execute(table, unit, cdb);
            case REPORT_LUNS:
                return DeviceCommands.reportLuns(table, cdb);
            case REQUEST_SENSE:
                return DeviceCommands.requestSense(unit, cdb);
            default:
                break;
        }
        if (unit == null) {
            throw new ScsiException(Sense.logicalUnitNotSupported());
        }
        return switch (opcode) {
            case TEST_UNIT_READY, START_STOP_UNIT, PREVENT_ALLOW_MEDIUM_REMOVAL -> Outcome.Done.good();
            case READ_CAPACITY_10 -> DeviceCommands.readCapacity10(unit, cdb);
            case SERVICE_ACTION_IN_16 -> switch (cdb.get(1) & 0x1f) {
                case SA_READ_CAPACITY_16 -> DeviceCommands.readCapacity16(unit, cdb);
                case SA_GET_LBA_STATUS -> BlockCommands.getLbaStatus(unit, cdb);
                default -> throw new ScsiException(Sense.invalidFieldInCdb(1));
            };
            case MODE_SENSE_6 -> ModeSense.sense6(unit, cdb);
            case MODE_SENSE_10 -> ModeSense.sense10(unit, cdb);
            case READ_6, READ_10, READ_12, READ_16 -> BlockCommands.read(unit, cdb);
            case WRITE_6, WRITE_10, WRITE_12, WRITE_16, WRITE_AND_VERIFY_10, WRITE_AND_VERIFY_12, WRITE_AND_VERIFY_16 ->
                    BlockCommands.write(unit, request);
            case VERIFY_10, VERIFY_12, VERIFY_16 -> BlockCommands.verify(unit, cdb);
            case SYNCHRONIZE_CACHE_10, SYNCHRONIZE_CACHE_16 -> BlockCommands.synchronizeCache(unit, cdb);
            case PRE_FETCH_10, PRE_FETCH_16 -> BlockCommands.prefetch(unit, cdb);
            case WRITE_SAME_10, WRITE_SAME_16 -> BlockCommands.writeSame(unit, request);
            case UNMAP -> BlockCommands.unmap(unit, cdb);
            case SupportedOpcodes.MAINTENANCE_IN -> {
                if ((cdb.get(1) & 0x1f) != SupportedOpcodes.SA_REPORT_SUPPORTED_OPCODES) {
                    throw new ScsiException(Sense.invalidFieldInCdb(1));
                }
                yield SupportedOpcodes.execute(cdb);
            }
            default -> throw new ScsiException(Sense.invalidOpcode());
        };
    }
}
