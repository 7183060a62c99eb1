package dev.basalt.api.auth;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.basalt.api.RequestContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Token validations, kept in bounded memory (at most {@code maxSize}, least recently used out
 * first) until the token expires or {@code maxAge} passes, whichever is first; tokens Keystone
 * called invalid are remembered for {@code maxAge} too, so a flood of bad tokens does not become a
 * flood on Keystone. Tokens are kept only as their SHA-256.
 */
public final class TokenCache {
    /** A remembered answer: the caller (for a valid token, until {@code expiresAt}) or a refusal. */
    public sealed interface Entry permits Known, Refused {
    }

    /** A valid token's caller; {@code context}'s request id is a placeholder. */
    public record Known(RequestContext context, Instant expiresAt) implements Entry {
        public Known {
            requireNonNull(context, "context");
            requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** A token Keystone refused, and why. */
    public record Refused(String reason) implements Entry {
    }

    private final Cache<String, Entry> cache;
    private final Duration maxAge;
    private final Clock clock;

    /** A cache on the system clock. */
    public TokenCache(int maxSize, Duration maxAge) {
        this(maxSize, maxAge, Clock.systemUTC(), Ticker.systemTicker(), null);
    }

    /**
     * @param clock    wall time, to compare with token expiry
     * @param ticker   Caffeine's time source (tests pass one that follows {@code clock})
     * @param executor where Caffeine does its upkeep; null: its default
     */
    public TokenCache(int maxSize, Duration maxAge, Clock clock, Ticker ticker, Executor executor) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1: " + maxSize);
        }
        this.maxAge = requireNonNull(maxAge, "maxAge");
        this.clock = requireNonNull(clock, "clock");
        Caffeine<Object, Object> base = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .ticker(requireNonNull(ticker, "ticker"));
        if (executor != null) {
            base.executor(executor);
        }
        this.cache = base.expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry value, long currentTime) {
                        return lifetime(value).toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
                        return lifetime(value).toNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                }).build();
    }

    /** Whether anything is cached at all ({@code token_cache_time} above zero). */
    public boolean enabled() {
        return !maxAge.isZero() && !maxAge.isNegative();
    }

    /** The remembered answer for {@code token}, if still good. */
    public Optional<Entry> get(String token) {
        if (!enabled()) {
            return Optional.empty();
        }
        String key = key(token);
        Entry entry = cache.getIfPresent(key);
        if (entry instanceof Known known && !known.expiresAt().isAfter(clock.instant())) {
            cache.invalidate(key);
            return Optional.empty();
        }
        return Optional.ofNullable(entry);
    }

    public void put(String token, Entry entry) {
        requireNonNull(entry, "entry");
        if (enabled() && lifetime(entry).toNanos() > 0) {
            cache.put(key(token), entry);
        }
    }

    /** How many answers are kept now (after Caffeine's pending upkeep). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private Duration lifetime(Entry entry) {
        if (entry instanceof Known known) {
            Duration left = Duration.between(clock.instant(), known.expiresAt());
            if (left.isNegative()) {
                return Duration.ZERO;
            }
            return left.compareTo(maxAge) < 0 ? left : maxAge;
        }
        return maxAge;
    }

    private static String key(String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
