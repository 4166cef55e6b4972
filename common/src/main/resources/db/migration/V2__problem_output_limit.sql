-- A problem's output limit per run (a Kattis package's limits.output); problems stored before
-- have Kattis' default, 8 MiB.
ALTER TABLE problems ADD COLUMN output_limit_bytes BIGINT NOT NULL DEFAULT 8388608;
