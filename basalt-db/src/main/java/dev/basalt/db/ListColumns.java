package dev.basalt.db;

import dev.basalt.common.BasaltException;
import java.util.List;
import java.util.Map;

/** The columns of one kind of resource that a list query may filter or sort by, and other names for some. */
record ListColumns<T>(List<ListColumn<T>> all, Map<String, String> aliases) {
    ListColumns {
        all = List.copyOf(all);
        aliases = Map.copyOf(aliases);
    }

    /** The column named {@code apiName} (or by an alias of its name), or a 400 listing the valid names. */
    ListColumn<T> named(String apiName) {
        String name = aliases.getOrDefault(apiName, apiName);
        return all.stream().filter(c -> c.apiName().equals(name)).findFirst().orElseThrow(() ->
                BasaltException.badRequest("Invalid sort or filter key %s; valid keys are %s", apiName,
                        String.join(", ", all.stream().map(ListColumn::apiName).sorted().toList())));
    }
}
