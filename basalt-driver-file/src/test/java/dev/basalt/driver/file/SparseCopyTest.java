package dev.basalt.driver.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.driver.Sizes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Copies of sparse files keep their bytes and their holes, with SEEK_DATA and without. */
class SparseCopyTest {
    @TempDir
    Path temp;

    static Stream<Arguments> ranges() {
        return Stream.of(Arguments.of("SEEK_DATA", DataRanges.system()), Arguments.of("whole file", DataRanges.WHOLE_FILE));
    }

    /** 256 MiB, sparse, with data at its start, at an odd offset and at its end, and 1 MiB of written zeros. */
    private Path source() throws IOException {
        Path file = temp.resolve("source");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(256 * Sizes.MIB);
        }
        FileContents.write(file, 0, FileVolumeDriverTestSupport.ones(300_000));
        FileContents.write(file, 100 * Sizes.MIB + 4097, FileVolumeDriverTestSupport.ones(2 * (int) Sizes.MIB));
        FileContents.write(file, 128 * Sizes.MIB, new byte[(int) Sizes.MIB]);
        FileContents.write(file, 256 * Sizes.MIB - 1000, FileVolumeDriverTestSupport.ones(1000));
        return file;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void aCopyHasTheSameBytesAndSizeAndItsHolesStayHoles(String name, DataRanges ranges) throws Exception {
        Path source = source();
        Path target = Files.createFile(temp.resolve("target"));

        long written = new SparseCopy(ranges).copy(source, target);

        assertThat(Files.size(target)).isEqualTo(Files.size(source));
        assertThat(Files.mismatch(source, target)).isEqualTo(-1);
        // the three data chunks, at most a chunk of 1 MiB each more than their data; the zeros are not written
        assertThat(written).isBetween(300_000L + 2 * Sizes.MIB + 1000, 6 * Sizes.MIB);
        assertThat(FileContents.allocatedBytes(target)).isLessThanOrEqualTo(6 * Sizes.MIB);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void aFileOfHolesCopiesToAFileOfHoles(String name, DataRanges ranges) throws Exception {
        Path source = temp.resolve("holes");
        try (RandomAccessFile raf = new RandomAccessFile(source.toFile(), "rw")) {
            raf.setLength(64 * Sizes.MIB);
        }
        Path target = Files.createFile(temp.resolve("target"));

        assertThat(new SparseCopy(ranges).copy(source, target)).isZero();

        assertThat(Files.size(target)).isEqualTo(64 * Sizes.MIB);
        assertThat(FileContents.allocatedBytes(target)).isZero();
    }
}
