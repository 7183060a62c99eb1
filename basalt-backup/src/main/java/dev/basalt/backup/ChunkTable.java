package dev.basalt.backup;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a backup holds at each chunk index: the hash of the chunk's bytes, or nothing for a chunk
 * that reads as zeros (a hole, or data that is all zeros), which is never stored. Immutable.
 */
public final class ChunkTable {
    private final ChunkHash[] hashes;

    private ChunkTable(ChunkHash[] hashes) {
        this.hashes = hashes;
    }

    /** A table from one entry per chunk index, {@code null} meaning zero. The array is copied. */
    public static ChunkTable of(ChunkHash[] hashes) {
        return new ChunkTable(hashes.clone());
    }

    public int count() {
        return hashes.length;
    }

    /** The chunk's hash, or empty when the chunk reads as zeros. */
    public Optional<ChunkHash> hash(int index) {
        return Optional.ofNullable(hashes[index]);
    }

    public boolean isZero(int index) {
        return hashes[index] == null;
    }

    /** How many chunks hold data (are stored). */
    public int dataChunks() {
        int count = 0;
        for (ChunkHash hash : hashes) {
            if (hash != null) {
                count++;
            }
        }
        return count;
    }

    /** Every hash the table refers to, once each, in index order of first use. */
    public Set<ChunkHash> distinctHashes() {
        Set<ChunkHash> distinct = new LinkedHashSet<>();
        for (ChunkHash hash : hashes) {
            if (hash != null) {
                distinct.add(hash);
            }
        }
        return distinct;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChunkTable table && Arrays.equals(hashes, table.hashes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hashes);
    }

    @Override
    public String toString() {
        return "ChunkTable[" + hashes.length + " chunks, " + dataChunks() + " with data]";
    }
}
