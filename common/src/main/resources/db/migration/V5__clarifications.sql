-- Contests' clarifications (the api's PostgresClarificationStore): a participant's question with
-- its answer, or an admin's announcement (no asker, no question; its text is the answer, to all).
-- A contest's are read together, oldest first, by the primary key's first column.
CREATE TABLE clarifications (
    contest_id  text COLLATE "C" NOT NULL,
    id          text COLLATE "C" NOT NULL,
    problem_id  text,
    participant text,
    question    text,
    asked_at    timestamptz NOT NULL,
    answer      text,
    to_all      boolean NOT NULL,
    answered_by text,
    answered_at timestamptz,
    PRIMARY KEY (contest_id, id),
    CHECK ((participant IS NULL) = (question IS NULL)),
    CHECK (question IS NOT NULL OR (answer IS NOT NULL AND to_all)),
    CHECK ((answer IS NULL) = (answered_at IS NULL))
);
