package io.codingengine.worker.session;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.sun.net.httpserver.HttpServer;
import io.codingengine.common.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * STAND-IN for Microsoft Entra ID, as a Container Apps replica reaches it: the managed identity
 * endpoint ({@code IDENTITY_ENDPOINT}, header {@code X-IDENTITY-HEADER}, App Service protocol
 * {@code api-version=2019-08-01}). Azure is not reachable from the tests, so this local endpoint
 * issues opaque random tokens for the requested resource and remembers them, so that
 * {@link DynamicSessionsGatewayStandIn} can accept exactly the tokens issued here.
 * {@link #credential()} is the client side of the same stand-in: azure-identity's own managed
 * identity client (MSAL) always goes to the real endpoints, whatever configuration it is given.
 */
final class EntraTokenEndpointStandIn implements AutoCloseable {

    static final String IDENTITY_HEADER = "stand-in-identity-header";
    private final HttpServer server;
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final Map<String, String> resourceOf = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    EntraTokenEndpointStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/msi/token", exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                String query = exchange.getRequestURI().getQuery();
                String resource = query == null
                        ? ""
                        : java.util.Arrays.stream(query.split("&"))
                                .filter(p -> p.startsWith("resource="))
                                .map(p -> java.net.URLDecoder.decode(p.substring(9), StandardCharsets.UTF_8))
                                .findFirst()
                                .orElse("");
                if (!IDENTITY_HEADER.equals(exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER"))
                        || resource.isEmpty()) {
                    send(exchange, 400, Map.of("error", "invalid_request"));
                    return;
                }
                String token = "stand-in-" + UUID.randomUUID();
                issued.add(token);
                resourceOf.put(token, resource);
                send(
                        exchange,
                        200,
                        Map.of(
                                "access_token",
                                token,
                                "token_type",
                                "Bearer",
                                "resource",
                                resource,
                                "expires_on",
                                String.valueOf(Instant.now().plusSeconds(3600).getEpochSecond())));
            }
        });
        server.start();
    }

    /** A {@link TokenCredential} that asks this endpoint, as the managed identity credential asks the real one. */
    TokenCredential credential() {
        HttpClient http = HttpClient.newHttpClient();
        return context -> Mono.fromCallable(() -> {
            String resource = context.getScopes().getFirst().replaceAll("/\\.default$", "");
            URI uri = URI.create(endpoint() + "?api-version=2019-08-01&resource="
                    + URLEncoder.encode(resource, StandardCharsets.UTF_8));
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri)
                            .header("X-IDENTITY-HEADER", IDENTITY_HEADER)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = Json.mapper().readTree(response.body());
            return new AccessToken(
                    json.get("access_token").asString(),
                    OffsetDateTime.ofInstant(
                            Instant.ofEpochSecond(
                                    Long.parseLong(json.get("expires_on").asString())),
                            ZoneOffset.UTC));
        });
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/msi/token";
    }

    /** True when {@code token} was issued here for {@code resource}. */
    boolean issuedFor(String token, String resource) {
        return issued.contains(token) && resource.equals(resourceOf.get(token).replaceAll("/\\.default$|/$", ""));
    }

    int requests() {
        return requests.get();
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, Object body) throws IOException {
        DynamicSessionsGatewayStandIn.send(exchange, status, Json.write(body));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
