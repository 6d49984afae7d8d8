-- Throttling that holds under parallel requests (issue 23): every attempt is recorded
-- before its expensive part runs, in the same `BEGIN IMMEDIATE` transaction that counts the
-- earlier ones, so that a burst of parallel requests is counted whole.

-- Replaced by sign_in_attempts, which records the attempt before the password is checked
-- (the failures were recorded after it, so a parallel burst went through uncounted).
DROP TABLE sign_in_failures;

-- Sign-in attempts per account address and client address: 'pending' while the password
-- is being checked, 'failed' after a wrong one (a pending attempt counts as a failure, so
-- that parallel attempts count); a successful sign-in deletes the attempts of its pair.
CREATE TABLE sign_in_attempts (
    id     INTEGER PRIMARY KEY,
    email  TEXT NOT NULL COLLATE NOCASE,
    ip     TEXT NOT NULL,
    at     TEXT NOT NULL,
    state  TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed'))
) STRICT;
CREATE INDEX sign_in_attempts_pair ON sign_in_attempts (email, ip, at);
CREATE INDEX sign_in_attempts_ip ON sign_in_attempts (ip, at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);

-- Requests of the other account forms (sign-up, reset, changes) and e-mails sent on a
-- visitor's request, per action and subject (a client address, an account, a recipient).
CREATE TABLE request_log (
    id       INTEGER PRIMARY KEY,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL COLLATE NOCASE,
    at       TEXT NOT NULL
) STRICT;
CREATE INDEX request_log_subject ON request_log (action, subject, at);
CREATE INDEX request_log_at ON request_log (at);

-- One row, rewritten by the branch of a form that would otherwise write less than the other
-- (an unknown address against a known one), so that both take as long (no enumeration).
CREATE TABLE timing_balance (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    at  TEXT NOT NULL
) STRICT;
