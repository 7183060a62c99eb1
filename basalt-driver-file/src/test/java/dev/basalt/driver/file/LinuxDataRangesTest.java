package dev.basalt.driver.file;

import dev.basalt.nativeio.Libc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.basalt.driver.Sizes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SEEK_DATA / SEEK_HOLE through JNA on the root filesystem (ext4 here). */
class LinuxDataRangesTest {
    private static final long BLOCK = 4096;

    @TempDir
    Path temp;

    private final LinuxDataRanges ranges = new LinuxDataRanges();

    @BeforeEach
    void onLinux() {
        assumeTrue(Libc.BOUND, "lseek(2) is bound on 64-bit Linux only");
        assertThat(DataRanges.system()).isInstanceOf(LinuxDataRanges.class);
    }

    private Path sparse(String name, long size) throws IOException {
        Path file = temp.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
        return file;
    }

    @Test
    void aFileOfHolesHasNoData() throws IOException {
        Path file = sparse("holes", 10 * Sizes.GIB);

        DataRanges.Layout layout = ranges.of(file);

        assertThat(layout.size()).isEqualTo(10 * Sizes.GIB);
        assertThat(layout.data()).isEmpty();
    }

    @Test
    void dataRangesCoverWhatWasWrittenAndLittleElse() throws IOException {
        Path file = sparse("data", 10 * Sizes.GIB);
        byte[] bytes = FileVolumeDriverTestSupport.ones(100_000);
        long[] offsets = {0, 3 * Sizes.GIB + 12345, 10 * Sizes.GIB - bytes.length};
        for (long offset : offsets) {
            FileContents.write(file, offset, bytes);
        }

        DataRanges.Layout layout = ranges.of(file);

        assertThat(layout.size()).isEqualTo(10 * Sizes.GIB);
        assertThat(layout.data()).hasSize(3);
        for (int i = 0; i < offsets.length; i++) {
            DataRanges.Range range = layout.data().get(i);
            assertThat(range.start()).isLessThanOrEqualTo(offsets[i]).isGreaterThan(offsets[i] - BLOCK);
            assertThat(range.end()).isGreaterThanOrEqualTo(offsets[i] + bytes.length)
                    .isLessThan(offsets[i] + bytes.length + BLOCK);
        }
        assertThat(layout.dataBytes()).isLessThan(3 * (bytes.length + 2 * BLOCK));
    }

    @Test
    void aFileWrittenAllOverIsOneRange() throws IOException {
        Path file = Files.write(temp.resolve("full"), FileVolumeDriverTestSupport.ones(3 * (int) Sizes.MIB + 17));

        DataRanges.Layout layout = ranges.of(file);

        assertThat(layout.data()).containsExactly(new DataRanges.Range(0, 3 * Sizes.MIB + 17));
    }

    @Test
    void anEmptyFileHasNoData() throws IOException {
        Path file = Files.createFile(temp.resolve("empty"));

        assertThat(ranges.of(file)).isEqualTo(new DataRanges.Layout(0, java.util.List.of()));
        assertThat(DataRanges.WHOLE_FILE.of(file).data()).isEmpty();
    }

    @Test
    void withoutSeekDataTheWholeFileMayHoldData() throws IOException {
        Path file = sparse("whole", Sizes.GIB);

        assertThat(DataRanges.WHOLE_FILE.of(file).data()).containsExactly(new DataRanges.Range(0, Sizes.GIB));
    }

    @Test
    void aMissingFileFailsWithTheSystemsReason() {
        Path missing = temp.resolve("missing");

        assertThatThrownBy(() -> ranges.of(missing))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("No such file or directory");
    }
}
