//! The smaller points of the first day of real use (issue 24): French counts that agree in
//! number, the header of a signed-in person, no empty « Présentation », a finished event
//! marked « Terminé » with nothing left to join, the venue's zone in the moderation queue.
use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sqlx::SqlitePool;

use common::{app, get, send, Client, Reply, MODERATOR, ORGANIZER};
use server::db::MIGRATOR;

async fn demo(pool: &SqlitePool) -> axum::Router {
    common::load_demo(pool).await;
    app(pool.clone())
}

/// A GET with the client's session cookie.
async fn get_as(client: &Client, uri: &str) -> Reply {
    let mut request = Request::get(uri).header(header::HOST, "127.0.0.1:3000");
    if let Some(cookie) = &client.cookie {
        request = request.header(header::COOKIE, cookie);
    }
    plain(send(&client.app, request.body(Body::empty()).unwrap()).await)
}

/// The reply with Leptos' `<!>` markers taken out, so that texts read as a browser shows them.
fn plain(mut reply: Reply) -> Reply {
    reply.body = reply.body.replace("<!>", "");
    reply
}

async fn fetch(app: &axum::Router, uri: &str) -> Reply {
    plain(get(app, uri).await)
}

/// The page's `<header>` element.
fn header_of(body: &str) -> &str {
    let start = body.find("<header").expect("a header");
    let end = body[start..].find("</header>").expect("the header's end") + start;
    &body[start..end]
}

