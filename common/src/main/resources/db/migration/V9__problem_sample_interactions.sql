-- The sample interactions of an interactive or multi-pass problem (SampleInteraction[], as JSON),
-- shown with its statement; none for every problem stored before.
ALTER TABLE problems ADD COLUMN sample_interactions text NOT NULL DEFAULT '[]';
