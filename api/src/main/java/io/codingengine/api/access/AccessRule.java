package io.codingengine.api.access;

import java.util.Optional;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * One line of the access table: requests with this method (any when {@code null}) on paths
 * matching {@code pattern} ({@code *} one segment, {@code **} any at the end) need {@code role},
 * or no key at all when {@code role} is {@code null}. The pattern is a {@link PathPattern}, the
 * kind Spring MVC maps controllers with, so a path is matched as MVC matches it (segments
 * percent-decoded, {@code ;parameters} ignored) and no spelling of an admin path escapes its rule.
 */
public record AccessRule(String method, PathPattern pattern, Role role) {

    public static AccessRule open(String method, String pattern) {
        return new AccessRule(method, PathPatternParser.defaultInstance.parse(pattern), null);
    }

    public static AccessRule requires(Role role, String method, String pattern) {
        return new AccessRule(method, PathPatternParser.defaultInstance.parse(pattern), role);
    }

    boolean matches(String requestMethod, PathContainer path) {
        return (method == null || method.equalsIgnoreCase(requestMethod)) && pattern.matches(path);
    }

    /** The role needed, or empty for an open endpoint. */
    public Optional<Role> required() {
        return Optional.ofNullable(role);
    }
}
