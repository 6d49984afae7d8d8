-- A new event's key, made when its form opens (issue 25, « drafts never doubled »): a create
-- that comes again with a key the account already used (a retry after a lost answer, a double
-- click, a queue replayed after a network cut) is the same event, and gets the first answer
-- again. One row per account and key; it goes with the event or the account.
CREATE TABLE event_create_keys (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key         TEXT NOT NULL CHECK (length(key) BETWEEN 16 AND 64),
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- The first answer: the event's state and address when it was created (version 1).
    status      TEXT NOT NULL,
    slug        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, key)
) STRICT;
