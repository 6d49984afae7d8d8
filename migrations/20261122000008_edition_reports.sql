-- The report of a closed edition, frozen the first time it is read after the month: a past
-- edition's figures stay as they were published, whatever is edited afterwards.
CREATE TABLE edition_reports (
    year         INTEGER PRIMARY KEY REFERENCES editions (year) ON DELETE CASCADE,
    report_json  TEXT NOT NULL CHECK (json_valid(report_json)),
    frozen_at    TEXT NOT NULL
) STRICT;
