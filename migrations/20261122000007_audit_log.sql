-- Who did what to an event, and when: every state change and every edit, by organizers,
-- moderators and admins. Kept when the event is deleted (event_id becomes NULL, the title
-- stays in `detail`).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER REFERENCES events (id) ON DELETE SET NULL,
    account_id  INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('create', 'edit', 'submit', 'publish',
                    'request_changes', 'reject', 'cancel', 'delete', 'duplicate')),
    detail      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_event ON audit_log (event_id, at);
