//! A database that holds events when a migration rebuilds the events table
//! (20261206000005_archive_editions: SQLite cannot drop a NOT NULL in place) keeps every
//! row, and what refers to them: the themes (ON DELETE CASCADE) and the audit log (SET NULL)
//! would be emptied if the copy ran with foreign keys on.
use std::borrow::Cow;

use sqlx::SqlitePool;

const REBUILD: i64 = 20261206000005;

#[tokio::test]
async fn rebuilding_the_events_table_keeps_the_events_and_what_refers_to_them() {
    let dir = std::env::temp_dir().join(format!(
        "mip-migrations-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/mip.sqlite?mode=rwc", dir.display());
    // The database as it was before the rebuild, with the server's own options.
    {
        let options: sqlx::sqlite::SqliteConnectOptions = url.parse().unwrap();
        let pool = SqlitePool::connect_with(options.foreign_keys(true))
            .await
            .unwrap();
        let mut before = sqlx::migrate::Migrator {
            migrations: Cow::Owned(
                server::db::MIGRATOR
                    .migrations
                    .iter()
                    .filter(|m| m.version < REBUILD)
                    .cloned()
                    .collect(),
            ),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        before.set_locking(true);
        before.run(&pool).await.unwrap();
        server::demo::load(&pool, server::demo::DEFAULT_SEED)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO audit_log (event_id, at, action, detail) \
             SELECT id, '2026-11-01T00:00:00Z', 'create', '' FROM events",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let counts = |pool: SqlitePool| async move {
        let q = |sql: &'static str| {
            let pool = pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        (
            q("SELECT count(*) FROM events").await,
            q("SELECT count(*) FROM event_themes").await,
            q("SELECT count(*) FROM audit_log WHERE event_id IS NOT NULL").await,
        )
    };
    let before = {
        let pool = SqlitePool::connect(&url).await.unwrap();
        let c = counts(pool.clone()).await;
        pool.close().await;
        c
    };
    assert!(
        before.0 > 100 && before.1 >= before.0 && before.2 == before.0,
        "{before:?}"
    );

    // The server starts: the pending migrations run, the rebuild among them.
    let pool = server::db::connect(&url).await.unwrap();
    assert_eq!(counts(pool.clone()).await, before, "nothing lost");
    let problems: Vec<(String, i64, String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(fk, 1, "foreign keys on again");
    // Search still finds the events (the full-text index follows the rebuilt table).
    let found: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events_fts f JOIN events e ON e.id = f.rowid \
         WHERE events_fts MATCH 'atelier*'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(found > 0);
    // And deleting an event still takes its themes with it.
    let id: i64 = sqlx::query_scalar("SELECT min(id) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM events WHERE id = ?")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM event_themes WHERE event_id = ?")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
