//! The schema, its constraints and the demo, on a fresh SQLite per test.
use sqlx::SqlitePool;

use server::db::MIGRATOR;
use server::demo;

async fn scalar(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn migrations_seed_reference_data_and_vocabularies(pool: SqlitePool) {
    // 13 metropolitan regions, 5 overseas, « National / en ligne ».
    assert_eq!(scalar(&pool, "SELECT count(*) FROM regions").await, 19);
    assert_eq!(
        scalar(&pool, "SELECT count(*) FROM regions WHERE overseas = 1").await,
        5
    );
    assert_eq!(scalar(&pool, "SELECT count(*) FROM departments").await, 101);
    assert_eq!(
        scalar(
            &pool,
            "SELECT count(*) FROM regions WHERE overseas = 1 AND time_zone = 'Europe/Paris'"
        )
        .await,
        0,
        "overseas regions are not on Paris time"
    );
    let reunion: String =
        sqlx::query_scalar("SELECT time_zone FROM regions WHERE name = 'La Réunion'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(reunion, "Indian/Reunion");
    assert_eq!(scalar(&pool, "SELECT count(*) FROM themes").await, 12);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM formats").await, 13);
    assert_eq!(
        scalar(&pool, "SELECT count(*) FROM organizer_types").await,
        8
    );
    assert_eq!(scalar(&pool, "SELECT count(*) FROM audiences").await, 5);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_demo_is_rich_enough_to_look_real(pool: SqlitePool) {
    let summary = demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    let published_2026 = scalar(
        &pool,
        "SELECT count(*) FROM events WHERE edition_year = 2026 AND status = 'published'",
    )
    .await;
    assert!(
        published_2026 >= 300,
        "{published_2026} published events in 2026"
    );
    assert_eq!(summary.events[&2026].0 as i64, published_2026);
    assert!(
        scalar(
            &pool,
            "SELECT count(*) FROM events WHERE edition_year = 2024"
        )
        .await
            > 150
    );
    // Every region, overseas and « National / en ligne » included, has a published event.
    assert_eq!(
        scalar(
            &pool,
            "SELECT count(*) FROM regions r WHERE NOT EXISTS (SELECT 1 FROM events e \
             WHERE e.region_code = r.code AND e.edition_year = 2026 AND e.status = 'published')"
        )
        .await,
        0
    );
    // All formats and themes are used; the moderation queue is not empty.
    assert_eq!(
        scalar(
            &pool,
            "SELECT count(DISTINCT format_id) FROM events WHERE edition_year = 2026"
        )
        .await,
        13
    );
    assert_eq!(
        scalar(&pool, "SELECT count(DISTINCT et.theme_id) FROM event_themes et JOIN events e ON e.id = et.event_id WHERE e.edition_year = 2026").await,
        12
    );
    for status in ["cancelled", "draft", "submitted"] {
        let n = scalar(
            &pool,
            &format!(
                "SELECT count(*) FROM events WHERE edition_year = 2026 AND status = '{status}'"
            ),
        )
        .await;
        assert!(n > 0, "no {status} event");
    }
    // Every event has 1 to 3 themes; overseas events carry their venue's zone.
    assert_eq!(
        scalar(&pool, "SELECT count(*) FROM events e WHERE (SELECT count(*) FROM event_themes et WHERE et.event_id = e.id) NOT BETWEEN 1 AND 3").await,
        0
    );
    assert_eq!(
        scalar(&pool, "SELECT count(*) FROM events e JOIN regions r ON r.code = e.region_code WHERE e.time_zone <> r.time_zone").await,
        0
    );
    let labs = scalar(&pool, "SELECT count(*) FROM labs").await;
    assert!((70..=80).contains(&labs), "{labs} labs");
    assert_eq!(
        scalar(&pool, "SELECT count(*) FROM editions WHERE is_current = 1").await,
        1
    );
    assert_eq!(
        scalar(&pool, "SELECT count(*) FROM accounts WHERE role IN ('moderator', 'admin') AND password_hash LIKE '$argon2id$%'").await,
        2
    );
}

/// Every column of the demo's rows except password hashes (salted), in a stable order.
async fn demo_fingerprint(pool: &SqlitePool) -> Vec<String> {
    let mut rows = Vec::new();
    for sql in [
        "SELECT json_array(year, ordinal, theme_of_year_id, tagline, starts_on, ends_on, referencing_opens_on, referencing_closes_on, is_current, created_at) FROM editions ORDER BY year",
        "SELECT json_array(id, email, name, structure, organizer_type_id, region_code, role) FROM accounts ORDER BY id",
        "SELECT json_array(id, slug, name, host_structure, lab_type_id, region_code, city, website, description, created_year) FROM labs ORDER BY id",
        "SELECT json_array(e.id, e.edition_year, e.organizer_id, e.slug, e.title, e.summary, e.description, e.format_id, e.mode, e.audience_id, e.structure_name, e.region_code, e.department_code, e.city, e.venue_address, e.online_url, e.starts_at, e.ends_at, e.time_zone, e.status, e.version, e.created_at, (SELECT group_concat(theme_id) FROM event_themes et WHERE et.event_id = e.id)) FROM events e ORDER BY e.id",
    ] {
        let part: Vec<String> = sqlx::query_scalar(sql).fetch_all(pool).await.unwrap();
        rows.extend(part);
    }
    rows
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_same_seed_gives_the_same_demo(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    let other = server::db::connect("sqlite::memory:").await.unwrap();
    demo::load(&other, demo::DEFAULT_SEED).await.unwrap();
    let (a, b) = (
        demo_fingerprint(&pool).await,
        demo_fingerprint(&other).await,
    );
    assert!(a.len() > 900);
    assert_eq!(a, b);

    let third = server::db::connect("sqlite::memory:").await.unwrap();
    demo::load(&third, 7).await.unwrap();
    assert_ne!(
        a,
        demo_fingerprint(&third).await,
        "another seed gives other data"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_demo_never_loads_over_existing_data(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    let before = scalar(&pool, "SELECT count(*) FROM events").await;
    let error = demo::load(&pool, demo::DEFAULT_SEED).await.unwrap_err();
    assert!(matches!(error, demo::DemoError::NotEmpty));
    assert_eq!(scalar(&pool, "SELECT count(*) FROM events").await, before);
}

/// Inserts one valid published event of 2026, with `overrides` applied as column = value.
async fn insert_event(pool: &SqlitePool, overrides: &[(&str, &str)]) -> Result<(), sqlx::Error> {
    let mut columns = vec![
        ("edition_year", "2026"),
        ("organizer_id", "(SELECT min(id) FROM accounts)"),
        ("slug", "'evenement-test'"),
        ("title", "'Atelier test'"),
        ("summary", "'Résumé'"),
        ("format_id", "1"),
        ("mode", "'presentiel'"),
        ("audience_id", "1"),
        ("structure_name", "'Structure'"),
        ("organizer_type_id", "1"),
        ("region_code", "'11'"),
        ("city", "'Paris'"),
        ("starts_at", "'2026-11-10T09:00:00Z'"),
        ("ends_at", "'2026-11-10T11:00:00Z'"),
        ("time_zone", "'Europe/Paris'"),
        ("status", "'published'"),
        ("created_at", "'2026-10-01T00:00:00Z'"),
        ("updated_at", "'2026-10-01T00:00:00Z'"),
    ];
    for (column, value) in overrides {
        match columns.iter_mut().find(|(c, _)| c == column) {
            Some(entry) => entry.1 = value,
            None => columns.push((column, value)),
        }
    }
    let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
    let values: Vec<&str> = columns.iter().map(|(_, v)| *v).collect();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO events ({}) VALUES ({})",
        names.join(", "),
        values.join(", ")
    )))
    .execute(pool)
    .await
    .map(|_| ())
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn constraints_refuse_inconsistent_events(pool: SqlitePool) {
    demo::load(&pool, demo::DEFAULT_SEED).await.unwrap();
    insert_event(&pool, &[])
        .await
        .expect("the reference event is valid");
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "end before start",
            &[("slug", "'a'"), ("ends_at", "'2026-11-10T08:00:00Z'")],
        ),
        (
            "unknown status",
            &[("slug", "'b'"), ("status", "'archived'")],
        ),
        ("unknown mode", &[("slug", "'c'"), ("mode", "'distanciel'")]),
        // A venue for in-person events and a link for online ones are the validation's
        // rules (app/src/organizer/validation/event.rs), not the table's: an archive edition's
        // events may have neither (issue 24).
        (
            "unknown audience",
            &[("slug", "'d'"), ("audience_id", "999999")],
        ),
        (
            "all day neither 0 nor 1",
            &[("slug", "'e'"), ("all_day", "2")],
        ),
        (
            "unknown region",
            &[("slug", "'f'"), ("region_code", "'99'")],
        ),
        (
            "unknown edition",
            &[("slug", "'g'"), ("edition_year", "2031")],
        ),
        ("duplicate slug", &[]),
        ("zero capacity", &[("slug", "'h'"), ("capacity", "0")]),
    ];
    let before = scalar(&pool, "SELECT count(*) FROM events").await;
    for (case, overrides) in cases {
        assert!(
            insert_event(&pool, overrides).await.is_err(),
            "accepted: {case}"
        );
    }
    assert_eq!(scalar(&pool, "SELECT count(*) FROM events").await, before);

    // One current edition at most.
    let second_current = sqlx::query("UPDATE editions SET is_current = 1 WHERE year = 2025")
        .execute(&pool)
        .await;
    assert!(second_current.is_err());
    // Accounts: one per e-mail, whatever the case.
    let duplicate = sqlx::query(
        "INSERT INTO accounts (email, password_hash, name, structure, role, created_at, updated_at) \
         VALUES ('ADMIN@example.org', '!', 'X', 'Y', 'admin', '', '')",
    )
    .execute(&pool)
    .await;
    assert!(duplicate.is_err());
}

/// A write that finds the database busy beyond its wait (a saturated disk, a rush of writes)
/// is a 429 that says to try again, never a 500: a real SQLITE_BUSY, from a second connection
/// while the first holds the write lock.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_busy_database_is_a_429_with_words_never_a_500(pool: SqlitePool) {
    use sqlx::Connection;
    let mut holder = pool.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *holder)
        .await
        .unwrap();
    let options = (*pool.connect_options())
        .clone()
        .busy_timeout(std::time::Duration::ZERO);
    let mut other = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    let error = sqlx::query("UPDATE data_version SET version = version + 1 WHERE id = 1")
        .execute(&mut other)
        .await
        .expect_err("the write lock is held");
    let error = app::error::AppError::from(error);
    assert!(
        matches!(&error, app::error::AppError::Throttled(m) if m.contains("rien n'a été enregistré")),
        "{error:?}"
    );
    assert_eq!(
        error.status_code(),
        axum::http::StatusCode::TOO_MANY_REQUESTS
    );
    sqlx::query("ROLLBACK").execute(&mut *holder).await.unwrap();
}
