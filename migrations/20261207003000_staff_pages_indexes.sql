-- Staff pages at scale (issue 29, bench/staff-pages.sh).
-- The CSV import finds the event a row without `identifiant` designates by its edition, title
-- and start (`admin::import::target_of`): without this index each row scanned the edition
-- (3,500 rows against an edition of 35,000 events: 3,500 × 35,000 rows read, 8 s).
CREATE INDEX events_edition_title_start ON events (edition_year, title, starts_at);
-- The moderation queue (`status = 'submitted' OR (status IN (…) AND needs_review = 1)`) read
-- through this index instead of the whole table: 52 → 16 ms for its query at 35,000 events.
CREATE INDEX events_review_queue ON events (status, needs_review);
