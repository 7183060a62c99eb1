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
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing between a reflink and a copy of the data; real reflinks are tested on XFS and btrfs by the driver's tests. */
class VolumeCopierTest {
    @TempDir
    Path temp;

    /** A reflink that copies, counting its calls: as a filesystem that shares extents would look from here. */
    private static final class CountingReflink implements Reflink {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public boolean cloneFile(Path source, Path target) throws IOException {
            calls.incrementAndGet();
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return true;
        }
    }

    private Path volume() throws IOException {
        Path file = temp.resolve("volume");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(16 * Sizes.MIB);
        }
        FileContents.write(file, Sizes.MIB, FileVolumeDriverTestSupport.ones(4096));
        return file;
    }

    @Test
    void reflinksWhereTheProbeCouldShareExtents() throws IOException {
        CountingReflink reflink = new CountingReflink();
        VolumeCopier copier = new VolumeCopier(reflink, new SparseCopy(DataRanges.system()));

        assertThat(copier.probe(temp.resolve("probe"), temp.resolve("probe-clone"))).isTrue();
        assertThat(copier.sharesExtents()).isTrue();
        Path target = Files.createFile(temp.resolve("copy"));
        assertThat(copier.copy(volume(), target)).isEqualTo(VolumeCopier.Method.REFLINK);

        assertThat(reflink.calls).hasValue(2);
        assertThat(Files.mismatch(volume(), target)).isEqualTo(-1);
    }

    @Test
    void copiesTheDataWhereTheProbeCouldNot() throws IOException {
        VolumeCopier copier = new VolumeCopier(Reflink.UNSUPPORTED, new SparseCopy(DataRanges.system()));

        assertThat(copier.probe(temp.resolve("probe"), temp.resolve("probe-clone"))).isFalse();
        assertThat(copier.sharesExtents()).isFalse();
        Path target = Files.createFile(temp.resolve("copy"));
        assertThat(copier.copy(volume(), target)).isEqualTo(VolumeCopier.Method.DATA_COPY);

        assertThat(Files.mismatch(volume(), target)).isEqualTo(-1);
    }

    @Test
    void copiesTheDataWhenAReflinkIsRefusedAfterAll() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        Reflink onlyOnce = (source, target) -> {
            if (calls.getAndIncrement() > 0) {
                return false;
            }
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return true;
        };
        VolumeCopier copier = new VolumeCopier(onlyOnce, new SparseCopy(DataRanges.system()));
        copier.probe(temp.resolve("probe"), temp.resolve("probe-clone"));
        Path target = Files.createFile(temp.resolve("copy"));

        assertThat(copier.copy(volume(), target)).isEqualTo(VolumeCopier.Method.DATA_COPY);

        assertThat(Files.mismatch(volume(), target)).isEqualTo(-1);
    }

    @Test
    void theRealProbeFindsNoSharingOnExt4() throws IOException {
        assumeTrue("ext4".equals(Files.getFileStore(temp).type()), "the temp directory is not on ext4");
        VolumeCopier copier = new VolumeCopier(Reflink.system(), new SparseCopy(DataRanges.system()));

        assertThat(copier.probe(temp.resolve("probe"), temp.resolve("probe-clone"))).isFalse();
    }

    @Test
    void aReflinkFailureOtherThanUnsupportedIsAnError() throws IOException {
        assumeTrue(Libc.BOUND, "FICLONE is bound on 64-bit Linux only");
        Path missing = temp.resolve("missing");
        Path target = Files.createFile(temp.resolve("target"));

        assertThatThrownBy(() -> new LinuxReflink().cloneFile(missing, target))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("No such file or directory");
    }
}
