-- The kind of problem a judged submission was judged as (interactive, multi-pass or plain); NULL
-- for an execute, and for every entry written before.
ALTER TABLE audit_entries ADD COLUMN problem_type text;
