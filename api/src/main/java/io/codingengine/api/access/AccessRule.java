package io.codingengine.api.access;

import org.springframework.util.AntPathMatcher;

import java.util.Optional;

/**
 * One line of the access table: requests with this method (any when {@code null}) on paths
 * matching {@code pattern} (Ant style, {@code *} one segment, {@code **} any) need {@code role},
 * or no key at all when {@code role} is {@code null}.
 */
public record AccessRule(String method, String pattern, Role role) {

    private static final AntPathMatcher PATHS = new AntPathMatcher();

    public static AccessRule open(String method, String pattern) {
        return new AccessRule(method, pattern, null);
    }

    public static AccessRule requires(Role role, String method, String pattern) {
        return new AccessRule(method, pattern, role);
    }

    boolean matches(String requestMethod, String path) {
        return (method == null || method.equalsIgnoreCase(requestMethod)) && PATHS.match(pattern, path);
    }

    /** The role needed, or empty for an open endpoint. */
    public Optional<Role> required() {
        return Optional.ofNullable(role);
    }
}
