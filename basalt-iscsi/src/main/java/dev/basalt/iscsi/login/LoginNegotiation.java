package dev.basalt.iscsi.login;

import static java.util.Objects.requireNonNull;

import dev.basalt.iscsi.ChapCredentials;
import dev.basalt.iscsi.Export;
import dev.basalt.iscsi.Iqn;
import dev.basalt.iscsi.TargetConfig;
import dev.basalt.iscsi.pdu.TextParameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.function.Predicate;

/**
 * The login phase of one connection (RFC 7143 sections 6 and 12): the first request names the
 * initiator and the target; the security stage runs CHAP when the export asks for it (None is
 * refused then); the operational stage negotiates the session's parameters. Each request gets one
 * response; a {@link LoginFailure} ends the login with its status.
 *
 * <p>Discovery sessions need no authentication to list exports that have none themselves; an
 * initiator that authenticates with an export's CHAP credentials also sees every export those
 * credentials open. So an export with CHAP is never listed to anyone who lacks its secret.
 */
public final class LoginNegotiation {
    private enum Auth { NOT_STARTED, AWAIT_ALGORITHM, AWAIT_RESPONSE, DONE }

    private static final int VERSION = 0x00;

    private final TargetConfig config;
    private final TargetDirectory directory;
    private final KeyNegotiator keys;
    private LoginRequest first;
    private int stage;
    private boolean discovery;
    private String initiatorName;
    private Export export;
    private Predicate<Export> visible = e -> false;
    private boolean authRequired;
    private Auth auth = Auth.NOT_STARTED;
    private boolean declared;
    private boolean portalGroupSent;
    private Chap.Algorithm algorithm;
    private int chapId;
    private byte[] challenge;
    private boolean complete;

    public LoginNegotiation(TargetConfig config, TargetDirectory directory) {
        this.config = requireNonNull(config, "config");
        this.directory = requireNonNull(directory, "directory");
        this.keys = new KeyNegotiator(config);
    }

