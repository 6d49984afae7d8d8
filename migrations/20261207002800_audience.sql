-- Audience figures per event and per day (issue 28, part 2), without tracking anyone: only
-- aggregated counters, no cookie, no identifier, no address. `day` is the Paris day
-- (YYYY-MM-DD); `kind` what was counted: `vue` (its page shown), `programme` (saved to « Mon
-- programme »), `agenda` (its .ics downloaded), `inscription` (its registration link
-- followed). Written in batches by the server (server/src/audience.rs), never on a request.
-- No trigger bumps data_version: counting never empties the page cache.
CREATE TABLE audience (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    day       TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    kind      TEXT NOT NULL CHECK (kind IN ('vue', 'programme', 'agenda', 'inscription')),
    count     INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (event_id, day, kind)
) STRICT;
