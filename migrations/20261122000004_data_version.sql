-- One counter that grows with every change to public data, so that caches of rendered
-- pages and of the edition catalogue know when to rebuild (and give ETags), whatever wrote
-- the change: the app, an import, or a person with the sqlite3 shell.
CREATE TABLE data_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
) STRICT;
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE TRIGGER events_insert_version AFTER INSERT ON events BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER events_update_version AFTER UPDATE ON events BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER events_delete_version AFTER DELETE ON events BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER event_themes_insert_version AFTER INSERT ON event_themes BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER event_themes_delete_version AFTER DELETE ON event_themes BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER editions_insert_version AFTER INSERT ON editions BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER editions_update_version AFTER UPDATE ON editions BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER editions_delete_version AFTER DELETE ON editions BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER themes_insert_version AFTER INSERT ON themes BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER themes_update_version AFTER UPDATE ON themes BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER formats_insert_version AFTER INSERT ON formats BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER formats_update_version AFTER UPDATE ON formats BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER audiences_insert_version AFTER INSERT ON audiences BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER audiences_update_version AFTER UPDATE ON audiences BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER organizer_types_insert_version AFTER INSERT ON organizer_types BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER organizer_types_update_version AFTER UPDATE ON organizer_types BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER labs_insert_version AFTER INSERT ON labs BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER labs_update_version AFTER UPDATE ON labs BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER labs_delete_version AFTER DELETE ON labs BEGIN UPDATE data_version SET version = version + 1; END;
