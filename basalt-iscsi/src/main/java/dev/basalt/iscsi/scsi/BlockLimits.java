package dev.basalt.iscsi.scsi;

/** Limits reported in the Block Limits VPD page and enforced on commands. */
final class BlockLimits {
    /** 64 MiB: more than any initiator asks for in one command; commands up to EDTL's 4 GiB stream anyway. */
    static final long MAX_TRANSFER_BLOCKS = 131072;
    /** 1 MiB. */
    static final long OPTIMAL_TRANSFER_BLOCKS = 2048;
    /** 4 KiB: the file system's block, below which nothing is saved by splitting. */
    static final int TRANSFER_GRANULARITY_BLOCKS = 8;
    /** 512 MiB per UNMAP command (and per WRITE SAME): punching is cheap, zeroing where it cannot is not. */
    static final long MAX_UNMAP_BLOCKS = 1024 * 1024;
    static final int MAX_UNMAP_DESCRIPTORS = 256;
    static final int UNMAP_GRANULARITY_BLOCKS = 8;
    static final long MAX_WRITE_SAME_BLOCKS = 1024 * 1024;
    /**
     * Logical blocks per physical block exponent: 0, physical blocks of 512 bytes, as QEMU's and
     * tgt's virtual disks report. (The 4 KiB preference is given by the optimal transfer length
     * granularity instead. libiscsi 1.19's conformance suite also leaves a PDU-rewriting hook
     * installed after its COMPARE AND WRITE data-out-size test, which runs only when this is above
     * 0, corrupting every later CDB of an {@code -t ALL} run.)
     */
    static final int PHYSICAL_BLOCK_EXPONENT = 0;

    private BlockLimits() {
    }
}
