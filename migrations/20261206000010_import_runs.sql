-- The CSV import in two steps (issue 24): a dry run keeps the checked file and its report,
-- shown on the administrator's page (`/admin/import?essai=ID`), then the administrator
-- confirms that very run. The file is kept after the import: what was imported, by whom.
CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    -- As sent by the browser (sanitized); empty for pasted text.
    file_name TEXT NOT NULL DEFAULT '',
    csv TEXT NOT NULL,
    -- The dry run's report (`admin::model::ImportReport`, JSON).
    report_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    imported_at TEXT,
    -- What the import did (`admin::model::ImportSummary`, JSON), once confirmed.
    summary_json TEXT
);
CREATE INDEX import_runs_account ON import_runs(account_id, created_at);

-- The stable key of an imported row (the `identifiant` column): importing the same file again
-- updates the events it created instead of creating them twice. A table beside `events`
-- (not a column of it), so that rebuilding `events` leaves it alone.
CREATE TABLE event_import_keys (
    key TEXT PRIMARY KEY,
    event_id INTEGER NOT NULL UNIQUE REFERENCES events(id) ON DELETE CASCADE
);
