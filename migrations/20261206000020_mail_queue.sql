-- The outbox becomes a queue (issue 26, « mail that arrives »): a request only records its
-- message (`pending`, due at once); a background sender claims due messages one at a time,
-- sends them, and marks each `sent` or, after a permanent refusal or too many temporary
-- ones, `failed`. See `app/src/accounts/mail.rs` for the rules.
--
-- state            pending | sent | failed
-- attempts         attempts since the message was (re)queued, counted when claimed
-- next_attempt_at  when a pending message is due (growing delays after temporary errors)
-- claimed_until    a sender's lease: while it is in the future, no other sender takes the
--                  message; a claim never confirmed (a crash mid-send) expires, and the
--                  message is tried again, with the same Message-ID
-- last_attempt_at  when the last attempt started
-- queued_at        when the message was queued, or queued again by an administrator: its
--                  `Date` header, the same at every retry
-- message_id       the `Message-ID` header, fixed when queued and kept across retries, so
--                  that a receiving server can recognise a second copy
-- error            (existing column) the last attempt's error, kept after a later success
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'sent', 'failed'));
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
ALTER TABLE outbox ADD COLUMN last_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN message_id TEXT;
ALTER TABLE outbox ADD COLUMN queued_at TEXT;

-- Messages recorded before the queue were tried once, in their request: sent, or failed with
-- their error. Those never tried (a server without SMTP nor folder) are not sent now, perhaps
-- long after their links expired: they are failed, and an administrator may send them again.
UPDATE outbox SET
    queued_at = created_at,
    state = CASE WHEN sent_at IS NOT NULL THEN 'sent' ELSE 'failed' END,
    attempts = CASE WHEN sent_at IS NOT NULL OR error IS NOT NULL THEN 1 ELSE 0 END,
    last_attempt_at = CASE WHEN sent_at IS NOT NULL OR error IS NOT NULL THEN created_at END,
    error = CASE
        WHEN sent_at IS NULL AND error IS NULL
            THEN 'Jamais envoyé : enregistré avant la file d''envoi.'
        ELSE error
    END;

-- The sender's question (« what is due? ») and the administrators' list (newest first).
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
