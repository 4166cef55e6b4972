package io.codingengine.worker.session;

import java.net.URI;
import java.util.Locale;

/** The worker's {@link TokenProvider} for its pool, from {@code coding-engine.worker.session-pool-auth}. */
public final class TokenProviders {

    /** Sends no {@code Authorization} header: only for a session container that checks none (docker-compose). */
    public static final TokenProvider NONE = () -> null;

    private TokenProviders() {}

    /**
     * {@code entra}: tokens from azure-identity for the Dynamic Sessions audience, as the identity
     * {@code clientId} (empty: the default credential chain). {@code none}: no token, which only
     * docker-compose's session container accepts; refused with the {@code azure} profile and for
     * an endpoint on Azure, where the pool would answer 401 to every request anyway.
     */
    public static TokenProvider forPool(String auth, String clientId, URI endpoint, boolean azureProfile) {
        return switch (auth) {
            case "entra" -> AzureIdentityTokenProvider.defaultCredential(clientId);
            case "none" -> {
                String host =
                        endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
                if (azureProfile || host.endsWith(".azurecontainerapps.io") || host.endsWith(".dynamicsessions.io")) {
                    throw new IllegalArgumentException(
                            "coding-engine.worker.session-pool-auth=none is for docker-compose's "
                                    + "session container only: a session pool on Azure needs a Microsoft Entra token "
                                    + "(the azure profile refuses it; endpoint " + endpoint + ")");
                }
                yield NONE;
            }
            default ->
                throw new IllegalArgumentException(
                        "coding-engine.worker.session-pool-auth must be entra or none: " + auth);
        };
    }
}
