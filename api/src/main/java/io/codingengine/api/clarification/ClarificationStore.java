package io.codingengine.api.clarification;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A contest's clarifications, as DOMjudge and Kattis keep them: a participant's question (about a
 * problem of the contest, or general) with the admins' answer, to the asker alone or to every
 * participant; and the admins' announcements, which are answers to all without a question.
 * Thread-safe; failures of the underlying storage surface as the storage client's unchecked
 * exceptions. Who may see what is not the store's business ({@link Clarifications}).
 */
public interface ClarificationStore {

    /**
     * A question with its answer, or an announcement.
     *
     * @param contestId   the contest it belongs to
     * @param id          unique in the contest, {@code [A-Za-z0-9-]}; ids sort as they were made
     * @param problemId   the contest's problem it is about, or {@code null}: general
     * @param participant who asked; {@code null} for an announcement
     * @param question    what was asked; {@code null} for an announcement
     * @param askedAt     when it was asked (or announced)
     * @param answer      the answer, or the announcement's text; {@code null} while unanswered
     * @param toAll       whether every participant sees it (question and answer, not who asked),
     *                    or only the asker; always for an announcement
     * @param answeredBy  the admin who answered or announced, or {@code null}
     * @param answeredAt  when it was answered (announced), or {@code null}
     */
    record Clarification(
            String contestId,
            String id,
            String problemId,
            String participant,
            String question,
            Instant askedAt,
            String answer,
            boolean toAll,
            String answeredBy,
            Instant answeredAt) {
        public Clarification {
            Objects.requireNonNull(contestId, "contestId");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(askedAt, "askedAt");
            if ((participant == null) != (question == null)) {
                throw new IllegalArgumentException("a question has its asker, an announcement neither");
            }
            if (question == null && (answer == null || !toAll)) {
                throw new IllegalArgumentException("an announcement has its text and is to all");
            }
            if ((answer == null) != (answeredAt == null)) {
                throw new IllegalArgumentException("an answer has its time");
            }
        }

        /** A participant's question, not answered yet. */
        public static Clarification question(
                String contestId, String id, String problemId, String participant, String question, Instant askedAt) {
            return new Clarification(contestId, id, problemId, participant, question, askedAt, null, false, null, null);
        }

        /** An admin's announcement to every participant. */
        public static Clarification announcement(
                String contestId, String id, String problemId, String text, String admin, Instant at) {
            return new Clarification(contestId, id, problemId, null, null, at, text, true, admin, at);
        }

        public boolean isAnnouncement() {
            return question == null;
        }
    }

    /** Stores a new question or announcement (its id is new in the contest). */
    void create(Clarification clarification);

    /**
     * Sets (or replaces) the answer of a question of the contest, and to whom it goes.
     *
     * @return the question as answered now; empty when the contest has no question with that id
     *         (an announcement has none to answer)
     */
    Optional<Clarification> answer(
            String contestId, String id, String answer, boolean toAll, String answeredBy, Instant answeredAt);

    /**
     * Replaces an announcement's text and problem (an admin's correction): it keeps its id and
     * place in the list, and carries who changed it and when as {@code answeredBy} and
     * {@code answeredAt}, so participants see it as new again.
     *
     * @return the announcement as changed; empty when the contest has no announcement with that
     *         id (a question's answer is changed by {@link #answer})
     */
    Optional<Clarification> editAnnouncement(
            String contestId, String id, String problemId, String text, String editedBy, Instant editedAt);

    /**
     * Deletes an announcement of the contest (one made by mistake). Questions are never deleted.
     *
     * @return whether there was such an announcement
     */
    boolean deleteAnnouncement(String contestId, String id);

    /** Every question and announcement of the contest, oldest first (by {@code askedAt}, then id). */
    List<Clarification> list(String contestId);
}
