package dev.basalt.api.service;

import java.util.function.Function;

/**
 * The tokens a request came with: the caller's own ({@code X-Auth-Token}) and, when a service
 * acts on the caller's behalf, the service's ({@code X-Service-Token}); either may be null.
 */
public record CallerTokens(String authToken, String serviceToken) {
    public static final String AUTH_TOKEN_HEADER = "X-Auth-Token";
    public static final String SERVICE_TOKEN_HEADER = "X-Service-Token";

    /** The tokens of a request whose headers {@code headers} looks up. */
    public static CallerTokens from(Function<String, String> headers) {
        return new CallerTokens(headers.apply(AUTH_TOKEN_HEADER), headers.apply(SERVICE_TOKEN_HEADER));
    }
}
