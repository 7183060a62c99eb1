package dev.basalt.api.service;

import java.util.Map;
import java.util.Optional;

/** What an update changes of a volume: each field that is present; an empty one stays as it is. */
public record VolumeChanges(Optional<String> name, Optional<String> description,
                            Optional<Map<String, String>> metadata) {
}
