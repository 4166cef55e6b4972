-- Whether the current grading round runs every test (a regrade asked with allTests=true, or one
-- in a POINTS contest): the sweeper sends a stalled round again with the flag it was started with.
ALTER TABLE submissions ADD COLUMN all_tests boolean NOT NULL DEFAULT false;
