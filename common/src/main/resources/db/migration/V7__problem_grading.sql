-- A problem's test data groups and how their results add up (Grading, as JSON); NULL for a
-- problem without groups, as every problem stored before was.
ALTER TABLE problems ADD COLUMN grading text;
