package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.Ids;
import dev.basalt.model.ImageCacheEntry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The image-volume cache's entries on each database: found per backend and image, by use, removed once. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class ImageCacheEntriesTest {
    private final TestDatabase database;
    private Database db;
    private ImageCacheEntries entries;

    ImageCacheEntriesTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open(2);
        entries = new ImageCacheEntries(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private ImageCacheEntry entry(String host, String image, Instant used) {
        return new ImageCacheEntry(Ids.newId(), host, image, Instant.parse("2026-12-01T10:00:00Z"), Ids.newId(), 2,
                used);
    }

    @Test
    void entriesAreFoundPerBackendAndImageAndOrderedByUse() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ImageCacheEntry older = entry("h@file", "img-1", now.minusSeconds(60));
        ImageCacheEntry newer = entry("h@file", "img-2", now);
        ImageCacheEntry elsewhere = entry("h@other", "img-1", now);
        entries.add(older);
        entries.add(newer);
        entries.add(elsewhere);

        assertThat(entries.find("h@file", "img-1")).contains(older);
        assertThat(entries.find("h@file", "img-3")).isEmpty();
        assertThat(entries.onHost("h@file")).containsExactly(older, newer);
        assertThat(entries.ofVolume(newer.volumeId())).contains(newer);

        entries.touch(older.id(), now.plusSeconds(60));
        assertThat(entries.onHost("h@file")).extracting(ImageCacheEntry::id).containsExactly(newer.id(), older.id());
        assertThat(entries.remove(older.id())).isTrue();
        assertThat(entries.remove(older.id())).isFalse();
        assertThat(entries.onHost("h@file")).containsExactly(newer);
    }
}
