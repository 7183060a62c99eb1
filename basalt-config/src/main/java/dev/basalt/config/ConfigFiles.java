package dev.basalt.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the files given with {@code --config-file} (repeatable) into one {@link RawConfig}: a later
 * file overrides an earlier one option by option. No file at all is an empty configuration.
 */
public final class ConfigFiles {
    private ConfigFiles() {}

    public static RawConfig read(List<Path> files) {
        RawConfig.Builder builder = RawConfig.builder();
        for (Path file : files) {
            IniParser.parse(file.toString(), lines(file), builder);
        }
        return builder.build();
    }

    private static List<String> lines(Path file) {
        if (!Files.exists(file)) {
            throw new ConfigException(file + ": configuration file not found");
        }
        if (Files.isDirectory(file)) {
            throw new ConfigException(file + ": is a directory, not a configuration file");
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read configuration file: " + e, e);
        }
    }
}
