package dev.basalt.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryParamsTest {
    @Test
    void decodesLikeAFormAndKeepsTheLastValue() {
        QueryParams q = QueryParams.parse("name=a+b&limit=1&limit=2&metadata=%7B%27k%27%3A+%27v%27%7D&flag&bad=%zz");
        assertThat(q.get("name")).isEqualTo("a b");
        assertThat(q.get("limit")).isEqualTo("2");
        assertThat(q.get("metadata")).isEqualTo("{'k': 'v'}");
        assertThat(q.get("flag")).isEmpty();
        assertThat(q.get("bad")).isEqualTo("%zz");
        assertThat(q.keys()).containsExactly("name", "limit", "metadata", "flag", "bad");
    }

    @Test
    void nextLinkQueryReplacesTheMarkerAtTheEnd() {
        QueryParams q = QueryParams.parse("marker=old&limit=5&name=a+b");
        assertThat(q.encodeReplacing("marker", "new")).isEqualTo("limit=5&name=a+b&marker=new");
    }

    @Test
    void pathSegmentsKeepPlusSigns() {
        assertThat(PercentDecoding.pathDecode("a+b%20c")).isEqualTo("a+b c");
        assertThat(PercentDecoding.pathDecode("%E2%82%AC")).isEqualTo("€");
    }
}
