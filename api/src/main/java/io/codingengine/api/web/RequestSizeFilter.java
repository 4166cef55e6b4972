package io.codingengine.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * 413 for a judge API body whose declared length is over {@code coding-engine.max-request-size},
 * before it is read (the Piston endpoints count bytes as they read, in {@link JsonBodyReader}).
 * Problem imports are exempt: a Kattis package with its test data is larger, and only admins send them.
 */
public final class RequestSizeFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final ProblemResponses problems;

    public RequestSizeFilter(long maxBytes, ProblemResponses problems) {
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    private static final PathPattern JUDGE_API = PathPatternParser.defaultInstance.parse("/api/v1/**");
    private static final PathPattern PROBLEM_IMPORT = PathPatternParser.defaultInstance.parse("/api/v1/problems/*");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        PathContainer path = MatchedPath.of(request); // as the controllers see it: /api/%761/... is /api/v1/...
        return !JUDGE_API.matches(path) || "PUT".equals(request.getMethod()) && PROBLEM_IMPORT.matches(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "Content too large",
                    "request body must not exceed " + maxBytes + " bytes");
            return;
        }
        chain.doFilter(request, response);
    }
}
