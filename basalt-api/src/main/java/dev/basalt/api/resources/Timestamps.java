package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Timestamps as Cinder writes them: UTC without an offset, always with microseconds. */
final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    /** Year 10000: beyond it the four-digit fast path does not apply. */
    private static final long MAX_FAST_SECOND = 253402300800L;

    private Timestamps() {
    }

    static String format(Instant instant) {
        if (instant == null) {
            return null;
        }
        if (instant.getEpochSecond() < 0 || instant.getEpochSecond() >= MAX_FAST_SECOND) {
            return FORMAT.format(instant);
        }
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(),
                ZoneOffset.UTC);
        char[] c = new char[26];
        digits(c, 0, t.getYear(), 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, 6);
        return new String(c);
    }

    static void write(JsonGenerator out, String field, Instant instant) throws IOException {
        out.writeFieldName(field);
        writeValue(out, instant);
    }

    static void write(JsonGenerator out, com.fasterxml.jackson.core.SerializableString field, Instant instant)
            throws IOException {
        out.writeFieldName(field);
        writeValue(out, instant);
    }

    private static void writeValue(JsonGenerator out, Instant instant) throws IOException {
        if (instant == null) {
            out.writeNull();
        } else {
            out.writeString(format(instant));
        }
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** An ISO 8601 time, with or without offset (UTC when without); null when it is not one. */
    static Instant parseIsoOrNull(String text) {
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // try without offset
        }
        try {
            return java.time.LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try a date alone
        }
        try {
            return java.time.LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
