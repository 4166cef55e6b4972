package io.codingengine.api.access;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import java.util.Optional;

/**
 * Who is calling: the principal of the request's {@code Authorization: Bearer <key>}. The one
 * place endpoints learn the caller from (a participant's own submissions, contest entry, admin
 * screens), so that global enforcement can be put in front of it without touching them.
 */
@Component
public class Callers {

    private static final String BEARER = "Bearer ";

    private final ApiKeyStore keys;

    public Callers(ApiKeyStore keys) {
        this.keys = keys;
    }

    /** The caller's principal, or empty without a key or with an unknown one. */
    public Optional<Principal> current(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return keys.authenticate(header.substring(BEARER.length()).trim());
    }

    /**
     * The caller, who must hold at least {@code role}.
     *
     * @throws ResponseStatusException 401 without a valid key, 403 with a key of a lesser role
     */
    public Principal require(HttpServletRequest request, Role role) {
        Principal caller = current(request).orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED,
                "an API key is required: send it as Authorization: Bearer <key>"));
        if (!caller.role().includes(role)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "this needs the " + role + " role");
        }
        return caller;
    }
}