    /** Answers one (complete, continuation-joined) login request. */
    public LoginResponse process(LoginRequest request, SequencedMap<String, String> text) throws LoginFailure {
        if (complete) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "login request after login completed");
        }
        if (first == null) {
            start(request, text);
        } else if (request.isid() != first.isid() || request.tsih() != first.tsih()
                || request.connectionId() != first.connectionId()) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "ISID, TSIH or CID changed during login");
        }
        int csg = request.currentStage();
        if (csg != stage) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "login request for stage " + csg + ", expected " + stage);
        }
        if (request.transit() && (request.nextStage() <= csg || request.nextStage() == 2)) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "invalid stage transition " + csg + " -> " + request.nextStage());
        }
        Map<String, String> answers = new LinkedHashMap<>();
        Map<String, String> security = new LinkedHashMap<>();
        for (Map.Entry<String, String> pair : text.entrySet()) {
            String key = pair.getKey();
            String value = pair.getValue();
            switch (key) {
                case "InitiatorName", "InitiatorAlias", "TargetName", "SessionType" -> {
                    // session keys: read from the first request
                }
                case "AuthMethod", "CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N", "CHAP_R" -> {
                    if (csg != LoginRequest.SECURITY) {
                        throw new LoginFailure(LoginStatus.INITIATOR_ERROR, key + " outside the security stage");
                    }
                    security.put(key, value);
                }
                case "TargetAlias", "TargetAddress", "TargetPortalGroupTag", "SendTargets" -> answers.put(key, KeyNegotiator.REJECT);
                default -> {
                    if (KeyNegotiator.isOperational(key)) {
                        keys.negotiate(key, value, answers);
                    } else {
                        answers.put(key, KeyNegotiator.NOT_UNDERSTOOD);
                    }
                }
            }
        }
        if (csg == LoginRequest.SECURITY) {
            authenticate(security, answers);
        } else if (auth != Auth.DONE) {
            if (authRequired) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "CHAP required but the initiator skipped security negotiation");
            }
            if (auth != Auth.NOT_STARTED) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CHAP left unfinished");
            }
            auth = Auth.DONE;
            visibleWithoutAuthentication();
        }
        if (!discovery && !portalGroupSent) {
            answers.put("TargetPortalGroupTag", Integer.toString(config.portalGroupTag()));
            portalGroupSent = true;
        }
        if (csg == LoginRequest.OPERATIONAL && !declared) {
            keys.declare(answers);
            declared = true;
        }
        boolean transit = request.transit() && auth == Auth.DONE;
        if (transit) {
            stage = request.nextStage();
            complete = stage == LoginRequest.FULL_FEATURE;
        }
        return new LoginResponse(LoginStatus.SUCCESS, transit, csg, transit ? request.nextStage() : 0, answers, complete);
    }

    /** The finished login; only after a response with {@code complete} set. */
    public LoginResult result() {
        if (!complete) {
            throw new IllegalStateException("login not complete");
        }
        return new LoginResult(discovery, initiatorName, first.isid(), export, visible, keys.result());
    }

    /** The initiator name from the first request, or null before it. */
    public String initiatorName() {
        return initiatorName;
    }

    private void start(LoginRequest request, Map<String, String> text) throws LoginFailure {
        if (request.versionMin() > VERSION) {
            throw new LoginFailure(LoginStatus.UNSUPPORTED_VERSION, "initiator needs iSCSI version " + request.versionMin());
        }
        if (request.currentStage() != LoginRequest.SECURITY && request.currentStage() != LoginRequest.OPERATIONAL) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "first login request in stage " + request.currentStage());
        }
        String name = text.get("InitiatorName");
        if (name == null || name.isEmpty()) {
            throw new LoginFailure(LoginStatus.MISSING_PARAMETER, "no InitiatorName");
        }
        if (name.length() > Iqn.MAX_LENGTH) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "InitiatorName too long");
        }
        initiatorName = Iqn.normalize(name);
        String type = text.getOrDefault("SessionType", "Normal");
        switch (type) {
            case "Normal" -> {
                String target = text.get("TargetName");
                if (target == null || target.isEmpty()) {
                    throw new LoginFailure(LoginStatus.MISSING_PARAMETER, "no TargetName");
                }
                Optional<Export> found = directory.find(Iqn.normalize(target));
                if (found.isEmpty()) {
                    throw new LoginFailure(LoginStatus.NOT_FOUND, "no export " + target);
                }
                export = found.get();
                if (!export.admits(initiatorName)) {
                    throw new LoginFailure(LoginStatus.AUTHORIZATION_FAILURE, initiatorName + " may not log in to " + target);
                }
                authRequired = export.chap().isPresent();
            }
            case "Discovery" -> discovery = true;
            default -> throw new LoginFailure(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "session type " + type);
        }
        first = request;
        stage = request.currentStage();
    }

    private void authenticate(Map<String, String> security, Map<String, String> answers) throws LoginFailure {
        if (auth == Auth.DONE) {
            if (!security.isEmpty()) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "security keys after authentication finished");
            }
            return;
        }
        if (auth == Auth.NOT_STARTED) {
            String methods = security.get("AuthMethod");
            if (methods == null) {
                if (authRequired) {
                    throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "no AuthMethod offered; CHAP required");
                }
                if (!security.isEmpty()) {
                    throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CHAP keys without AuthMethod");
                }
                return;
            }
            String chosen = chooseMethod(TextParameters.list(methods));
            if (chosen == null) {
                answers.put("AuthMethod", KeyNegotiator.REJECT);
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                        "AuthMethod=" + methods + " offered; " + (authRequired ? "CHAP" : "None") + " required");
            }
            answers.put("AuthMethod", chosen);
            if (chosen.equals("None")) {
                auth = Auth.DONE;
                visibleWithoutAuthentication();
                return;
            }
            auth = Auth.AWAIT_ALGORITHM;
            security.remove("AuthMethod");
            if (security.isEmpty()) {
                return;
            }
        }
        if (auth == Auth.AWAIT_ALGORITHM) {
            String offered = security.get("CHAP_A");
            if (offered == null) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "CHAP without CHAP_A");
            }
            Optional<Chap.Algorithm> chosen = Chap.Algorithm.firstSupported(TextParameters.list(offered));
            if (chosen.isEmpty()) {
                answers.put("CHAP_A", KeyNegotiator.REJECT);
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "no supported CHAP algorithm in " + offered);
            }
            algorithm = chosen.get();
            chapId = Chap.newIdentifier();
            challenge = Chap.newChallenge(algorithm);
            answers.put("CHAP_A", Integer.toString(algorithm.number()));
            answers.put("CHAP_I", Integer.toString(chapId));
            answers.put("CHAP_C", Chap.encode(challenge));
            auth = Auth.AWAIT_RESPONSE;
            return;
        }
        verifyResponse(security, answers);
        auth = Auth.DONE;
    }

    private String chooseMethod(List<String> offered) {
        for (String method : offered) {
            boolean acceptable = switch (method) {
                case "CHAP" -> discovery || authRequired;
                case "None" -> discovery || !authRequired;
                default -> false;
            };
            if (acceptable) {
                return method;
            }
        }
        return null;
    }

    private void verifyResponse(Map<String, String> security, Map<String, String> answers) throws LoginFailure {
        String user = security.get("CHAP_N");
        String response = security.get("CHAP_R");
        if (user == null || response == null) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "CHAP_N or CHAP_R missing");
        }
        byte[] received;
        try {
            received = Chap.decode(response);
        } catch (IllegalArgumentException e) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "malformed CHAP_R");
        }
        List<Export> authenticated = new ArrayList<>();
        for (Export candidate : discovery ? directory.all() : List.of(export)) {
            Optional<ChapCredentials> credentials = candidate.chap();
            if (credentials.isPresent() && credentials.get().user().equals(user) && candidate.admits(initiatorName)
                    && Chap.matches(Chap.response(algorithm, chapId, credentials.get().secretBytes(), challenge), received)) {
                authenticated.add(candidate);
            }
        }
        if (authenticated.isEmpty()) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "CHAP response from " + user + " does not match");
        }
        if (discovery) {
            // the exports these credentials open, and the ones that need none
            ChapCredentials proven = authenticated.getFirst().chap().orElseThrow();
            String name = initiatorName;
            visible = e -> e.admits(name) && (e.chap().isEmpty() || e.chap().get().equals(proven));
        }
        String mutualId = security.get("CHAP_I");
        String mutualChallenge = security.get("CHAP_C");
        if (mutualId == null && mutualChallenge == null) {
            return;
        }
        if (mutualId == null || mutualChallenge == null) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "mutual CHAP needs both CHAP_I and CHAP_C");
        }
        Integer id = KeyNegotiator.parse(mutualId, 0, 255);
        byte[] theirChallenge;
        try {
            theirChallenge = Chap.decode(mutualChallenge);
        } catch (IllegalArgumentException e) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "malformed CHAP_C");
        }
        if (id == null || Arrays.equals(theirChallenge, challenge)) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "invalid or reflected mutual CHAP challenge");
        }
        Optional<ChapCredentials> target = authenticated.stream()
                .map(Export::mutualChap).flatMap(Optional::stream).findFirst();
        if (target.isEmpty()) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "mutual CHAP asked but no target credentials configured");
        }
        answers.put("CHAP_N", target.get().user());
        answers.put("CHAP_R", Chap.encode(Chap.response(algorithm, id, target.get().secretBytes(), theirChallenge)));
    }

    private void visibleWithoutAuthentication() {
        String name = initiatorName;
        visible = e -> e.chap().isEmpty() && e.admits(name);
    }
}
