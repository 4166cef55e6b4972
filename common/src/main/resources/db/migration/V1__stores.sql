-- The stores on PostgreSQL (coding-engine.store=postgres). The api and every worker apply this
-- with Flyway at start (PostgresSchema); Flyway's lock lets them start together. A change is a new
-- file V<n+1>__<what>.sql: an applied migration is never edited.
--
-- Ids and names that listings sort by are COLLATE "C" (byte order), so every deployment sorts
-- alike whatever locale its cluster was made with. Timestamps are timestamptz (microseconds).

-- Submissions (PostgresSubmissionStore): one row per submission, its immutable facts in columns
-- for listings, the submission as created and the current round's judgement as JSON.
CREATE TABLE submissions (
    id          text COLLATE "C" PRIMARY KEY,
    problem_id  text,
    contest_id  text,
    participant text NOT NULL,
    language    text NOT NULL,
    created_at  timestamptz NOT NULL,
    submission  text NOT NULL,
    status      text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'DONE')),
    round       bigint NOT NULL,
    attempt     integer NOT NULL,
    tests_done  integer NOT NULL,
    tests_total integer NOT NULL,
    verdict     text,
    score       integer,
    judgement   text,
    updated_at  timestamptz NOT NULL,
    CHECK ((status = 'DONE') = (judgement IS NOT NULL))
);
-- Listings read newest first (these backwards), by the most selective filter or by all.
CREATE INDEX submissions_newest ON submissions (created_at, id);
CREATE INDEX submissions_by_participant ON submissions (participant, created_at, id);
CREATE INDEX submissions_by_problem ON submissions (problem_id, created_at, id) WHERE problem_id IS NOT NULL;
CREATE INDEX submissions_by_contest ON submissions (contest_id, created_at, id) WHERE contest_id IS NOT NULL;

-- Judgements that a regrade replaced, one per round.
CREATE TABLE submission_history (
    submission_id text COLLATE "C" NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    round         bigint NOT NULL,
    judgement     text NOT NULL,
    PRIMARY KEY (submission_id, round)
);

-- Problems (PostgresProblemStore): what clients may see in problems, the secret tests apart.
CREATE TABLE problems (
    id                 text COLLATE "C" PRIMARY KEY,
    name               text NOT NULL,
    time_limit_ms      bigint NOT NULL,
    memory_limit_bytes bigint NOT NULL,
    checker            text NOT NULL,
    samples            text NOT NULL,
    secret_test_count  integer NOT NULL,
    statement          text,
    saved_at           timestamptz NOT NULL
);

CREATE TABLE problem_secret_tests (
    problem_id text COLLATE "C" NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    position   integer NOT NULL,
    name       text NOT NULL,
    -- UTF-8 bytes: test data may hold NUL characters, which text refuses.
    input      bytea NOT NULL,
    answer     bytea NOT NULL,
    PRIMARY KEY (problem_id, position)
);

-- Contests (PostgresContestStore), each as JSON.
CREATE TABLE contests (
    id      text COLLATE "C" PRIMARY KEY,
    contest text NOT NULL
);

-- The audit log (PostgresAuditLog): one entry per submission and grading round.
CREATE TABLE audit_entries (
    submission_id  text NOT NULL,
    round          bigint NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('JUDGE', 'EXECUTE')),
    participant    text,
    submitted_at   timestamptz NOT NULL,
    judged_at      timestamptz NOT NULL,
    language       text,
    source_sha256  text,
    problem_id     text,
    verdict        text,
    time_ms        bigint NOT NULL,
    memory_bytes   bigint NOT NULL,
    worker         text,
    session        text,
    correlation_id text,
    PRIMARY KEY (submission_id, round)
);
-- Queries and retention go by time.
CREATE INDEX audit_entries_by_time ON audit_entries (submitted_at, submission_id, round);

-- API keys (the api's PostgresApiKeyStore): the SHA-256 of each key, never the key.
CREATE TABLE api_keys (
    key_sha256 text PRIMARY KEY,
    subject    text NOT NULL,
    role       text NOT NULL,
    contest_id text,
    created_at timestamptz NOT NULL
);

-- Rate-limit buckets of every api process (Bucket4j's PostgreSQL proxy manager, select for update).
CREATE TABLE rate_limit_buckets (
    id    text PRIMARY KEY,
    state bytea
);
