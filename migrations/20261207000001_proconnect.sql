-- Sign-in with ProConnect (OpenID Connect).

-- A ProConnect identity (its `sub`) linked to one account; one identity per account.
CREATE TABLE proconnect_identities (
    sub         TEXT PRIMARY KEY,
    account_id  INTEGER NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    siret       TEXT,
    linked_at   TEXT NOT NULL
) STRICT;

-- Sign-ins sent to ProConnect and not back yet: single-use, bound to the browser that
-- started them (the hash of a random cookie), expiring after a few minutes. The `state`
-- and the browser binding are stored hashed; the PKCE verifier and the nonce are only
-- useful with a code that ProConnect gives to that browser.
CREATE TABLE proconnect_flows (
    state_hash     TEXT PRIMARY KEY,
    browser_hash   TEXT NOT NULL,
    pkce_verifier  TEXT NOT NULL,
    nonce          TEXT NOT NULL,
    return_path    TEXT,
    expires_at     TEXT NOT NULL
) STRICT;

-- A verified ProConnect identity waiting for the person's next step: the profile to
-- complete (a first sign-in) or the password that links it to an existing account.
CREATE TABLE proconnect_pending (
    token_hash   TEXT PRIMARY KEY,
    sub          TEXT NOT NULL,
    email        TEXT NOT NULL,
    name         TEXT NOT NULL,
    siret        TEXT,
    id_token     TEXT NOT NULL,
    return_path  TEXT,
    expires_at   TEXT NOT NULL
) STRICT;

-- The ProConnect ID token of a session started through ProConnect: sign-out sends it back
-- to ProConnect (`id_token_hint`) to end the session there too.
ALTER TABLE sessions ADD COLUMN id_token TEXT;

-- Sign-outs on their way to ProConnect's end-session endpoint (one page, then gone).
CREATE TABLE proconnect_logouts (
    token_hash  TEXT PRIMARY KEY,
    id_token    TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) STRICT;
