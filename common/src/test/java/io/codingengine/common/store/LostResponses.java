package io.codingengine.common.store;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import io.codingengine.common.azure.AzureHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/**
 * A fault of the network, injected into an Azure SDK client's pipeline: a request that
 * {@link #loseNext armed} it reaches the storage service, which applies it, and then its response
 * is lost (the connection dropped after the service answered). Where the policy sits decides what
 * the caller sees: {@link HttpPipelinePosition#PER_CALL}, before the SDK's retry policy, and the
 * caller gets the failure; {@link HttpPipelinePosition#PER_RETRY}, after it, and the SDK sends the
 * same request again, which meets the state that the lost one made.
 */
public final class LostResponses implements HttpPipelinePolicy {

    private final HttpPipelinePosition position;
    private final AtomicReference<Armed> armed = new AtomicReference<>();
    private final AtomicInteger lost = new AtomicInteger();

    public LostResponses(HttpPipelinePosition position) {
        this.position = position;
    }

    /** A table service client on {@code connectionString} whose requests go through {@code policy}. */
    public static TableServiceClient tables(String connectionString, LostResponses policy) {
        return new TableServiceClientBuilder()
                .connectionString(connectionString)
                .httpClient(AzureHttp.CLIENT)
                .addPolicy(policy)
                .buildClient();
    }

    private record Armed(Predicate<HttpRequest> which, Runnable meanwhile) {}

    /** The next request that {@code which} accepts loses its response; the ones after it do not. */
    public void loseNext(Predicate<HttpRequest> which) {
        loseNext(which, () -> {});
    }

    /**
     * As {@link #loseNext(Predicate)}, and {@code meanwhile} runs after that request was applied,
     * before its caller hears of the failure: what another process did in between.
     */
    public void loseNext(Predicate<HttpRequest> which, Runnable meanwhile) {
        armed.set(new Armed(which, meanwhile));
    }

    /** The body of a request to the table service (JSON, held in memory), or empty. */
    public static String body(HttpRequest request) {
        return request.getBodyAsBinaryData() == null
                ? ""
                : request.getBodyAsBinaryData().toString();
    }

    /** How many responses were lost so far. */
    public int lost() {
        return lost.get();
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
        return position;
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        HttpResponse response = next.processSync();
        loseIfArmed(context.getHttpRequest(), response);
        return response;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return next.process().map(response -> {
            loseIfArmed(context.getHttpRequest(), response);
            return response;
        });
    }

    private void loseIfArmed(HttpRequest request, HttpResponse response) {
        Armed next = armed.get();
        if (next != null && next.which().test(request) && armed.compareAndSet(next, null)) {
            lost.incrementAndGet();
            response.close();
            next.meanwhile().run();
            throw new UncheckedIOException(new IOException("injected: the connection dropped after "
                    + request.getHttpMethod() + " " + request.getUrl() + " was answered " + response.getStatusCode()));
        }
    }
}
