-- Staff's second factor (RFC 6238 codes, issue 23): moderators and administrators confirm
-- each sign-in with a code from an authenticator app, or with a single-use recovery code.

-- The account's TOTP secret (base32), written when enrolment starts; the enrolment is done
-- when a first code is confirmed (`totp_enabled_at`). `totp_last_step`: the last accepted
-- time step, so that a code is accepted once (RFC 6238, § 5.2).
ALTER TABLE accounts ADD COLUMN totp_secret TEXT;
ALTER TABLE accounts ADD COLUMN totp_enabled_at TEXT;
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER;

-- Single-use recovery codes, only their SHA-256 kept.
CREATE TABLE recovery_codes (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL,
    used_at     TEXT,
    PRIMARY KEY (account_id, code_hash)
) STRICT, WITHOUT ROWID;

-- A session whose password was right but whose second factor is still to come: it signs
-- nobody in (`session::account_for_token` reads only completed sessions).
ALTER TABLE sessions ADD COLUMN second_factor_pending INTEGER NOT NULL DEFAULT 0
    CHECK (second_factor_pending IN (0, 1));
