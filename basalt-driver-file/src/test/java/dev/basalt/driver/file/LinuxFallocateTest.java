package dev.basalt.driver.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import dev.basalt.driver.Sizes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fallocate(2) through JNA on the root filesystem (ext4 here), which can punch holes. */
class LinuxFallocateTest {
    @TempDir
    Path temp;

    private final LinuxFallocate fallocate = new LinuxFallocate();

    @BeforeEach
    void onLinux() {
        assumeTrue(Platform.isLinux() && Platform.is64Bit(), "fallocate(2) is bound on 64-bit Linux only");
    }

    @Test
    void isBoundOnLinux() {
        assertThat(LinuxFallocate.isAvailable()).isTrue();
        assertThat(Fallocate.system()).isInstanceOf(LinuxFallocate.class);
    }

    @Test
    void punchingAHoleDeallocatesTheDataAndKeepsTheSize() throws Exception {
        Path file = temp.resolve("data");
        Files.write(file, FileVolumeDriverTestSupport.ones(4 * (int) Sizes.MIB));

        assertThat(fallocate.punchHole(file, Sizes.MIB, 2 * Sizes.MIB)).isTrue();

        assertThat(Files.size(file)).isEqualTo(4 * Sizes.MIB);
        assertThat(FileContents.read(file, Sizes.MIB, 2 * (int) Sizes.MIB)).containsOnly(0);
        assertThat(FileContents.read(file, 0, (int) Sizes.MIB)).containsOnly(1);
        assertThat(FileContents.read(file, 3 * Sizes.MIB, (int) Sizes.MIB)).containsOnly(1);
        assertThat(FileContents.allocatedBytes(file)).isLessThanOrEqualTo(2 * Sizes.MIB + 64 * 1024);
    }

    @Test
    void allocateGrowsTheFileAndReservesItsSpace() throws Exception {
        Path file = Files.createFile(temp.resolve("thick"));

        assertThat(fallocate.allocate(file, 64 * Sizes.MIB)).isTrue();

        assertThat(Files.size(file)).isEqualTo(64 * Sizes.MIB);
        assertThat(FileContents.allocatedBytes(file)).isGreaterThanOrEqualTo(64 * Sizes.MIB);
        assertThat(FileContents.allZero(file)).isTrue();
    }

    @Test
    void allocatingMoreThanTheFilesystemHoldsFailsWithTheSystemsReason() throws IOException {
        Path file = Files.createFile(temp.resolve("huge"));
        long moreThanFree = Files.getFileStore(temp).getTotalSpace() * 2;

        assertThatThrownBy(() -> fallocate.allocate(file, moreThanFree))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageMatching("(?s).*(No space left on device|File too large).*");
    }

    @Test
    void aMissingFileFailsWithTheSystemsReason() {
        Path missing = temp.resolve("missing");

        assertThatThrownBy(() -> fallocate.punchHole(missing, 0, 4096))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("No such file or directory");
    }

    @Test
    void aSparseFileFromSetLengthHasNoData() throws Exception {
        Path file = temp.resolve("sparse");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(Sizes.GIB);
        }
        assertThat(FileContents.allocatedBytes(file)).isZero();
    }
}
