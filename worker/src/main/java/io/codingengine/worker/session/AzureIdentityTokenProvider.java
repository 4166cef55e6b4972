package io.codingengine.worker.session;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.codingengine.common.azure.AzureCredentials;
import java.time.Clock;
import java.time.Duration;

/**
 * Tokens from azure-identity: on Azure the worker's managed identity, elsewhere whatever
 * {@code DefaultAzureCredential} finds (environment, Azure CLI login). Never a key in config.
 * Tokens are cached until shortly before they expire, so a judging never waits on Entra ID.
 */
public final class AzureIdentityTokenProvider implements TokenProvider {

    /** The Dynamic Sessions audience, as a scope. */
    public static final String SCOPE = "https://dynamicsessions.io/.default";

    private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);

    private final TokenCredential credential;
    private final TokenRequestContext request = new TokenRequestContext().addScopes(SCOPE);
    private final Clock clock;
    private AccessToken cached;

    public AzureIdentityTokenProvider(TokenCredential credential, Clock clock) {
        this.credential = credential;
        this.clock = clock;
    }

    /** With {@code DefaultAzureCredential}; {@code clientId} picks a user-assigned identity (empty: the default one). */
    public static AzureIdentityTokenProvider defaultCredential(String clientId) {
        return new AzureIdentityTokenProvider(AzureCredentials.defaultCredential(clientId), Clock.systemUTC());
    }

    @Override
    public synchronized String token() {
        if (cached == null
                || cached.getExpiresAt()
                        .toInstant()
                        .minus(REFRESH_BEFORE_EXPIRY)
                        .isBefore(clock.instant())) {
            cached = credential.getTokenSync(request);
        }
        return cached.getToken();
    }
}
