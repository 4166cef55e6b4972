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
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

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
    private final AtomicReference<Predicate<HttpRequest>> armed = new AtomicReference<>();
    private final AtomicInteger lost = new AtomicInteger();

    public LostResponses(HttpPipelinePosition position) {
        this.position = position;
    }

    /** A table service client on {@code connectionString} whose requests go through {@code policy}. */
    public static TableServiceClient tables(String connectionString, LostResponses policy) {
        return new TableServiceClientBuilder().connectionString(connectionString).httpClient(AzureHttp.CLIENT)
                .addPolicy(policy).buildClient();
    }

    /** The next request that {@code which} accepts loses its response; the ones after it do not. */
    public void loseNext(Predicate<HttpRequest> which) {
        armed.set(which);
    }

    /** How many responses were lost so far. */
    public int lost() {
        return lost.get();
    }

    /** Requests to change a table row (insert, replace, merge, delete) whose URL contains {@code text}. */
    public static Predicate<HttpRequest> writesTo(String text) {
        return request -> !request.getHttpMethod().name().equals("GET") && request.getUrl().toString().contains(text);
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
        Predicate<HttpRequest> which = armed.get();
        if (which != null && which.test(request) && armed.compareAndSet(which, null)) {
            lost.incrementAndGet();
            response.close();
            throw new UncheckedIOException(new IOException("injected: the connection dropped after "
                    + request.getHttpMethod() + " " + request.getUrl() + " was answered " + response.getStatusCode()));
        }
    }
}
