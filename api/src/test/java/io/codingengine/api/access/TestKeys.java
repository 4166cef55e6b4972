package io.codingengine.api.access;

/**
 * The bootstrap admin key of the tests: the api under test is started with
 * {@code coding-engine.access.admin-key-sha256=}{@link #ADMIN_SHA256}, exactly as a deployment is.
 */
public final class TestKeys {

    public static final String ADMIN = "ce_test-admin-key-for-the-suite-only";
    public static final String ADMIN_SHA256 = Authenticator.sha256(ADMIN);

    private TestKeys() {}

    /** The {@code Authorization} header value for {@code key}. */
    public static String bearer(String key) {
        return "Bearer " + key;
    }
}
