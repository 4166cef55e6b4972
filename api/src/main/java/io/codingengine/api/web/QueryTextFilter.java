package io.codingengine.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a query string that does not decode, or that decodes to control characters, with 400:
 * no parameter of this API holds them, PostgreSQL's text refuses NUL and Table Storage's keys
 * refuse every control character, so without this check a {@code %00} in a filter reached the
 * store and came back as a 500.
 */
public final class QueryTextFilter extends OncePerRequestFilter {

    private final ProblemResponses problems;

    public QueryTextFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null) {
            String decoded;
            try {
                decoded = URLDecoder.decode(query, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                problems.write(
                        response,
                        HttpStatus.BAD_REQUEST,
                        "Bad Request",
                        "the query string is not well formed: " + e.getMessage());
                return;
            }
            if (decoded.chars().anyMatch(Character::isISOControl)) {
                problems.write(
                        response,
                        HttpStatus.BAD_REQUEST,
                        "Bad Request",
                        "query parameters must not contain control characters");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