async fn one_published_event(pool: &SqlitePool, year: i32) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM events WHERE edition_year = ? AND status = 'published' ORDER BY id LIMIT 1",
    )
    .bind(year)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE events SET status = 'submitted' WHERE edition_year = ? AND status = 'published' AND id <> ?",
    )
    .bind(year)
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
    id
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_report_says_1_evenement_publie_and_1_compte_organisateur(pool: SqlitePool) {
    let app = demo(&pool).await;
    one_published_event(&pool, 2026).await;
    let page = fetch(&app, "/editions/2026/bilan").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(
        body.contains(r#"<strong data-figure="events">1</strong> événement publié<"#),
        "{body}"
    );
    assert!(
        body.contains(r#"<strong data-figure="organizers">1</strong> compte organisateur<"#),
        "{body}"
    );
    assert!(
        body.contains(r#"<strong data-figure="structures">1</strong> structure organisatrice<"#),
        "{body}"
    );
    assert!(!body.contains("1</strong> événements"), "{body}");
    // More than one: the plural.
    sqlx::query(
        "UPDATE events SET status = 'published' WHERE edition_year = 2026 AND status = 'submitted'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let body = fetch(&app, "/editions/2026/bilan").await.body;
    assert!(body.contains("</strong> événements publiés<"), "{body}");
}

/// The home page already agreed (a guard: its counters must stay so).
#[sqlx::test(migrator = "MIGRATOR")]
async fn the_home_counters_agree_in_number(pool: SqlitePool) {
    let app = demo(&pool).await;
    one_published_event(&pool, 2026).await;
    let home = fetch(&app, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    let body = &home.body;
    let at = body.find("mip-counters").expect("the counters");
    let body = &body[at..at + body[at..].find("</ul>").unwrap()];
    assert!(
        body.contains(r#"class="mip-counter__value">1</span><span class="mip-counter__label">événement publié</span>"#),
        "{body}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_header_of_a_signed_in_person_leads_to_their_space(pool: SqlitePool) {
    let app = demo(&pool).await;
    // A visitor: « Se connecter », the same for everyone (the page is shared by the cache).
    let visitor = fetch(&app, "/programme").await;
    let header = header_of(&visitor.body);
    assert!(header.contains(r#"href="/connexion""#), "{header}");
    assert!(header.contains("Se connecter"), "{header}");
    assert!(!header.contains("Mon espace"), "{header}");

    let mut organizer = Client::new(&app);
    organizer.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert!(organizer.cookie.is_some());
    for path in ["/", "/programme", "/organisateur", "/accessibilite"] {
        let page = get_as(&organizer, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let header = header_of(&page.body);
        assert!(!header.contains("Se connecter"), "{path}: {header}");
        assert!(
            header.contains(
                r#"href="/organisateur" class="fr-btn fr-icon-account-circle-line">Mon espace</a>"#
            ),
            "{path}: {header}"
        );
    }

    let mut moderator = Client::new(&app);
    moderator.sign_in(MODERATOR.0, MODERATOR.1).await;
    assert!(moderator.cookie.is_some());
    let header = get_as(&moderator, "/programme").await.body;
    let header = header_of(&header);
    assert!(!header.contains("Se connecter"), "{header}");
    assert!(
        header.contains(
            r#"href="/moderation" class="fr-btn fr-icon-account-circle-line">Mon espace</a>"#
        ),
        "{header}"
    );

    // The visitor's page again, after signed-in requests: still the anonymous header.
    let again = fetch(&app, "/programme").await;
    assert!(header_of(&again.body).contains("Se connecter"));
    assert!(!header_of(&again.body).contains("Mon espace"));
}

async fn slug_of(pool: &SqlitePool, id: i64) -> String {
    sqlx::query_scalar("SELECT slug FROM events WHERE id = ?")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_event_without_description_has_no_presentation_heading(pool: SqlitePool) {
    let app = demo(&pool).await;
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM events WHERE status = 'published' AND description <> '' ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let slug = slug_of(&pool, id).await;
    let before = fetch(&app, &format!("/evenements/{slug}")).await;
    assert!(before.body.contains(">Présentation</h2>"));
    sqlx::query("UPDATE events SET description = '' WHERE id = ?")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let after = fetch(&app, &format!("/evenements/{slug}")).await;
    assert_eq!(after.status, StatusCode::OK);
    assert!(!after.body.contains("Présentation"), "{}", after.body);
    assert!(after.body.contains(">Accessibilité</h2>"));
}

/// A published online event of the demo edition, moved to `starts_at`–`ends_at` (UTC).
async fn online_event(pool: &SqlitePool, starts_at: &str, ends_at: &str) -> String {
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM events WHERE edition_year = 2026 AND status = 'published' ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE events SET mode = 'hybride', city = coalesce(nullif(city, ''), 'Rennes'), \
         online_url = 'https://visio.example.org/salle', starts_at = ?, ends_at = ? WHERE id = ?",
    )
    .bind(starts_at)
    .bind(ends_at)
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
    slug_of(pool, id).await
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_finished_event_is_marked_termine_with_nothing_to_join(pool: SqlitePool) {
    let app = demo(&pool).await;
    // Now, in the tests, is 10 November 2026 at 08:00 UTC.
    let slug = online_event(&pool, "2026-11-03T13:00:00Z", "2026-11-03T15:00:00Z").await;
    let page = fetch(&app, &format!("/evenements/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(
        body.contains(r#"class="fr-badge fr-badge--no-icon" data-ended="">Terminé</p>"#),
        "{body}"
    );
    assert!(!body.contains("Rejoindre en ligne"), "{body}");
    assert!(!body.contains("Ajouter à mon agenda"), "{body}");
    assert!(
        !body.contains(r#"href="https://visio.example.org/salle""#),
        "{body}"
    );

    // Still to come (or under way): both actions, no mark.
    let slug = online_event(&pool, "2026-11-10T07:00:00Z", "2026-11-10T09:00:00Z").await;
    let body = fetch(&app, &format!("/evenements/{slug}")).await.body;
    assert!(!body.contains(">Terminé<"), "{body}");
    assert!(body.contains("Rejoindre en ligne"), "{body}");
    assert!(body.contains("Ajouter à mon agenda"), "{body}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_moderation_queue_names_the_zone_of_overseas_venues(pool: SqlitePool) {
    let app = demo(&pool).await;
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM events WHERE status = 'submitted' ORDER BY id LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    // 10:00 UTC is 14:00 in La Réunion (UTC+4).
    sqlx::query(
        "UPDATE events SET region_code = '04', department_code = NULL, time_zone = 'Indian/Reunion', \
         starts_at = '2026-11-20T10:00:00Z', ends_at = '2026-11-20T12:00:00Z' WHERE id = ?",
    )
    .bind(id)
    .execute(&pool)
    .await
    .unwrap();
    let mut moderator = Client::new(&app);
    moderator.sign_in(MODERATOR.0, MODERATOR.1).await;
    let page = get_as(&moderator, "/moderation").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let row_start = body
        .find(&format!(r#"data-queue-event="{id}""#))
        .expect("the event in the queue");
    let row = &body[row_start..row_start + body[row_start..].find("</tr>").unwrap()];
    assert!(
        row.contains("vendredi 20 novembre 2026, 14\u{a0}h\u{a0}00 (heure de La Réunion)"),
        "{row}"
    );
    // Mainland venues: no zone named.
    assert!(!body.contains("(heure de Bretagne)"));
}
