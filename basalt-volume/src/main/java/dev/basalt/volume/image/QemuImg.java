package dev.basalt.volume.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code qemu-img} from QEMU's utilities: what a file holds ({@code info --output=json}, the format
 * probed from its content), its conversion to raw into an existing volume ({@code convert -n},
 * the target known to be zeros so that zeros stay holes), and a raw volume's conversion to an
 * image format.
 */
public final class QemuImg {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INFO_GUARD = Duration.ofMinutes(2);
    private static final Pattern PROGRESS = Pattern.compile("\\s*\\((\\d+(?:\\.\\d+)?)/100%\\)\\s*");

    private final String executable;
    private final Duration convertGuard;

    public QemuImg(String executable, Duration convertGuard) {
        this.executable = executable;
        this.convertGuard = convertGuard;
    }

    /** {@code qemu-img} on the PATH, a conversion allowed six hours. */
    public static QemuImg onPath() {
        return new QemuImg("qemu-img", Duration.ofHours(6));
    }

    /**
     * What a file holds.
     *
     * @param format      the format qemu-img probed from the content ({@code raw} when none matched)
     * @param virtualSize the bytes of the disk it holds
     * @param backingFile the file it is layered on, null when none
     * @param dataFile    the external data file it names, null when none
     */
    public record Info(String format, long virtualSize, String backingFile, String dataFile) {
    }

    /** Probes {@code file}'s format from its content (no format is given to qemu-img). */
    public Info info(Path file) {
        String out = run(INFO_GUARD, List.of(executable, "info", "--output=json", file.toString()));
        try {
            JsonNode info = JSON.readTree(out);
            JsonNode dataFile = info.path("format-specific").path("data").path("data-file");
            return new Info(info.path("format").asText(), info.path("virtual-size").asLong(),
                    info.hasNonNull("backing-filename") ? info.get("backing-filename").asText() : null,
                    dataFile.isMissingNode() || dataFile.isNull() ? null : dataFile.asText());
        } catch (IOException e) {
            throw new IllegalStateException("qemu-img info printed no JSON: " + out, e);
        }
    }

    /**
     * Writes {@code source} (in {@code format}) as raw data into the existing, all-zero {@code target};
     * {@code progress} hears how far it got, in percent.
     */
    public void convertToRaw(Path source, String format, Path target, DoubleConsumer progress) {
        run(convertGuard, List.of(executable, "convert", "-p", "-f", format, "-O", "raw", "-n", "--target-is-zero",
                source.toString(), target.toString()), progress);
    }

    /**
     * Writes the raw {@code source} as a new {@code target} in qemu-img's format {@code format}
     * (zeros left unallocated, so holes stay holes); {@code progress} hears how far it got, in percent.
     */
    public void convertFromRaw(Path source, String format, Path target, DoubleConsumer progress) {
        run(convertGuard, List.of(executable, "convert", "-p", "-f", "raw", "-O", format, source.toString(),
                target.toString()), progress);
    }

    private static String run(Duration guard, List<String> command) {
        return run(guard, command, percent -> { });
    }

    /** Runs the command; the {@code (x/100%)} progress lines it prints go to {@code progress}, the rest is its output. */
    private static String run(Duration guard, List<String> command, DoubleConsumer progress) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            StringBuilder output = new StringBuilder();
            try {
                readLines(p.getInputStream(), line -> {
                    Matcher m = PROGRESS.matcher(line);
                    if (m.matches()) {
                        progress.accept(Double.parseDouble(m.group(1)));
                    } else {
                        output.append(line).append('\n');
                    }
                });
                if (!p.waitFor(guard.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within " + guard);
                }
            } finally {
                p.destroyForcibly();
            }
            String text = output.toString().strip();
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " " + command.get(1) + " failed (exit "
                        + p.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** Each line of the stream, split at {@code \n} and at the {@code \r} that progress output ends its lines with. */
    private static void readLines(InputStream in, Consumer<String> lines) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = reader.read()) >= 0) {
            if (c == '\n' || c == '\r') {
                if (!line.isEmpty()) {
                    lines.accept(line.toString());
                    line.setLength(0);
                }
            } else {
                line.append((char) c);
            }
        }
        if (!line.isEmpty()) {
            lines.accept(line.toString());
        }
    }
}
