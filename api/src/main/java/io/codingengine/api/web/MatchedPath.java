package io.codingengine.api.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;

/**
 * The path of a request as Spring MVC matches handlers against it: within the application,
 * segments percent-decoded and without {@code ;parameters}. Filters that decide by path use it
 * with {@link org.springframework.web.util.pattern.PathPattern}s, never the raw URI, so that
 * {@code /api/v1/%61dmin/keys} is {@code /api/v1/admin/keys} to them as it is to the controller.
 */
public final class MatchedPath {

    private MatchedPath() {}

    public static PathContainer of(HttpServletRequest request) {
        return RequestPath.parse(request.getRequestURI(), request.getContextPath())
                .pathWithinApplication();
    }
}
