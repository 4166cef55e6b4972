package io.codingengine.worker.session;

/**
 * Bearer tokens for the Dynamic Sessions pool management API (audience
 * {@code https://dynamicsessions.io}). Production: {@link AzureIdentityTokenProvider}.
 */
public interface TokenProvider {

    /**
     * A token valid for at least the next minute; implementations cache and refresh. Null only
     * from {@link TokenProviders#NONE}: no {@code Authorization} header at all.
     */
    String token();
}
