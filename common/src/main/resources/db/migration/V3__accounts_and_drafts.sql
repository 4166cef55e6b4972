-- Open contests' accounts (the api's PostgresAccountStore): a login is unique within its contest,
-- by the primary key, so of two registrations of one name at once exactly one succeeds. Only the
-- password's hash is stored.
CREATE TABLE accounts (
    contest_id    text COLLATE "C" NOT NULL,
    login         text COLLATE "C" NOT NULL,
    participant   text NOT NULL,
    display_name  text NOT NULL,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (contest_id, login)
);

-- Participants' drafts (the api's PostgresDraftStore): one per contest, participant, problem and
-- language, saved revision by revision (a save names the revision it replaces).
CREATE TABLE drafts (
    contest_id  text COLLATE "C" NOT NULL,
    participant text COLLATE "C" NOT NULL,
    problem_id  text COLLATE "C" NOT NULL,
    language    text COLLATE "C" NOT NULL,
    -- UTF-8 bytes (at most 64 KiB, checked by the store): code may hold NUL characters, which text refuses.
    code        bytea NOT NULL,
    revision    bigint NOT NULL CHECK (revision >= 1),
    saved_at    timestamptz NOT NULL,
    PRIMARY KEY (contest_id, participant, problem_id, language)
);
