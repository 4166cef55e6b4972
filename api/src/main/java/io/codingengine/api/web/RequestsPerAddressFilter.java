package io.codingengine.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most {@code coding-engine.limits.requests-per-address} requests of one client address in
 * progress at once; one more is {@code 429} at once and its connection closed. Requests are cheap
 * on virtual threads, but the container's connections are not: without this, one client opening
 * slow requests (a body trickled byte by byte) could hold every connection until its requests time
 * out. The address is {@link ClientAddress}'s, so behind trusted proxies it is the client's.
 */
public final class RequestsPerAddressFilter extends OncePerRequestFilter {

    private final int limit;
    private final ClientAddress addresses;
    private final ConcurrentHashMap<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

    public RequestsPerAddressFilter(int limit, ClientAddress addresses) {
        this.limit = limit;
        this.addresses = addresses;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = addresses.of(request);
        AtomicInteger count = inProgress.compute(address, (a, c) -> {
            AtomicInteger counter = c != null ? c : new AtomicInteger();
            counter.incrementAndGet();
            return counter;
        });
        try {
            if (count.get() > limit) {
                response.setStatus(429);
                response.setHeader(HttpHeaders.RETRY_AFTER, "1");
                response.setHeader(HttpHeaders.CONNECTION, "close");
                response.setContentType("application/json");
                response.getOutputStream()
                        .write(("{\"message\":\"too many requests in progress from this address" + " (at most " + limit
                                        + ")\"}")
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            chain.doFilter(request, response);
        } finally {
            // the entry goes once its last request ends, so the map holds only addresses in progress
            inProgress.computeIfPresent(address, (a, c) -> c.decrementAndGet() == 0 ? null : c);
        }
    }

    /** Requests of {@code address} in progress now. */
    int inProgress(String address) {
        AtomicInteger count = inProgress.get(address);
        return count == null ? 0 : count.get();
    }
}
