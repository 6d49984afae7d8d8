-- Sign-in sessions, single-use links, sign-in throttling, the e-mail outbox, and what
-- moderators need to see what changed in a published event.

-- A session: the cookie holds a random token, the table only its SHA-256 (a leaked
-- database does not let anyone in). Ends at sign-out, password change, account disable,
-- after inactivity or at its absolute expiry.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_account ON sessions (account_id);

-- Single-use, expiring links sent by e-mail (confirm an address, reset a password).
CREATE TABLE account_tokens (
    token_hash  TEXT PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password')),
    new_email   TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
) STRICT;
CREATE INDEX account_tokens_account ON account_tokens (account_id, purpose);

-- Failed sign-ins, per address and per client address, for throttling.
CREATE TABLE sign_in_failures (
    id     INTEGER PRIMARY KEY,
    email  TEXT NOT NULL COLLATE NOCASE,
    ip     TEXT NOT NULL,
    at     TEXT NOT NULL
) STRICT;
CREATE INDEX sign_in_failures_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_ip ON sign_in_failures (ip, at);

-- Every message the platform sends, as sent (also written as .eml files by default).
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    error       TEXT
) STRICT;

-- The form as last typed (any state, even invalid), so that nothing is lost: per account
-- and per event ('new' for an event not yet saved).
CREATE TABLE event_autosaves (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    event_key   TEXT NOT NULL,
    input_json  TEXT NOT NULL CHECK (json_valid(input_json)),
    saved_at    TEXT NOT NULL,
    PRIMARY KEY (account_id, event_key)
) STRICT, WITHOUT ROWID;

-- The event as moderators last approved it (JSON of the form), to show what changed since.
ALTER TABLE events ADD COLUMN reviewed_snapshot TEXT CHECK (reviewed_snapshot IS NULL OR json_valid(reviewed_snapshot));
-- Where a duplicated event came from.
ALTER TABLE events ADD COLUMN duplicated_from INTEGER REFERENCES events (id) ON DELETE SET NULL;
