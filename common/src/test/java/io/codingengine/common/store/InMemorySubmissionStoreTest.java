package io.codingengine.common.store;

import org.junit.jupiter.api.Tag;

/** {@link SubmissionStoreContract} against {@link InMemorySubmissionStore}, the fast tier's store. */
@Tag("fast")
class InMemorySubmissionStoreTest extends SubmissionStoreContract {

    private final InMemorySubmissionStore store = new InMemorySubmissionStore();

    @Override
    protected SubmissionStore store() {
        return store;
    }
}
