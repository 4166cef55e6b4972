-- The verdict of the current round's first failing test (a test not accepted and not NR, in run
-- order): what a participant sees as the verdict under ICPC rules, kept beside the grader's verdict
-- so that listings and the scoreboard need not read the judgement. Filled in for rounds judged before.
ALTER TABLE submissions ADD COLUMN first_failure text;

UPDATE submissions s SET first_failure = (
    SELECT t.value ->> 'verdict'
    FROM jsonb_array_elements(s.judgement::jsonb -> 'tests') WITH ORDINALITY AS t(value, n)
    WHERE t.value ->> 'verdict' NOT IN ('AC', 'NR')
    ORDER BY t.n
    LIMIT 1)
WHERE s.judgement IS NOT NULL;
