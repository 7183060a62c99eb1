package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;

/** JSON field names encoded once, and small writers that take them (views written per item use these). */
final class Fields {
    private Fields() {
    }

    static SerializableString name(String name) {
        return new SerializedString(name);
    }

    static void string(JsonGenerator out, SerializableString field, String value) throws IOException {
        out.writeFieldName(field);
        if (value == null) {
            out.writeNull();
        } else {
            out.writeString(value);
        }
    }

    static void bool(JsonGenerator out, SerializableString field, boolean value) throws IOException {
        out.writeFieldName(field);
        out.writeBoolean(value);
    }

    static void nullField(JsonGenerator out, SerializableString field) throws IOException {
        out.writeFieldName(field);
        out.writeNull();
    }
}
