package io.codingengine.api.access;

import io.codingengine.api.web.MatchedPath;
import io.codingengine.api.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces {@link AccessRules} before any controller runs: reads {@code Authorization: Bearer
 * <key>}, resolves it to a {@link Principal} (kept on the request for {@link CurrentPrincipal}),
 * and answers 401 (no or unknown key) or 403 (a role too low) as RFC 9457 problem details with
 * {@code WWW-Authenticate}. A key that is sent must be valid even on an open endpoint, so a
 * client learns at once that its key was revoked. A key scoped to a contest is refused (403) on
 * every endpoint that needs a key but {@link AccessRules#scopedKeyMay} the few it may call.
 */
public final class AccessFilter extends OncePerRequestFilter {

    static final String PRINCIPAL_ATTRIBUTE = Principal.class.getName();

    private final AccessRules rules;
    private final Authenticator authenticator;
    private final ProblemResponses problems;

    public AccessFilter(AccessRules rules, Authenticator authenticator, ProblemResponses problems) {
        this.rules = rules;
        this.authenticator = authenticator;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("OPTIONS".equals(request.getMethod())) {
            chain.doFilter(request, response); // CORS preflight: answered by the CORS filter, carries no key
            return;
        }
        // Not the raw URI: /api/v1/%61dmin/keys would reach the admin controller under the /api/** rule.
        PathContainer path = MatchedPath.of(request);
        Optional<Role> required = rules.required(request.getMethod(), path);
        String key = bearer(request.getHeader("Authorization"));
        Optional<Principal> principal = key == null ? Optional.empty() : authenticator.authenticate(key);
        if (key != null && principal.isEmpty()) {
            refuse(
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "Bearer error=\"invalid_token\"",
                    "the API key is unknown or revoked");
            return;
        }
        if (required.isPresent()) {
            if (principal.isEmpty()) {
                refuse(
                        response,
                        HttpStatus.UNAUTHORIZED,
                        "Bearer",
                        "this endpoint needs an API key: Authorization: Bearer <key>");
                return;
            }
            if (!principal.get().role().includes(required.get())) {
                refuse(
                        response,
                        HttpStatus.FORBIDDEN,
                        "Bearer error=\"insufficient_scope\"",
                        "this endpoint needs the " + required.get().name().toLowerCase() + " role; the key has "
                                + principal.get().role().name().toLowerCase());
                return;
            }
            String contest = principal.get().contestId();
            if (contest != null && !rules.scopedKeyMay(request.getMethod(), path)) {
                refuse(
                        response,
                        HttpStatus.FORBIDDEN,
                        "Bearer error=\"insufficient_scope\"",
                        "this key was issued by the entry to contest " + contest + " and acts only in it: submit at "
                                + "POST /api/v1/contests/" + contest + "/submissions; it may not call "
                                + request.getMethod() + " " + path.value());
                return;
            }
        }
        principal.ifPresent(p -> request.setAttribute(PRINCIPAL_ATTRIBUTE, p));
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletResponse response, HttpStatus status, String challenge, String detail)
            throws IOException {
        response.setHeader(
                "WWW-Authenticate", challenge + (challenge.contains("error") ? "" : " realm=\"coding-engine\""));
        problems.write(response, status, status == HttpStatus.UNAUTHORIZED ? "Unauthorized" : "Forbidden", detail);
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String key = header.substring(7).trim();
        return key.isEmpty() ? null : key;
    }
}
