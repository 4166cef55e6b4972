-- How a problem's time limit was set (Problem.timeLimitSource), for people; NULL when not known,
-- as for the problems stored before.
ALTER TABLE problems ADD COLUMN time_limit_source text;

-- The pictures its statement shows, as JSON without their data: [{"name", "contentType",
-- "sha256"}, ...] in the statement's order.
ALTER TABLE problems ADD COLUMN statement_files text NOT NULL DEFAULT '[]';

-- Their data, once per content per problem: a save of a problem loaded without the data (a change
-- of limits) names the same SHA-256 and keeps the row; a save deletes the rows it no longer names.
CREATE TABLE problem_statement_files (
    problem_id text COLLATE "C" NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    sha256     text COLLATE "C" NOT NULL,
    data       bytea NOT NULL,
    PRIMARY KEY (problem_id, sha256)
);
