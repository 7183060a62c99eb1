package dev.basalt.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderedItemsTest {
    private record Item(String name, int size) {
    }

    private final List<Item> written = new ArrayList<>();
    private final RenderedItems<Item> items = new RenderedItems<>(3, (out, item) -> {
        written.add(item);
        out.writeStartObject();
        out.writeStringField("name", item.name());
        out.writeNumberField("size", item.size());
        out.writeEndObject();
    });

    private String list(List<Item> list) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = Json.mapper().createGenerator(bytes)) {
            out.writeStartArray();
            for (Item item : list) {
                items.write(out, item.name(), item);
            }
            out.writeEndArray();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesEachItemOnceWhileItsSourceStaysTheSame() throws IOException {
        List<Item> two = List.of(new Item("a", 1), new Item("b\"q", 2));
        String expected = "[{\"name\":\"a\",\"size\":1},{\"name\":\"b\\\"q\",\"size\":2}]";
        assertThat(list(two)).isEqualTo(expected);
        assertThat(list(List.of(new Item("a", 1), new Item("b\"q", 2)))).isEqualTo(expected);
        assertThat(written).hasSize(2);
    }

    @Test
    void writesAnItemAnewWhenItsSourceChanged() throws IOException {
        list(List.of(new Item("a", 1)));
        assertThat(list(List.of(new Item("a", 5)))).isEqualTo("[{\"name\":\"a\",\"size\":5}]");
        assertThat(written).containsExactly(new Item("a", 1), new Item("a", 5));
    }

    @Test
    void keepsNoMoreThanItsCapacity() throws IOException {
        for (int i = 0; i < 10; i++) {
            list(List.of(new Item("i" + i, i)));
            assertThat(items.size()).isLessThanOrEqualTo(3);
        }
        assertThat(list(List.of(new Item("i9", 9)))).isEqualTo("[{\"name\":\"i9\",\"size\":9}]");
    }
}
