package io.codingengine.common.store;

/**
 * Which technology holds the stores (submissions, problems, contests, audit, API keys, rate
 * limits), as the setting {@code coding-engine.store} of the api and of the worker names it:
 * {@code postgres} (one machine, or any PostgreSQL; the default) or {@code azure} (Table and Blob
 * Storage, set by the {@code azure} profile).
 */
public enum StoreKind {
    POSTGRES,
    AZURE
}
