package io.codingengine.api.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.server.PathContainer;

/**
 * The whole access table of the api, first match wins. Rules are by path pattern, so endpoints
 * added later under a covered prefix ({@code /api/v1/admin/**}, {@code /api/**}) are protected
 * without touching this class; anything outside {@code /api/**} and {@code /actuator/**}
 * (the UI's pages and assets, {@code GET /}, {@code /health/*}) is open.
 */
public final class AccessRules {

    private final List<AccessRule> rules;

    public AccessRules(List<AccessRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * What a key scoped to a contest (issued by its entry) may call beyond the open endpoints: the
     * contest endpoints, where {@code ContestController} lets it act only in its own contest; the
     * poll and the listing of submissions, which {@code SubmissionController} limits to that
     * contest's; and Piston runs, which judge nothing and store nothing in any contest (the
     * contest UI's Run). Only the paths and methods are read, not the roles. Everything else (the free judge API's submit and batch, problems,
     * anything added later) is refused, so such a key cannot submit outside its contest.
     */
    private static final List<AccessRule> SCOPED = List.of(
            AccessRule.requires(Role.PARTICIPANT, null, "/api/v1/contests/**"),
            AccessRule.requires(Role.PARTICIPANT, "GET", "/api/v1/submissions"),
            AccessRule.requires(Role.PARTICIPANT, "GET", "/api/v1/submissions/*"),
            AccessRule.requires(Role.PARTICIPANT, null, "/api/v2/**"));

    /** The deployment's table; {@code pistonOpen} decides whether {@code /api/v2/**} needs a key. */
    public static AccessRules standard(boolean pistonOpen) {
        List<AccessRule> r = new ArrayList<>();
        // A contestant's first call: it issues their participant key, so it cannot require one.
        r.add(AccessRule.open("POST", "/api/v1/contests/*/entries"));
        // Signing in again to an open contest's account: it issues a new key, so it cannot require one.
        r.add(AccessRule.open("POST", "/api/v1/contests/*/sessions"));
        // The UI's home page: which contests exist, what one is about, and its scoreboard.
        r.add(AccessRule.open("GET", "/api/v1/contests"));
        r.add(AccessRule.open("GET", "/api/v1/contests/*"));
        r.add(AccessRule.open("GET", "/api/v1/contests/*/scoreboard"));
        // The pictures of its statements, which ContestController serves once it has started.
        r.add(AccessRule.open("GET", "/api/v1/contests/*/problems/*/statement/*"));
        r.add(AccessRule.requires(Role.ADMIN, null, "/api/v1/admin/**"));
        r.add(AccessRule.requires(Role.ADMIN, "PUT", "/api/v1/problems/**"));
        r.add(AccessRule.requires(Role.ADMIN, "DELETE", "/api/v1/problems/**"));
        r.add(AccessRule.requires(Role.ADMIN, null, "/api/v1/problems/*/regrade"));
        r.add(AccessRule.requires(Role.ADMIN, null, "/api/v1/problems/*/regrades/**"));
        r.add(AccessRule.open("GET", "/actuator/health/**"));
        // Metrics are scraped by a monitoring system holding a service key.
        r.add(AccessRule.requires(Role.SERVICE, null, "/actuator/**"));
        r.add(
                pistonOpen
                        ? AccessRule.open(null, "/api/v2/**")
                        : AccessRule.requires(Role.PARTICIPANT, null, "/api/v2/**"));
        r.add(AccessRule.requires(Role.PARTICIPANT, null, "/api/**"));
        r.add(AccessRule.open(null, "/**"));
        return new AccessRules(r);
    }

    /** The role {@code method path} needs, or empty when it is open; {@code path} as Spring MVC parses it. */
    public Optional<Role> required(String method, PathContainer path) {
        return rules.stream()
                .filter(rule -> rule.matches(method, path))
                .findFirst()
                .flatMap(AccessRule::required);
    }

    /**
     * Whether a contest-scoped key may call {@code method path}, an endpoint that needs a key;
     * {@code path} as Spring MVC parses it.
     */
    public boolean scopedKeyMay(String method, PathContainer path) {
        return SCOPED.stream().anyMatch(rule -> rule.matches(method, path));
    }

    public List<AccessRule> rules() {
        return rules;
    }
}
