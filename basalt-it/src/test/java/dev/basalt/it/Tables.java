package dev.basalt.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the prettytable output of the cinder client. */
public final class Tables {
    private Tables() {
    }

    /**
     * A "| Property | Value |" table as a map; a value the client wraps over several rows (the
     * first column left empty) is joined with newlines.
     */
    public static Map<String, String> properties(String output) {
        Map<String, String> properties = new LinkedHashMap<>();
        String last = null;
        for (List<String> row : rows(output)) {
            if (row.size() < 2 || row.get(0).equals("Property")) {
                continue;
            }
            if (row.get(0).isEmpty() && last != null) {
                properties.merge(last, row.get(1), (a, b) -> a + "\n" + b);
            } else if (!row.get(0).isEmpty()) {
                last = row.get(0);
                properties.put(last, row.get(1));
            }
        }
        return properties;
    }

    /** A table with a header row as a list of maps keyed by column name. */
    public static List<Map<String, String>> records(String output) {
        List<List<String>> rows = rows(output);
        List<Map<String, String>> records = new ArrayList<>();
        if (rows.isEmpty()) {
            return records;
        }
        List<String> header = rows.get(0);
        for (List<String> row : rows.subList(1, rows.size())) {
            Map<String, String> record = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < row.size(); i++) {
                record.put(header.get(i), row.get(i));
            }
            records.add(record);
        }
        return records;
    }

    private static List<List<String>> rows(String output) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : output.split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("|")) {
                continue;
            }
            String[] cells = trimmed.substring(1, trimmed.length() - (trimmed.endsWith("|") ? 1 : 0)).split("\\|", -1);
            List<String> row = new ArrayList<>();
            for (String cell : cells) {
                row.add(cell.trim());
            }
            rows.add(row);
        }
        return rows;
    }
}
