-- An organizer's edit of a public event waits for review beside the event: the row keeps
-- the text a moderator approved (what the public sees), `pending_input` the edit (the
-- event form's fields as JSON) until a moderator publishes it into the row, hands it back
-- or refuses it (app/src/events/lifecycle.rs).
ALTER TABLE events ADD COLUMN pending_input TEXT;

-- Published events edited under the previous rule carry their edit in the row already and
-- the approved text in `reviewed_snapshot`: they stay in the queue as they were; their next
-- decision follows the new rule.

-- A cancelled event that was never published is private: the public pages read
-- `published_at`, which only a moderator's publication (or a staff import) sets; the
-- earlier code never set it on cancelling, so no row needs changing.
