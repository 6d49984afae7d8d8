-- The whole domain of the platform (see PRODUCT.md). Times are RFC 3339 text:
-- instants in UTC ("2026-11-08T13:00:00Z"), calendar dates as "YYYY-MM-DD".

-- Reference data: INSEE regions (+ 'NAT' for « National / en ligne ») and departments.
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    time_zone   TEXT NOT NULL,                 -- IANA zone of venues in this region
    overseas    INTEGER NOT NULL DEFAULT 0 CHECK (overseas IN (0, 1)),
    sort_order  INTEGER NOT NULL
) STRICT;

CREATE TABLE departments (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code)
) STRICT;
CREATE INDEX departments_region ON departments (region_code);

-- Vocabularies edited by admins. A value in use is retired, never deleted.
CREATE TABLE themes (
    id        INTEGER PRIMARY KEY,
    slug      TEXT NOT NULL UNIQUE,
    label     TEXT NOT NULL UNIQUE,
    position  INTEGER NOT NULL,
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT;

CREATE TABLE formats (
    id        INTEGER PRIMARY KEY,
    slug      TEXT NOT NULL UNIQUE,
    label     TEXT NOT NULL UNIQUE,
    position  INTEGER NOT NULL,
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT;

CREATE TABLE organizer_types (
    id        INTEGER PRIMARY KEY,
    slug      TEXT NOT NULL UNIQUE,
    label     TEXT NOT NULL UNIQUE,
    position  INTEGER NOT NULL,
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT;

CREATE TABLE audiences (
    id        INTEGER PRIMARY KEY,
    slug      TEXT NOT NULL UNIQUE,
    label     TEXT NOT NULL UNIQUE,
    position  INTEGER NOT NULL,
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT;

CREATE TABLE lab_types (
    id        INTEGER PRIMARY KEY,
    slug      TEXT NOT NULL UNIQUE,
    label     TEXT NOT NULL UNIQUE,
    position  INTEGER NOT NULL,
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT;

-- Editions: the state (upcoming, referencing, running, closed) is derived from the dates.
CREATE TABLE editions (
    year                   INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    ordinal                INTEGER NOT NULL CHECK (ordinal > 0),
    theme_of_year_id       INTEGER REFERENCES themes (id),
    tagline                TEXT NOT NULL DEFAULT '',
    starts_on              TEXT NOT NULL,
    ends_on                TEXT NOT NULL,
    referencing_opens_on   TEXT NOT NULL,
    referencing_closes_on  TEXT NOT NULL,
    is_current             INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    CHECK (ends_on >= starts_on),
    CHECK (referencing_closes_on >= referencing_opens_on)
) STRICT;
-- Exactly one current edition at most.
CREATE UNIQUE INDEX editions_one_current ON editions (is_current) WHERE is_current = 1;

-- Accounts: organizers, moderators and admins.
CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY,
    email               TEXT NOT NULL COLLATE NOCASE UNIQUE,
    password_hash       TEXT NOT NULL,             -- argon2id PHC string
    name                TEXT NOT NULL,
    structure           TEXT NOT NULL,
    organizer_type_id   INTEGER REFERENCES organizer_types (id),
    region_code         TEXT REFERENCES regions (code),
    role                TEXT NOT NULL DEFAULT 'organizer'
                        CHECK (role IN ('organizer', 'moderator', 'admin')),
    email_confirmed_at  TEXT,
    disabled_at         TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

-- The Atlas des labs.
CREATE TABLE labs (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    host_structure  TEXT NOT NULL,
    lab_type_id     INTEGER NOT NULL REFERENCES lab_types (id),
    region_code     TEXT NOT NULL REFERENCES regions (code),
    city            TEXT NOT NULL DEFAULT '',
    latitude        REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude       REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    website         TEXT,
    description     TEXT NOT NULL DEFAULT '',
    created_year    INTEGER CHECK (created_year IS NULL OR created_year BETWEEN 1950 AND 2100),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX labs_region ON labs (region_code);

-- Events: what organizers reference and moderators publish.
CREATE TABLE events (
    id                    INTEGER PRIMARY KEY,
    edition_year          INTEGER NOT NULL REFERENCES editions (year),
    organizer_id          INTEGER NOT NULL REFERENCES accounts (id),
    slug                  TEXT NOT NULL UNIQUE,
    title                 TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    summary               TEXT NOT NULL CHECK (length(summary) <= 600),
    description           TEXT NOT NULL DEFAULT '',  -- Markdown, sanitised when rendered
    format_id             INTEGER NOT NULL REFERENCES formats (id),
    mode                  TEXT NOT NULL CHECK (mode IN ('en_ligne', 'presentiel', 'hybride')),
    audience_id           INTEGER NOT NULL REFERENCES audiences (id),
    structure_name        TEXT NOT NULL,
    organizer_type_id     INTEGER NOT NULL REFERENCES organizer_types (id),
    lab_id                INTEGER REFERENCES labs (id),
    region_code           TEXT NOT NULL REFERENCES regions (code),
    department_code       TEXT REFERENCES departments (code),
    city                  TEXT,
    venue_name            TEXT,
    venue_address         TEXT,
    postal_code           TEXT,
    online_url            TEXT,
    starts_at             TEXT NOT NULL,             -- UTC instant
    ends_at               TEXT NOT NULL,             -- UTC instant
    time_zone             TEXT NOT NULL,             -- IANA zone of the venue
    out_of_period_reason  TEXT,                      -- set when dates fall outside the month
    registration_url      TEXT,
    capacity              INTEGER CHECK (capacity IS NULL OR capacity > 0),
    contact_name          TEXT,
    contact_email         TEXT,
    accessibility         TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL DEFAULT 'draft'
                          CHECK (status IN ('draft', 'submitted', 'published',
                                            'changes_requested', 'rejected', 'cancelled')),
    moderation_note       TEXT,
    needs_review          INTEGER NOT NULL DEFAULT 0 CHECK (needs_review IN (0, 1)),
    submitted_at          TEXT,
    reviewed_at           TEXT,
    published_at          TEXT,
    cancelled_at          TEXT,
    version               INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (mode = 'en_ligne' OR (city IS NOT NULL AND city <> '')),
    CHECK (mode = 'presentiel' OR (online_url IS NOT NULL AND online_url <> ''))
) STRICT;
CREATE INDEX events_edition_status_start ON events (edition_year, status, starts_at);
CREATE INDEX events_organizer ON events (organizer_id);
CREATE INDEX events_region ON events (region_code);

CREATE TABLE event_themes (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    theme_id  INTEGER NOT NULL REFERENCES themes (id),
    PRIMARY KEY (event_id, theme_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_themes_theme ON event_themes (theme_id);
