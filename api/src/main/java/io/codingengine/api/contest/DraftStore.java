package io.codingengine.api.contest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The code a participant is writing, one draft per contest, participant, problem and language, so
 * that it follows them to another browser or device and is nobody else's. Each save names the
 * revision it was based on: a save based on an older revision than the stored one (another tab or
 * device saved in between) is refused and answered with the stored draft, so the last save never
 * silently wins. Thread-safe; failures of the underlying storage surface as the storage client's
 * unchecked exceptions.
 */
public interface DraftStore {

    /** The most code a draft holds, in UTF-8 bytes (as Codeforces' source limit). */
    int MAX_BYTES = 64 * 1024;

    /**
     * A stored draft.
     *
     * @param problemId the problem
     * @param language  the language (a runtime's name, e.g. {@code c++})
     * @param code      the code, at most {@link #MAX_BYTES} in UTF-8
     * @param revision  1 for the first save, one more for each save after it
     * @param savedAt   when it was saved
     */
    record Draft(String problemId, String language, String code, long revision, Instant savedAt) {
        public Draft {
            Objects.requireNonNull(problemId, "problemId");
            Objects.requireNonNull(language, "language");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(savedAt, "savedAt");
        }

        /** What a save that finds no draft of that problem and language answers: revision 0, no code. */
        static Draft none(String problemId, String language) {
            return new Draft(problemId, language, "", 0, Instant.EPOCH);
        }
    }

    /** A draft with whose it is: what a move from one store to another copies. */
    record Owned(String contestId, String participant, Draft draft) {
        public Owned {
            Objects.requireNonNull(contestId, "contestId");
            Objects.requireNonNull(participant, "participant");
            Objects.requireNonNull(draft, "draft");
        }
    }

    /**
     * What a save did.
     *
     * @param saved whether the code was stored
     * @param draft the draft as stored now: the new one, or (not saved) the one that was in the way
     */
    record Saved(boolean saved, Draft draft) {}

    /**
     * The participant's drafts of one problem in a contest in {@code languages}: at most one per
     * language asked for, so a listing is never larger than {@code languages.size()} drafts of
     * {@link #MAX_BYTES}, whatever else the store holds. Ordered by language.
     */
    List<Draft> list(String contestId, String participant, String problemId, Collection<String> languages);

    /**
     * Stores {@code code} as the draft of that problem and language, as revision
     * {@code baseRevision + 1}, if the stored draft's revision is {@code baseRevision} (0: there
     * is none); otherwise stores nothing and answers the stored draft.
     *
     * @throws IllegalArgumentException when the code is longer than {@link #MAX_BYTES} in UTF-8
     */
    Saved save(String contestId, String participant, String problemId, String language, String code, long baseRevision);

    /**
     * The code as an adapter stores it: its UTF-8 bytes.
     *
     * @throws IllegalArgumentException when there are more than {@link #MAX_BYTES}
     */
    static byte[] utf8(String code) {
        byte[] bytes = code.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "a draft holds at most " + MAX_BYTES + " bytes of UTF-8, this one has " + bytes.length);
        }
        return bytes;
    }
}
