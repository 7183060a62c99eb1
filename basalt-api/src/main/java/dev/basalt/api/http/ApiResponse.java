package dev.basalt.api.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: a status, an optional JSON body, and extra headers. */
public record ApiResponse(int status, JsonBody body, Map<String, String> headers) {
    public ApiResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static ApiResponse ok(JsonBody body) {
        return new ApiResponse(200, body, null);
    }

    public static ApiResponse accepted(JsonBody body) {
        return new ApiResponse(202, body, null);
    }

    public static ApiResponse status(int status) {
        return new ApiResponse(status, null, null);
    }

    public static ApiResponse of(int status, JsonBody body) {
        return new ApiResponse(status, body, null);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, body, more);
    }
}
