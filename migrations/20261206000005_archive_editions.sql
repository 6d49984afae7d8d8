-- no-transaction
-- Issue 24: archive editions, all-day events, reports frozen only on purpose.
--
-- The events table is rebuilt (SQLite cannot drop a NOT NULL or a CHECK in place), so this
-- migration runs outside sqlx's transaction: foreign keys are switched off for the copy
-- (a DROP TABLE would otherwise cascade into event_themes), then checked before commit.
PRAGMA foreign_keys = OFF;
BEGIN;

-- An archive edition is a past edition brought in from history: its events may have no
-- summary, audience, address, online link or times, shown as unknown, never invented.
ALTER TABLE editions ADD COLUMN archive INTEGER NOT NULL DEFAULT 0 CHECK (archive IN (0, 1));
-- The theme of the year as written at the time, when it is not one of the vocabulary's.
ALTER TABLE editions ADD COLUMN theme_of_year_text TEXT NOT NULL DEFAULT ''
    CHECK (length(theme_of_year_text) <= 200);
-- Two editions cannot share an ordinal (the app refused it already; now the data does).
CREATE UNIQUE INDEX editions_ordinal ON editions (ordinal);

-- Reports were frozen automatically on their first view after the month, possibly while
-- the edition's events were still being brought in. A report is now computed from the data
-- until an administrator freezes it (« Figer le bilan »); the automatic freezes go.
DELETE FROM edition_reports;
CREATE TRIGGER edition_reports_insert_version AFTER INSERT ON edition_reports BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER edition_reports_update_version AFTER UPDATE ON edition_reports BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER edition_reports_delete_version AFTER DELETE ON edition_reports BEGIN UPDATE data_version SET version = version + 1; END;

-- events: audience may be unknown (NULL), the address and link rules are the validation's
-- (app/src/organizer/validation.rs: required outside archive editions), and `all_day` marks
-- an event known by its dates only (stored from midnight to midnight at the venue).
CREATE TABLE events_new (
    id                    INTEGER PRIMARY KEY,
    edition_year          INTEGER NOT NULL REFERENCES editions (year),
    organizer_id          INTEGER NOT NULL REFERENCES accounts (id),
    slug                  TEXT NOT NULL UNIQUE,
    title                 TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    summary               TEXT NOT NULL CHECK (length(summary) <= 600),
    description           TEXT NOT NULL DEFAULT '',
    format_id             INTEGER NOT NULL REFERENCES formats (id),
    mode                  TEXT NOT NULL CHECK (mode IN ('en_ligne', 'presentiel', 'hybride')),
    audience_id           INTEGER REFERENCES audiences (id),
    structure_name        TEXT NOT NULL,
    organizer_type_id     INTEGER NOT NULL REFERENCES organizer_types (id),
    lab_id                INTEGER REFERENCES labs (id),
    region_code           TEXT NOT NULL REFERENCES regions (code),
    department_code       TEXT REFERENCES departments (code),
    city                  TEXT,
    venue_name            TEXT,
    venue_address         TEXT,
    postal_code           TEXT,
    online_url            TEXT,
    starts_at             TEXT NOT NULL,
    ends_at               TEXT NOT NULL,
    time_zone             TEXT NOT NULL,
    all_day               INTEGER NOT NULL DEFAULT 0 CHECK (all_day IN (0, 1)),
    out_of_period_reason  TEXT,
    registration_url      TEXT,
    capacity              INTEGER CHECK (capacity IS NULL OR capacity > 0),
    contact_name          TEXT,
    contact_email         TEXT,
    accessibility         TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL DEFAULT 'draft'
                          CHECK (status IN ('draft', 'submitted', 'published',
                                            'changes_requested', 'rejected', 'cancelled')),
    moderation_note       TEXT,
    needs_review          INTEGER NOT NULL DEFAULT 0 CHECK (needs_review IN (0, 1)),
    submitted_at          TEXT,
    reviewed_at           TEXT,
    published_at          TEXT,
    cancelled_at          TEXT,
    version               INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    reviewed_snapshot     TEXT CHECK (reviewed_snapshot IS NULL OR json_valid(reviewed_snapshot)),
    duplicated_from       INTEGER REFERENCES events (id) ON DELETE SET NULL,
    pending_input         TEXT,
    CHECK (ends_at > starts_at)
) STRICT;
INSERT INTO events_new (id, edition_year, organizer_id, slug, title, summary, description,
    format_id, mode, audience_id, structure_name, organizer_type_id, lab_id, region_code,
    department_code, city, venue_name, venue_address, postal_code, online_url, starts_at,
    ends_at, time_zone, out_of_period_reason, registration_url, capacity, contact_name,
    contact_email, accessibility, status, moderation_note, needs_review, submitted_at,
    reviewed_at, published_at, cancelled_at, version, created_at, updated_at,
    reviewed_snapshot, duplicated_from, pending_input)
SELECT id, edition_year, organizer_id, slug, title, summary, description,
    format_id, mode, audience_id, structure_name, organizer_type_id, lab_id, region_code,
    department_code, city, venue_name, venue_address, postal_code, online_url, starts_at,
    ends_at, time_zone, out_of_period_reason, registration_url, capacity, contact_name,
    contact_email, accessibility, status, moderation_note, needs_review, submitted_at,
    reviewed_at, published_at, cancelled_at, version, created_at, updated_at,
    reviewed_snapshot, duplicated_from, pending_input
FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;

CREATE INDEX events_edition_status_start ON events (edition_year, status, starts_at);
CREATE INDEX events_organizer ON events (organizer_id);
CREATE INDEX events_region ON events (region_code);
CREATE TRIGGER events_insert_version AFTER INSERT ON events BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER events_update_version AFTER UPDATE ON events BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER events_delete_version AFTER DELETE ON events BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts (rowid, title, summary, structure_name, city)
    VALUES (new.id, new.title, new.summary, new.structure_name, coalesce(new.city, ''));
END;
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, title, summary, structure_name, city)
    VALUES ('delete', old.id, old.title, old.summary, old.structure_name, coalesce(old.city, ''));
END;
CREATE TRIGGER events_fts_update AFTER UPDATE OF title, summary, structure_name, city ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, title, summary, structure_name, city)
    VALUES ('delete', old.id, old.title, old.summary, old.structure_name, coalesce(old.city, ''));
    INSERT INTO events_fts (rowid, title, summary, structure_name, city)
    VALUES (new.id, new.title, new.summary, new.structure_name, coalesce(new.city, ''));
END;

COMMIT;
PRAGMA foreign_keys = ON;
