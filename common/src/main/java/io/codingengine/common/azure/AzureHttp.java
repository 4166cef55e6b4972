package io.codingengine.common.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;

/**
 * The HTTP transport of every Azure SDK client the engine builds (Table and Blob Storage, the
 * Service Bus administration client): one OkHttp client, so its connection pool is shared.
 * OkHttp rather than the JDK's HttpClient: measured against Azurite it costs about half the
 * CPU per storage call (docs/reports/2026-12-01-saturation.md), and storage calls are the largest
 * share of the api's and the worker's CPU per submission.
 */
public final class AzureHttp {

    public static final HttpClient CLIENT = new OkHttpAsyncHttpClientBuilder().build();

    private AzureHttp() {}
}
