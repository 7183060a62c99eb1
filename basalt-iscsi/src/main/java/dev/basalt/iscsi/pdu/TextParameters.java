package dev.basalt.iscsi.pdu;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Text key=value pairs as carried by Login and Text PDUs (RFC 7143 section 6.1): UTF-8,
 * each pair ended by a NUL byte, keys at most 63 bytes.
 */
public final class TextParameters {
    public static final int MAX_KEY_LENGTH = 63;

    private TextParameters() {
    }

    /**
     * Parses pairs in order.
     *
     * @throws IllegalArgumentException for bytes that are not pairs, a key given twice, a key too
     *     long or bytes that are not UTF-8
     */
    public static SequencedMap<String, String> parse(ByteBuffer data) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(data.duplicate()).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text parameters are not UTF-8");
        }
        SequencedMap<String, String> pairs = new LinkedHashMap<>();
        int from = 0;
        while (from < text.length()) {
            int nul = text.indexOf('\0', from);
            int to = nul < 0 ? text.length() : nul;
            if (to > from) {
                String pair = text.substring(from, to);
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("not a key=value pair: " + abbreviate(pair));
                }
                String key = pair.substring(0, eq);
                if (key.length() > MAX_KEY_LENGTH) {
                    throw new IllegalArgumentException("key longer than 63 bytes: " + abbreviate(key));
                }
                if (pairs.putIfAbsent(key, pair.substring(eq + 1)) != null) {
                    throw new IllegalArgumentException("key given twice: " + key);
                }
            }
            from = to + 1;
        }
        return pairs;
    }

    /** Encodes pairs in order, each followed by NUL. */
    public static byte[] encode(Map<String, String> pairs) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            text.append(pair.getKey()).append('=').append(pair.getValue()).append('\0');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Encodes a list of pairs in which a key may repeat (SendTargets answers). */
    public static byte[] encode(List<Map.Entry<String, String>> pairs) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> pair : pairs) {
            text.append(pair.getKey()).append('=').append(pair.getValue()).append('\0');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Splits a comma-separated list value. */
    public static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            items.add(item.trim());
        }
        return items;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
