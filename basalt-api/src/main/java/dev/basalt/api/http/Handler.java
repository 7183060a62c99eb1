package dev.basalt.api.http;

/** Serves one route. Throws {@link dev.basalt.common.BasaltException} for anything the caller did wrong. */
@FunctionalInterface
public interface Handler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
