package dev.basalt.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.api.RequestContext;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Validations are kept until the token expires or the cache time passes, in bounded memory. */
class TokenCacheTest {
    final FakeTime time = new FakeTime();

    TokenCache cache(int size, Duration maxAge) {
        return new TokenCache(size, maxAge, time, time, Runnable::run);
    }

    TokenCache.Known known(String project, Duration validFor) {
        return new TokenCache.Known(new RequestContext("u", project, Set.of("member"), false, "-"),
                time.instant().plus(validFor));
    }

    @Test
    void aValidationIsKeptForTheCacheTime() {
        TokenCache cache = cache(10, Duration.ofMinutes(5));
        cache.put("t1", known("p1", Duration.ofHours(1)));

        assertThat(cache.get("t1")).containsInstanceOf(TokenCache.Known.class);
        time.advance(Duration.ofMinutes(4));
        assertThat(cache.get("t1")).isPresent();
        time.advance(Duration.ofMinutes(2));
        assertThat(cache.get("t1")).as("asked again after token_cache_time").isEmpty();
    }

    @Test
    void aValidationNeverOutlivesItsToken() {
        TokenCache cache = cache(10, Duration.ofMinutes(5));
        cache.put("t1", known("p1", Duration.ofSeconds(30)));

        time.advance(Duration.ofSeconds(29));
        assertThat(cache.get("t1")).isPresent();
        time.advance(Duration.ofSeconds(1));
        assertThat(cache.get("t1")).as("expired with its token").isEmpty();
        cache.put("t2", known("p1", Duration.ofSeconds(-1)));
        assertThat(cache.get("t2")).as("an expired token is not kept").isEmpty();
    }

    @Test
    void refusalsAreRememberedForTheCacheTime() {
        TokenCache cache = cache(10, Duration.ofMinutes(5));
        cache.put("bad", new TokenCache.Refused("no such token"));

        assertThat(cache.get("bad")).contains(new TokenCache.Refused("no such token"));
        time.advance(Duration.ofMinutes(6));
        assertThat(cache.get("bad")).isEmpty();
    }

    @Test
    void memoryIsBounded() {
        TokenCache cache = cache(100, Duration.ofMinutes(5));
        for (int i = 0; i < 1000; i++) {
            cache.put("token-" + i, known("p" + i, Duration.ofHours(1)));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(100);
        assertThat(cache.get("token-999")).isPresent();
    }

    @Test
    void tokensAreKeptApartAndACacheTimeOfZeroKeepsNothing() {
        TokenCache cache = cache(10, Duration.ofMinutes(5));
        cache.put("a", known("pa", Duration.ofHours(1)));
        cache.put("b", known("pb", Duration.ofHours(1)));
        assertThat(cache.get("a").map(e -> ((TokenCache.Known) e).context().projectId())).contains("pa");
        assertThat(cache.get("b").map(e -> ((TokenCache.Known) e).context().projectId())).contains("pb");
        assertThat(cache.get("c")).isEmpty();

        TokenCache off = cache(10, Duration.ZERO);
        off.put("a", known("pa", Duration.ofHours(1)));
        assertThat(off.enabled()).isFalse();
        assertThat(off.get("a")).isEmpty();
    }
}
