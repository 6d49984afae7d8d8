//! What the platform writes for others to read, against hostile text (issue 23): every CSV
//! cell that a spreadsheet would run as a formula is neutralised (open data, admin export,
//! edition report) and the admin export still imports back identically; the RSS is valid XML
//! and carries no HTML to run; the iCalendar keeps no bare CR; a visitor's name in an e-mail
//! stays one quoted line.
use crate::common;

use axum::http::StatusCode;
use leptos::server_fn::ServerFn;
use sqlx::SqlitePool;

use common::{app, get, send, Client, Reply, ADMIN};
use server::db::MIGRATOR;
const HYPERLINK: &str = r#"=HYPERLINK("http://evil.example","x")"#;

async fn demo_app(pool: &SqlitePool) -> axum::Router {
    common::load_demo(pool).await;
    app(pool.clone())
}

/// A published event of the current edition, in person (it has a city and a venue).
async fn published_event(pool: &SqlitePool) -> (i64, String) {
    sqlx::query_as(
        "SELECT id, slug FROM events WHERE edition_year = 2026 AND status = 'published' \
         AND mode = 'presentiel' ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Gives the event text that a spreadsheet would run: `=`, `+`, `@`, `-` and TAB first.
async fn make_formulas(pool: &SqlitePool, id: i64) {
    sqlx::query(
        "UPDATE events SET title = ?, summary = '+1', city = '@SUM(1)', venue_name = '-2+3', \
         accessibility = char(9) || 'x' WHERE id = ?",
    )
    .bind(HYPERLINK)
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
}

/// The records of a CSV (after its byte order mark, if any), header first.
fn records(body: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The cell of `column` in `row`, by the header's names.
fn cell<'a>(all: &'a [Vec<String>], row: &'a [String], column: &str) -> &'a str {
    let i = all[0]
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    &row[i]
}

/// No cell anywhere begins as a formula would.
fn assert_no_formula(all: &[Vec<String>]) {
    for row in all {
        for value in row {
            assert!(
                !value.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell reads as a formula: {value:?}"
            );
        }
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_open_data_csv_neutralises_formulas(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let (id, slug) = published_event(&pool).await;
    make_formulas(&pool, id).await;
    let reply = get(&app, "/api/v1/events.csv").await;
    assert_eq!(reply.status, StatusCode::OK);
    let all = records(&reply.body);
    assert_no_formula(&all);
    let row = all
        .iter()
        .find(|r| r[0] == slug)
        .expect("the event is in the open data");
    assert_eq!(cell(&all, row, "title"), format!("'{HYPERLINK}"));
    assert_eq!(cell(&all, row, "summary"), "'+1");
    assert_eq!(cell(&all, row, "city"), "'@SUM(1)");
    assert_eq!(cell(&all, row, "venue_name"), "'-2+3");
    assert_eq!(cell(&all, row, "accessibility"), "'\tx");
    // The JSON keeps the values as typed (no spreadsheet reads it).
    let json: serde_json::Value =
        serde_json::from_str(&get(&app, "/api/v1/events.json").await.body).unwrap();
    let event = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["slug"] == slug.as_str())
        .unwrap();
    assert_eq!(event["title"], HYPERLINK);
    assert_eq!(event["summary"], "+1");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_report_csv_neutralises_formulas(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let (id, _) = published_event(&pool).await;
    // The report's text is the vocabularies' labels and the regions' names.
    for (sql, value) in [
        ("UPDATE formats SET label = ? WHERE id = (SELECT format_id FROM events WHERE id = ?)", HYPERLINK),
        ("UPDATE audiences SET label = ? WHERE id = (SELECT audience_id FROM events WHERE id = ?)", "+1"),
        ("UPDATE organizer_types SET label = ? WHERE id = (SELECT organizer_type_id FROM events WHERE id = ?)", "@SUM(1)"),
        ("UPDATE themes SET label = ? WHERE id = (SELECT min(theme_id) FROM event_themes WHERE event_id = ?)", "-2+3"),
        ("UPDATE regions SET name = ? WHERE code = (SELECT region_code FROM events WHERE id = ?)", "\tx"),
    ] {
        sqlx::query(sql).bind(value).bind(id).execute(&pool).await.unwrap();
    }
    let reply = get(&app, "/editions/2026/bilan.csv").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.starts_with('\u{feff}'), "a BOM for Excel");
    let all = records(&reply.body);
    assert_no_formula(&all);
    let values: Vec<&str> = all.iter().map(|r| r[1].as_str()).collect();
    for value in [HYPERLINK, "+1", "@SUM(1)", "-2+3", "\tx"] {
        assert!(
            values.contains(&format!("'{value}").as_str()),
            "{value:?} neutralised in {values:?}"
        );
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_admin_export_neutralises_formulas_and_imports_back_identically(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let (id, _) = published_event(&pool).await;
    sqlx::query(
        "UPDATE events SET title = ?, summary = '+1', city = '@SUM(1)', venue_name = '-2+3', \
         venue_address = '''=1+1' WHERE id = ?",
    )
    .bind(HYPERLINK)
    .bind(id)
    .execute(&pool)
    .await
    .unwrap();
    let mut admin = Client::new(&app);
    admin.sign_in(ADMIN.0, ADMIN.1).await;
    assert!(admin.cookie.is_some(), "admin signed in");
    let export = |client: &Client| {
        let mut request =
            client.request("/admin/export/evenements.csv", "text/plain", String::new());
        *request.method_mut() = axum::http::Method::GET;
        request
    };
    let first = send(&app, export(&admin)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.starts_with('\u{feff}'), "a BOM for Excel");
    let all = records(&first.body);
    assert_no_formula(&all);
    let row = all
        .iter()
        .find(|r| cell(&all, r, "titre") == format!("'{HYPERLINK}"))
        .expect("the title is neutralised");
    assert_eq!(cell(&all, row, "resume"), "'+1");
    assert_eq!(cell(&all, row, "commune"), "'@SUM(1)");
    assert_eq!(cell(&all, row, "lieu"), "'-2+3");
    // A quote typed before a formula gets one more, so that the import restores it.
    assert_eq!(cell(&all, row, "adresse"), "''=1+1");

    // Imported back: the values as typed, and the same export again.
    sqlx::query("DELETE FROM events")
        .execute(&pool)
        .await
        .unwrap();
    // Checked (sent as a file), then confirmed.
    let reply: Reply = admin
        .multipart(
            <app::admin::server::ImportEvents as ServerFn>::PATH,
            &[("fichier", Some("export.csv"), first.body.as_str())],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        &reply.body[..reply.body.len().min(2000)]
    );
    let run: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(run["report"]["invalid"], 0, "{}", run["report"]);
    let reply: Reply = admin
        .form(
            <app::admin::server::ConfirmImport as ServerFn>::PATH,
            &[("essai", &run["id"].to_string())],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let imported: (String, String, String, String) = sqlx::query_as(
        "SELECT summary, city, venue_name, venue_address FROM events WHERE title = ?",
    )
    .bind(HYPERLINK)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        imported,
        ("+1".into(), "@SUM(1)".into(), "-2+3".into(), "'=1+1".into())
    );
    let second = send(&app, export(&admin)).await;
    assert_eq!(first.body, second.body);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_rss_is_valid_xml_without_html_to_run(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let (id, slug) = published_event(&pool).await;
    sqlx::query(
        "UPDATE events SET \
            description = '<script>alert(1)</script>' || char(10) || char(10) || '<svg onload=alert(1)>', \
            summary = 'Un résumé' || char(0) || ' <script>alert(2)</script><svg onload=alert(2)>', \
            city = 'Ly' || char(0) || 'on', venue_name = 'Salle' || char(1) || char(27) || ' A', \
            title = 'Atelier' || char(11) || ' & co' WHERE id = ?",
    )
    .bind(id)
    .execute(&pool)
    .await
    .unwrap();
    let reply = get(&app, "/programme.rss").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        !reply
            .body
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
        "a control character makes the RSS invalid XML"
    );
    let channel = rss::Channel::read_from(reply.body.as_bytes()).expect("the RSS parses");
    let item = channel
        .items()
        .iter()
        .find(|i| i.link().is_some_and(|l| l.ends_with(&slug)))
        .expect("the event is in the feed");
    assert_eq!(item.title(), Some("Atelier & co"));
    for item in channel.items() {
        let html = item.description().unwrap_or_default().to_lowercase();
        assert!(
            !html.contains("<script") && !html.contains("<svg"),
            "HTML that a reader would run: {html}"
        );
    }
    let description = item.description().unwrap();
    assert!(description.contains("Lyon"), "{description}");
    assert!(description.contains("Salle A"), "{description}");
    assert!(
        description.contains("&lt;script&gt;"),
        "shown as text: {description}"
    );
    // The JSON and the calendar carry no control character either.
    let json = get(&app, "/api/v1/events.json").await.body;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let event = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["slug"] == slug.as_str())
        .unwrap();
    assert_eq!(event["city"], "Lyon");
    assert_eq!(event["venue_name"], "Salle A");
    assert!(!event["summary"].as_str().unwrap().contains('\0'));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_calendar_keeps_no_bare_carriage_return(pool: SqlitePool) {
    use icalendar::Component;
    let app = demo_app(&pool).await;
    let (id, slug) = published_event(&pool).await;
    sqlx::query(
        "UPDATE events SET title = 'Atelier' || char(13) || 'suite', \
         summary = 'un' || char(13) || char(10) || 'deux' || char(13) || 'trois' || char(0) WHERE id = ?",
    )
    .bind(id)
    .execute(&pool)
    .await
    .unwrap();
    for path in [
        format!("/evenements/{slug}/agenda.ics"),
        "/programme.ics".to_string(),
        format!("/mon-programme.ics?e={slug}"),
    ] {
        let reply = get(&app, &path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        let bytes = reply.body.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            assert!(
                *b != b'\r' || bytes.get(i + 1) == Some(&b'\n'),
                "{path}: a bare CR at {i}"
            );
            assert!(*b != 0, "{path}: a NUL at {i}");
        }
        let calendar: icalendar::Calendar =
            reply.body.parse().unwrap_or_else(|e| panic!("{path}: {e}"));
        let event = calendar
            .components
            .iter()
            .filter_map(|c| c.as_event())
            .find(|e| e.get_uid() == Some(format!("{slug}@mois-innovation-publique").as_str()))
            .unwrap_or_else(|| panic!("{path}: the event"));
        assert_eq!(event.get_summary(), Some("Atelier suite"), "{path}");
        let description = event.get_description().unwrap();
        assert!(
            description.starts_with("un\ndeux\ntrois\n")
                || description.starts_with("un\\ndeux\\ntrois\\n"),
            "{path}: {description:?}"
        );
    }
}

/// What the outbox holds for `recipient`, newest first.
async fn mail_bodies(pool: &SqlitePool, recipient: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body FROM outbox WHERE recipient = ? ORDER BY id DESC")
        .bind(recipient)
        .fetch_all(pool)
        .await
        .unwrap()
}

/// A visitor's name in a message: no line of its own, quoted, never in the subject.
fn assert_name_quoted(subject: &str, body: &str) {
    assert!(!subject.contains("evil"), "{subject}");
    assert!(!body.contains('\r'), "{body:?}");
    for line in body.lines() {
        assert!(
            !line.trim_start().starts_with("Cliquez"),
            "the visitor's text has a line of its own: {body}"
        );
        if line.contains("evil.example") {
            assert!(
                line.contains("« Jeanne Cliquez ici: http://evil.example »"),
                "{line}"
            );
        }
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_visitors_name_stays_one_quoted_line_in_mail(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let hostile = "Jeanne\r\nCliquez ici: http://evil.example";
    let organizer_type: i64 = sqlx::query_scalar("SELECT id FROM organizer_types LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let victim = "victime@exemple.gouv.fr";
    let mut visitor = Client::new(&app);
    let reply = visitor
        .form(
            <app::accounts::server::SignUp as ServerFn>::PATH,
            &[
                ("email", victim),
                ("name", hostile),
                ("structure", "Mairie de Pau"),
                ("organizer_type", &organizer_type.to_string()),
                ("region", "75"),
                ("password", "trois chats sur le toit de la mairie"),
            ],
        )
        .await;
    let sent = mail_bodies(&pool, victim).await;
    if reply.status.is_success() {
        let (subject, body) = sent.first().expect("a confirmation message");
        assert_name_quoted(subject, body);
    } else {
        // A name with a line break may be refused: then no message at all.
        assert!(reply.status.is_client_error(), "{}", reply.body);
        assert!(sent.is_empty());
    }

    // A name already in the database (from an older version, an import…) reaches a reset
    // message the same way.
    let organizer = common::ORGANIZER.0;
    sqlx::query("UPDATE accounts SET name = ? WHERE email = ?")
        .bind(hostile)
        .bind(organizer)
        .execute(&pool)
        .await
        .unwrap();
    let reply = Client::new(&app)
        .form(
            <app::accounts::server::RequestPasswordReset as ServerFn>::PATH,
            &[("email", organizer)],
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let sent = mail_bodies(&pool, organizer).await;
    let (subject, body) = sent.first().expect("a reset message");
    assert_name_quoted(subject, body);
    assert!(
        body.contains("« Jeanne Cliquez ici: http://evil.example »"),
        "{body}"
    );
}
