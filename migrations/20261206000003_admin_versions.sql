-- Version checks on the administration's writes (issue 23): every record an admin form
-- edits carries a version, which each admin write bumps and checks (`WHERE … AND version = ?`),
-- so that a form rendered before someone else's change gets a conflict (HTTP 409) instead of
-- overwriting it, as events already do.
ALTER TABLE editions ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE labs ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE accounts ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE themes ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE formats ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE audiences ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE organizer_types ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
ALTER TABLE lab_types ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0);
