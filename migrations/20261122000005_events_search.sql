-- Full-text search over the events of every edition (the search of /editions).
-- unicode61 with remove_diacritics 2: case- and accent-insensitive; queries use prefixes.
CREATE VIRTUAL TABLE events_fts USING fts5(
    title, summary, structure_name, city,
    content = 'events', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO events_fts (rowid, title, summary, structure_name, city)
    SELECT id, title, summary, structure_name, coalesce(city, '') FROM events;

CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts (rowid, title, summary, structure_name, city)
    VALUES (new.id, new.title, new.summary, new.structure_name, coalesce(new.city, ''));
END;
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, title, summary, structure_name, city)
    VALUES ('delete', old.id, old.title, old.summary, old.structure_name, coalesce(old.city, ''));
END;
CREATE TRIGGER events_fts_update AFTER UPDATE OF title, summary, structure_name, city ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, title, summary, structure_name, city)
    VALUES ('delete', old.id, old.title, old.summary, old.structure_name, coalesce(old.city, ''));
    INSERT INTO events_fts (rowid, title, summary, structure_name, city)
    VALUES (new.id, new.title, new.summary, new.structure_name, coalesce(new.city, ''));
END;
