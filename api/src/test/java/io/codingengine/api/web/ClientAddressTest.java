package io.codingengine.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Which address a request counts as, with and without trusted proxies. */
@Tag("fast")
class ClientAddressTest {

    private static MockHttpServletRequest from(String peer, String... forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(peer);
        for (String value : forwardedFor) {
            request.addHeader("X-Forwarded-For", value);
        }
        return request;
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        ClientAddress peerOnly = new ClientAddress(0, "X-Forwarded-For");
        assertEquals("192.0.2.1", peerOnly.of(from("192.0.2.1", "203.0.113.9")));
        assertEquals("192.0.2.1", peerOnly.of(from("192.0.2.1")));
    }

    @Test
    void behindProxiesTheClientIsTheEntryTheOutermostOneAppended() {
        ClientAddress one = new ClientAddress(1, "X-Forwarded-For");
        assertEquals("203.0.113.9", one.of(from("10.0.0.2", "203.0.113.9")));
        assertEquals(
                "203.0.113.9",
                one.of(from("10.0.0.2", "6.6.6.6, 7.7.7.7,203.0.113.9")),
                "what the client wrote is further left");
        assertEquals(
                "203.0.113.9", one.of(from("10.0.0.2", "6.6.6.6", "203.0.113.9")), "header lines count as one list");
        ClientAddress two = new ClientAddress(2, "X-Forwarded-For");
        assertEquals("203.0.113.9", two.of(from("10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2")));
        assertEquals(
                "10.0.0.3",
                two.of(from("10.0.0.3", "203.0.113.9")),
                "too few entries: not through the proxies, the peer");
        assertEquals("10.0.0.2", one.of(from("10.0.0.2")));
        assertEquals("10.0.0.2", one.of(from("10.0.0.2", "unknown")), "not an address: the peer");
        assertEquals("10.0.0.2", one.of(from("10.0.0.2", "example.org")), "never a name (and never its lookup)");
        ClientAddress other = new ClientAddress(1, "X-Real-IP");
        MockHttpServletRequest real = from("10.0.0.2", "6.6.6.6");
        real.addHeader("X-Real-IP", "203.0.113.9");
        assertEquals("203.0.113.9", other.of(real), "the configured header only");
    }

    @Test
    void addressesAreCanonicalAndPortsDropped() {
        ClientAddress one = new ClientAddress(1, "X-Forwarded-For");
        assertEquals("203.0.113.9", one.of(from("10.0.0.2", "203.0.113.9:51234")));
        assertEquals("2001:db8:0:0:0:0:0:1", one.of(from("10.0.0.2", "[2001:DB8::1]:443")));
        assertEquals("2001:db8:0:0:0:0:0:1", one.of(from("10.0.0.2", "2001:db8::1")));
    }

    @Test
    void anIpv6AddressCountsAsItsSlash64() {
        assertEquals("2001:db8:1:2:0:0:0:0/64", ClientAddress.bucketOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals("2001:db8:1:2:0:0:0:0/64", ClientAddress.bucketOf("2001:db8:1:2::1"));
        assertEquals("203.0.113.9", ClientAddress.bucketOf("203.0.113.9"));
        assertEquals(
                "203.0.113.9", ClientAddress.bucketOf("::ffff:203.0.113.9"), "an IPv4-mapped address is the IPv4 one");
    }
}
