package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The options of {@code [keystone_authtoken]}, named as keystonemiddleware names them, for
 * {@code [DEFAULT] auth_strategy = keystone}: where Keystone is, the service user Basalt validates
 * tokens with (the {@code password} plugin), and how long validations are cached.
 *
 * @param wwwAuthenticateUri the public Keystone endpoint named in the {@code WWW-Authenticate}
 *     header of a 401; when unset, {@code auth_url}
 * @param authUrl where Basalt asks Keystone (its {@code /v3} is appended when missing)
 * @param tokenCacheTime how long a validation is kept at most (never past the token's expiry);
 *     zero or less: no caching
 * @param tokenCacheSize most validations kept at once (Basalt only)
 * @param serviceTokenRoles roles of which an {@code X-Service-Token} must hold one for its request to
 *     count as the compute service's (which alone may remove an attachment an instance uses)
 * @param serviceTokenRolesRequired keystonemiddleware's switch; Basalt always requires one of the
 *     roles, so it changes nothing (kept so that cinder.conf carries over)
 */
public record KeystoneAuthOptions(
        Optional<URI> wwwAuthenticateUri,
        Optional<URI> authUrl,
        String authType,
        Optional<String> username,
        Optional<String> password,
        Optional<String> projectName,
        String userDomainName,
        String projectDomainName,
        Optional<String> userDomainId,
        Optional<String> projectDomainId,
        Duration tokenCacheTime,
        int tokenCacheSize,
        Duration httpConnectTimeout,
        int httpRequestMaxRetries,
        List<String> serviceTokenRoles,
        boolean serviceTokenRolesRequired) {

    public static final OptionGroup GROUP = new OptionGroup("keystone_authtoken",
            "Keystone token validation, for [DEFAULT] auth_strategy = keystone.");

    private static final OptionType<URI> URL = OptionType.of("an http(s) URL", text -> {
        try {
            URI uri = new URI(text.trim());
            if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not an http(s) URL");
        }
    });
    private static final OptionType<String> NON_EMPTY = OptionType.matching("(?s).*\\S.*", "a non-empty value");

    public static final Option<URI> WWW_AUTHENTICATE_URI = GROUP.add(Option.optional("www_authenticate_uri", URL, "Public Identity endpoint named in the WWW-Authenticate header of a 401 answer; default: auth_url."));
    public static final Option<URI> AUTH_URL = GROUP.add(Option.optional("auth_url", URL, "Identity endpoint Basalt validates tokens at (e.g. http://keystone:5000/v3)."));
    public static final Option<String> AUTH_TYPE = GROUP.add(Option.of("auth_type", OptionType.matching("password", "password (the only plugin Basalt has)"), "password", "How Basalt's service user authenticates to Keystone."));
    public static final Option<String> USERNAME = GROUP.add(Option.optional("username", NON_EMPTY, "Basalt's service user; it needs the service (or admin) role to validate tokens."));
    public static final Option<String> PASSWORD = GROUP.add(Option.optional("password", NON_EMPTY, "Password of the service user.").asSecret());
    public static final Option<String> PROJECT_NAME = GROUP.add(Option.optional("project_name", NON_EMPTY, "Project the service user's token is scoped to (usually service)."));
    public static final Option<String> USER_DOMAIN_NAME = GROUP.add(Option.of("user_domain_name", NON_EMPTY, "Default", "Domain of the service user, by name."));
    public static final Option<String> PROJECT_DOMAIN_NAME = GROUP.add(Option.of("project_domain_name", NON_EMPTY, "Default", "Domain of the service project, by name."));
    public static final Option<String> USER_DOMAIN_ID = GROUP.add(Option.optional("user_domain_id", NON_EMPTY, "Domain of the service user, by id (wins over user_domain_name)."));
    public static final Option<String> PROJECT_DOMAIN_ID = GROUP.add(Option.optional("project_domain_id", NON_EMPTY, "Domain of the service project, by id (wins over project_domain_name)."));
    public static final Option<Integer> TOKEN_CACHE_TIME = GROUP.add(Option.of("token_cache_time", OptionType.integer(-1, Integer.MAX_VALUE), "300", "Seconds a validated token is cached at most (never past its expiry); -1 or 0: no caching."));
    public static final Option<Integer> TOKEN_CACHE_SIZE = GROUP.add(Option.of("token_cache_size", OptionType.atLeast(1), "10000", "Most token validations kept in memory at once (Basalt only)."));
    public static final Option<Duration> HTTP_CONNECT_TIMEOUT = GROUP.add(Option.of("http_connect_timeout", OptionType.seconds(1), "10", "Seconds to wait for Keystone to connect and to answer."));
    public static final Option<Integer> HTTP_REQUEST_MAX_RETRIES = GROUP.add(Option.of("http_request_max_retries", OptionType.integer(0, 10), "3", "How many times a request Keystone did not answer is tried again."));

    public static final Option<List<String>> SERVICE_TOKEN_ROLES = GROUP.add(Option.of("service_token_roles", OptionType.list(), "service", "Roles of which an X-Service-Token must hold one for its request to count as a service's: only then may an attachment an instance uses be removed without asking the compute service."));
    public static final Option<Boolean> SERVICE_TOKEN_ROLES_REQUIRED = GROUP.add(Option.of("service_token_roles_required", OptionType.bool(), "false", "keystonemiddleware's switch for services that trust any valid service token; Basalt always requires one of service_token_roles, so this changes nothing."));

    public KeystoneAuthOptions {
        requireNonNull(wwwAuthenticateUri, "wwwAuthenticateUri");
        requireNonNull(authUrl, "authUrl");
        requireNonNull(authType, "authType");
        requireNonNull(username, "username");
        requireNonNull(password, "password");
        requireNonNull(projectName, "projectName");
        requireNonNull(userDomainName, "userDomainName");
        requireNonNull(projectDomainName, "projectDomainName");
        requireNonNull(userDomainId, "userDomainId");
        requireNonNull(projectDomainId, "projectDomainId");
        requireNonNull(tokenCacheTime, "tokenCacheTime");
        requireNonNull(httpConnectTimeout, "httpConnectTimeout");
        serviceTokenRoles = List.copyOf(serviceTokenRoles);
    }

    /** Reads {@code [keystone_authtoken]}. */
    public static KeystoneAuthOptions from(ConfigSection section) {
        return new KeystoneAuthOptions(
                section.find(WWW_AUTHENTICATE_URI),
                section.find(AUTH_URL),
                section.get(AUTH_TYPE),
                section.find(USERNAME),
                section.find(PASSWORD),
                section.find(PROJECT_NAME),
                section.get(USER_DOMAIN_NAME),
                section.get(PROJECT_DOMAIN_NAME),
                section.find(USER_DOMAIN_ID),
                section.find(PROJECT_DOMAIN_ID),
                Duration.ofSeconds(Math.max(0, section.get(TOKEN_CACHE_TIME))),
                section.get(TOKEN_CACHE_SIZE),
                section.get(HTTP_CONNECT_TIMEOUT),
                section.get(HTTP_REQUEST_MAX_RETRIES),
                section.get(SERVICE_TOKEN_ROLES),
                section.get(SERVICE_TOKEN_ROLES_REQUIRED));
    }

    /**
     * This configuration, checked to be complete for {@code auth_strategy = keystone}.
     *
     * @throws ConfigException naming every option that must be set and is not
     */
    public KeystoneAuthOptions requireComplete() {
        List<String> missing = new ArrayList<>();
        if (authUrl.isEmpty()) {
            missing.add(AUTH_URL.name());
        }
        if (username.isEmpty()) {
            missing.add(USERNAME.name());
        }
        if (password.isEmpty()) {
            missing.add(PASSWORD.name());
        }
        if (projectName.isEmpty()) {
            missing.add(PROJECT_NAME.name());
        }
        if (!missing.isEmpty()) {
            throw new ConfigException("[keystone_authtoken] " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not set: [DEFAULT] auth_strategy = keystone needs"
                    + " auth_url, username, password and project_name of Basalt's service user");
        }
        return this;
    }

    /** The endpoint named in {@code WWW-Authenticate}: www_authenticate_uri, else auth_url. */
    public Optional<URI> challengeUri() {
        return wwwAuthenticateUri.or(() -> authUrl);
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "KeystoneAuthOptions[authUrl=" + authUrl.map(URI::toString).orElse("(unset)") + ", username="
                + username.orElse("(unset)") + ", projectName=" + projectName.orElse("(unset)")
                + ", tokenCacheTime=" + tokenCacheTime + ", tokenCacheSize=" + tokenCacheSize + "]";
    }
}
