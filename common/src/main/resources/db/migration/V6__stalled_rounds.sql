-- The sweeper (SubmissionStore.stalled) looks for rounds not judged whose row has not changed
-- for a while, every minute from every api process: a partial index keeps that to the few rows
-- that are QUEUED or RUNNING, however many are DONE.
CREATE INDEX submissions_unfinished ON submissions (updated_at) WHERE status <> 'DONE';
