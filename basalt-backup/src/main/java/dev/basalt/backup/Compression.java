package dev.basalt.backup;

import java.util.Locale;

/**
 * How chunks are compressed. Every stored chunk names its own algorithm, so a repository reads any
 * chunk whatever the current setting. Names are those of Cinder's {@code backup_compression_algorithm}.
 */
public enum Compression {
    NONE(0),
    ZLIB(1),
    ZSTD(2);

    private final int code;

    Compression(int code) {
        this.code = code;
    }

    /** The byte that names the algorithm in a chunk's header. */
    public int code() {
        return code;
    }

    /** The lower-case name used in manifests and configuration ({@code none}, {@code zlib}, {@code zstd}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Compression ofCode(int code) {
        for (Compression compression : values()) {
            if (compression.code == code) {
                return compression;
            }
        }
        throw new IllegalArgumentException("unknown compression code " + code);
    }

    /** Parses {@code none|zlib|zstd} (any case; {@code off}/{@code no} mean none). */
    public static Compression parse(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "none", "off", "no" -> NONE;
            case "zlib" -> ZLIB;
            case "zstd" -> ZSTD;
            default -> throw new IllegalArgumentException("unknown compression '" + name + "': expected none, zlib or zstd");
        };
    }
}
