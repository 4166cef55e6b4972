package io.codingengine.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;

/**
 * The address a request comes from, for the limits on callers without a key (contest entries,
 * open Piston executes) and for their audit entries.
 *
 * <p>By default ({@code access.trusted-proxies=0}) it is the connection's peer and every
 * forwarding header is ignored: a client can write any {@code X-Forwarded-For} it likes, so
 * reading one that no proxy of ours vouches for would let it pick a fresh address, and a fresh
 * rate-limit bucket, for every request. Behind {@code n} reverse proxies that each append the
 * address they were reached from to {@code access.client-address-header} (Azure Container Apps'
 * ingress appends the client's to {@code X-Forwarded-For}), the client is the {@code n}-th
 * address from the header's right end: what the outermost proxy saw. Whatever a client sent in
 * the header itself is further left and never read. A request whose header has fewer addresses
 * than that, or a malformed one there, did not come through the proxies as configured and counts
 * as its peer. Spring's own {@code server.forward-headers-strategy} stays {@code none}
 * (application.properties): its {@code framework} strategy takes the leftmost address, the
 * client's own claim.
 */
public final class ClientAddress {

    private final int trustedProxies;
    private final String header;

    public ClientAddress(int trustedProxies, String header) {
        if (trustedProxies < 0) {
            throw new IllegalArgumentException("trusted proxies must not be negative");
        }
        this.trustedProxies = trustedProxies;
        this.header = header;
    }

    /** The client's address, canonical (an IP literal as the JDK writes it) when it came from the header. */
    public String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (trustedProxies == 0) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        Enumeration<String> values = request.getHeaders(header);
        while (values != null && values.hasMoreElements()) {
            Arrays.stream(values.nextElement().split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .forEach(hops::add);
        }
        if (hops.size() < trustedProxies) {
            return peer;
        }
        InetAddress client = literal(hops.get(hops.size() - trustedProxies));
        return client == null ? peer : client.getHostAddress();
    }

    /**
     * The rate-limit bucket of an address: an IPv4 address is its own, an IPv6 address shares its
     * /64 network's (one host commonly holds a whole /64, so single IPv6 addresses cost nothing).
     */
    public static String bucketOf(String address) {
        InetAddress parsed = literal(address);
        if (parsed instanceof Inet6Address) {
            byte[] network = Arrays.copyOf(parsed.getAddress(), 16);
            Arrays.fill(network, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("16 bytes are an IPv6 address", e);
            }
        }
        return parsed == null ? address : parsed.getHostAddress();
    }

    /** An IP literal, also as {@code [v6]:port} or {@code v4:port} (as some proxies write them); null if it is none. */
    private static InetAddress literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        String s = text;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                return null;
            }
            s = s.substring(1, end);
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':') && s.indexOf('.') >= 0) {
            s = s.substring(0, s.indexOf(':')); // 203.0.113.7:51234
        }
        try {
            return InetAddress.ofLiteral(s); // never a name lookup
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
