package io.codingengine.common.store;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import io.codingengine.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/**
 * STAND-IN for Microsoft Entra ID as a managed identity's credential: Azure is not reachable from
 * the tests, so this {@link TokenCredential} mints, for the scope asked, a JWT with the claims
 * Azure Storage (and Azurite's {@code --oauth basic}) checks: issuer, audience, lifetime. It is not
 * signed by any real key; Azurite does not verify signatures. It records the scopes asked for.
 */
final class EntraJwtStandIn implements TokenCredential {

    private static final String TENANT = "00000000-0000-0000-0000-00000000c0de";
    private final List<String> scopes = new CopyOnWriteArrayList<>();
    private final String audienceOverride;

    /** Tokens for the audience of the scope asked, as Entra ID issues them. */
    EntraJwtStandIn() {
        this(null);
    }

    /** Tokens for {@code audience} whatever is asked: a token meant for another service. */
    EntraJwtStandIn(String audience) {
        this.audienceOverride = audience;
    }

    @Override
    public Mono<AccessToken> getToken(com.azure.core.credential.TokenRequestContext request) {
        scopes.addAll(request.getScopes());
        String audience = audienceOverride != null
                ? audienceOverride
                : request.getScopes().getFirst().replaceAll("/\\.default$", "");
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = Map.of(
                "aud",
                audience,
                "iss",
                "https://sts.windows.net/" + TENANT + "/",
                "tid",
                TENANT,
                "oid",
                "stand-in-identity",
                "iat",
                now - 60,
                "nbf",
                now - 60,
                "exp",
                now + 3600);
        String token = part(Map.of("alg", "RS256", "typ", "JWT")) + "." + part(claims) + ".c3RhbmQtaW4";
        return Mono.just(
                new AccessToken(token, OffsetDateTime.ofInstant(Instant.ofEpochSecond(now + 3600), ZoneOffset.UTC)));
    }

    List<String> scopesAsked() {
        return scopes;
    }

    private static String part(Map<String, Object> json) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Json.write(json).getBytes(StandardCharsets.UTF_8));
    }
}
