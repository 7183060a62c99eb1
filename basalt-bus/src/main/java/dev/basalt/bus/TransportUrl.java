package dev.basalt.bus;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * oslo.messaging's {@code transport_url}, as an operator writes it in cinder.conf:
 * {@code rabbit://user:pass@host:5672/vhost}, or several brokers tried in turn
 * ({@code rabbit://u:p@h1:5672,u:p@h2:5673/vhost}). User and password are URL-encoded; the port
 * defaults to 5672, the user and password to {@code guest}; an empty path or {@code /} is the
 * virtual host {@code /}. Query options are kept in {@link #query()} for the caller to warn about:
 * Basalt reads none of them.
 *
 * @param scheme      {@code rabbit}
 * @param hosts       the brokers, in the order written
 * @param virtualHost the decoded virtual host
 * @param query       the decoded {@code ?name=value} options, in the order written
 */
public record TransportUrl(String scheme, List<Host> hosts, String virtualHost, Map<String, String> query) {
    /** The option every message about a bad URL names. */
    public static final String OPTION = "[DEFAULT] transport_url";
    public static final int DEFAULT_PORT = 5672;

    private static final Pattern USERINFO = Pattern.compile("(^|//|,)([^,/@]*?):([^,/]*)@");

    /** One broker: where it listens and who to log in as. */
    public record Host(String user, String password, String host, int port) {
        public Host {
            requireNonNull(user, "user");
            requireNonNull(password, "password");
            requireNonNull(host, "host");
        }

        /** {@code host:port}, with brackets around an IPv6 address. */
        public String address() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        @Override
        public String toString() {
            return user + ":***@" + address();
        }
    }

    public TransportUrl {
        requireNonNull(scheme, "scheme");
        hosts = List.copyOf(hosts);
        requireNonNull(virtualHost, "virtualHost");
        query = Map.copyOf(query);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a transport URL names at least one host");
        }
    }

    /** Parses {@code url}; a malformed one fails with a message naming the option (password masked). */
    public static TransportUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw invalid(String.valueOf(url), "empty");
        }
        String text = url.strip();
        int schemeEnd = text.indexOf("://");
        if (schemeEnd <= 0) {
            throw invalid(text, "not a URL (expected rabbit://user:password@host:5672/vhost)");
        }
        String scheme = text.substring(0, schemeEnd);
        String rest = text.substring(schemeEnd + 3);
        int queryStart = rest.indexOf('?');
        String queryText = queryStart < 0 ? "" : rest.substring(queryStart + 1);
        if (queryStart >= 0) {
            rest = rest.substring(0, queryStart);
        }
        int pathStart = rest.indexOf('/');
        String netloc = pathStart < 0 ? rest : rest.substring(0, pathStart);
        String path = pathStart < 0 ? "" : rest.substring(pathStart + 1);

        List<Host> hosts = new ArrayList<>();
        for (String part : netloc.split(",", -1)) {
            hosts.add(parseHost(text, part));
        }
        String virtualHost = path.isEmpty() ? "/" : decode(text, path, "virtual host");
        return new TransportUrl(scheme, hosts, virtualHost, parseQuery(text, queryText));
    }

    /** The user of the first host (Basalt logs in to every host as the same user). */
    public String user() {
        return hosts.getFirst().user();
    }

    public String password() {
        return hosts.getFirst().password();
    }

    /** The URL with every password replaced by {@code ***}, for messages and logs. */
    public String masked() {
        StringBuilder out = new StringBuilder(scheme).append("://");
        for (int i = 0; i < hosts.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(hosts.get(i));
        }
        return out.append('/').append(virtualHost.equals("/") ? "" : virtualHost).toString();
    }

    /** {@code host:port, host:port} of every broker. */
    public String addresses() {
        return String.join(", ", hosts.stream().map(Host::address).toList());
    }

    /** {@code text} with anything that looks like a URL's password replaced by {@code ***}. */
    public static String mask(String text) {
        return USERINFO.matcher(text).replaceAll("$1$2:***@");
    }

    /** The one-line error for a transport_url that Basalt cannot use: names the option, masks the password. */
    public static BasaltException invalid(String url, String problem) {
        return new BasaltException(Fault.INTERNAL, OPTION + " = " + mask(url) + ": " + problem);
    }

    @Override
    public String toString() {
        return masked();
    }

    private static Host parseHost(String url, String part) {
        if (part.isEmpty()) {
            throw invalid(url, "no host given");
        }
        String user = "guest";
        String password = "guest";
        int at = part.lastIndexOf('@');
        String hostPort = part;
        if (at >= 0) {
            String userinfo = part.substring(0, at);
            hostPort = part.substring(at + 1);
            int colon = userinfo.indexOf(':');
            user = decode(url, colon < 0 ? userinfo : userinfo.substring(0, colon), "user");
            password = colon < 0 ? "" : decode(url, userinfo.substring(colon + 1), "password");
        }
        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw invalid(url, "unclosed [ in host " + hostPort);
            }
            host = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (after.startsWith(":")) {
                portText = after.substring(1);
            } else if (!after.isEmpty()) {
                throw invalid(url, "unexpected text after host [" + host + "]: " + after);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw invalid(url, "no host given");
        }
        return new Host(user, password, host, parsePort(url, portText));
    }

    private static int parsePort(String url, String portText) {
        if (portText == null || portText.isEmpty()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(portText);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(url, "port is not a number from 1 to 65535: " + portText);
    }

    private static Map<String, String> parseQuery(String url, String queryText) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : queryText.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(url, eq < 0 ? pair : pair.substring(0, eq), "query option");
            query.put(name, eq < 0 ? "" : decode(url, pair.substring(eq + 1), "query option"));
        }
        return query;
    }

    private static String decode(String url, String text, String what) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(url, "bad %-escape in the " + what);
        }
    }
}
