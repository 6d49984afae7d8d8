//! Issue 24, the CSV import as an administrator expects it: a file sent from the page (as a
//! browser without JavaScript posts it), the dry run's report on the page (errors by line and
//! column, what each row would create or update), the confirmation and its summary, the same
//! file again updating instead of duplicating, and the documented date formats.
use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;
use serde_json::Value;
use sqlx::SqlitePool;

use app::admin::server::{ConfirmImport, ImportEvents};
use common::{Client, Reply, ADMIN};
use server::db::MIGRATOR;

const HEADER: &str = "identifiant;edition;statut;titre;resume;themes;format;modalite;public;\
    structure;type_structure;region;departement;commune;adresse;lien_en_ligne;debut;fin;hors_periode";

/// A row of the file above (`;`-separated, as a French spreadsheet writes it).
fn row(key: &str, title: &str, region: &str, city: &str, starts: &str, ends: &str) -> String {
    let online = city.is_empty();
    [
        key,
        "2026",
        "publié",
        title,
        "Un atelier reçu dans le tableur de la DITP.",
        "Service à l'usager|Coproduction",
        "Atelier participatif",
        if online { "en ligne" } else { "présentiel" },
        "Agents publics",
        "Préfecture",
        "Service déconcentré de l'État",
        region,
        "",
        city,
        if online {
            ""
        } else {
            "1 place de la République"
        },
        if online {
            "https://visio.exemple.gouv.fr/salle"
        } else {
            ""
        },
        starts,
        ends,
        "",
    ]
    .join(";")
}

fn file(rows: &[String]) -> String {
    // UTF-8 with a byte order mark, as Excel's « CSV UTF-8 » writes it.
    format!("\u{feff}{HEADER}\n{}\n", rows.join("\n"))
}

/// A browser's post of the page's form (HTML accepted, the page as Referer).
fn as_browser(mut request: Request<Body>, page: &str) -> Request<Body> {
    request.headers_mut().insert(
        header::ACCEPT,
        "text/html,application/xhtml+xml".parse().unwrap(),
    );
    request.headers_mut().insert(
        header::REFERER,
        format!("{}{page}", common::SITE).parse().unwrap(),
    );
    request
}

/// Sends `csv` as the upload form's file, as a browser: the page it is sent to.
async fn upload(app: &axum::Router, client: &Client, name: &str, csv: &str) -> String {
    let request = client.multipart_request(
        ImportEvents::PATH,
        &[("fichier", Some(name), csv), ("csv", None, "")],
    );
    let reply = common::send(app, as_browser(request, "/admin/import")).await;
    assert!(
        reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    reply.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

async fn page(app: &axum::Router, client: &Client, uri: &str) -> Reply {
    let reply = common::send(
        app,
        Request::get(uri)
            .header(header::COOKIE, client.cookie.clone().unwrap())
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{uri}");
    assert!(
        !reply.body.trim_start().starts_with('{'),
        "a page, not JSON"
    );
    reply
}

/// The confirmation button's form, as a browser posts it: where it is sent.
async fn confirm_as_browser(app: &axum::Router, client: &Client, run: &str, page: &str) -> String {
    let body = format!("essai={run}");
    let request = client.request(
        ConfirmImport::PATH,
        "application/x-www-form-urlencoded",
        body,
    );
    let reply = common::send(app, as_browser(request, page)).await;
    assert!(
        reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    reply.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

fn run_id(location: &str) -> String {
    location
        .split("essai=")
        .nth(1)
        .unwrap_or_else(|| panic!("no run in {location}"))
        .split('&')
        .next()
        .unwrap()
        .to_string()
}

async fn count(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_file_with_errors_then_fixed_then_imported_then_sent_again(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let admin = common::session_for(&app, &pool, ADMIN.0).await;
    let events_before = count(&pool, "SELECT count(*) FROM events").await;

    // A file with two mistakes on its line 3: an hour that does not exist, an unknown theme.
    let good = [
        row(
            "dreal-1",
            "Atelier des usagers",
            "84",
            "Lyon",
            "10/11/2026 14:00",
            "10/11/2026 16:30",
        ),
        row(
            "dreal-2",
            "Webinaire des données",
            "",
            "",
            "2026-11-12T10:00:00+01:00",
            "2026-11-12T11:00:00+01:00",
        ),
        row(
            "dreal-3",
            "Forum des labs",
            "01",
            "Basse-Terre",
            "2026-11-17 09:00",
            "2026-11-17 12:00",
        ),
    ];
    let broken = good[1]
        .replace("2026-11-12T10:00:00+01:00", "12/11/2026 25:00")
        .replace("Coproduction", "Astrologie");
    let location = upload(
        &app,
        &admin,
        "evenements.csv",
        &file(&[good[0].clone(), broken, good[2].clone()]),
    )
    .await;
    assert!(location.starts_with("/admin/import?essai="), "{location}");
    let shown = page(&app, &admin, &location).await.body;
    assert!(shown.contains("1 ligne en erreur sur 3"), "{shown}");
    assert!(shown.contains(r#"data-line="3""#), "the line");
    assert!(
        shown.contains(r#"data-column="debut""#),
        "the column of the hour"
    );
    assert!(
        shown.contains(r#"data-column="themes""#),
        "the column of the theme"
    );
    assert!(shown.contains("Astrologie"));
    assert!(
        !shown.contains("data-import-confirm"),
        "no confirmation for a file in error"
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM events").await,
        events_before
    );

    // Fixed: the report says what each row will do, and nothing is imported yet.
    let fixed = file(&good);
    let location = upload(&app, &admin, "evenements.csv", &fixed).await;
    let run = run_id(&location);
    let shown = page(&app, &admin, &location).await.body;
    assert!(shown.contains("3 à créer, 0 à mettre à jour"), "{shown}");
    assert!(
        shown.contains("Confirmer l&#x27;import de 3 événements (3 créés, 0 mis à jour)")
            || shown.contains("Confirmer l'import de 3 événements (3 créés, 0 mis à jour)"),
        "{shown}"
    );
    assert_eq!(shown.matches(r#"data-action="à créer""#).count(), 3);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM events").await,
        events_before
    );

    // Confirmed: the summary on the run's page.
    let done = confirm_as_browser(&app, &admin, &run, &location).await;
    assert_eq!(done, format!("/admin/import?essai={run}&importe=1"));
    let shown = page(&app, &admin, &done).await.body;
    assert!(
        shown.contains("3 événements créés, 0 mis à jour, 0 inchangé."),
        "{shown}"
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM events").await,
        events_before + 3
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM event_import_keys WHERE key LIKE 'dreal-%'"
        )
        .await,
        3
    );
    // The same run confirmed twice (a second click) imports nothing more, and says so.
    let again = confirm_as_browser(&app, &admin, &run, &done).await;
    assert!(again.contains("__err="), "{again}");
    let shown = page(&app, &admin, &again).await.body;
    assert!(shown.contains("déjà été importé"), "{shown}");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM events").await,
        events_before + 3
    );

    // The same file again: nothing created, each row is its event (unchanged).
    let location = upload(&app, &admin, "evenements.csv", &fixed).await;
    let shown = page(&app, &admin, &location).await.body;
    assert!(
        shown.contains("0 à créer, 0 à mettre à jour, 3 inchangées"),
        "{shown}"
    );
    // With one title changed: one update, still nothing created.
    let retitled = file(&[
        good[0].replace("Atelier des usagers", "Atelier des usagers et des agents"),
        good[1].clone(),
        good[2].clone(),
    ]);
    let location = upload(&app, &admin, "evenements-v2.csv", &retitled).await;
    let run = run_id(&location);
    let shown = page(&app, &admin, &location).await.body;
    assert!(
        shown.contains("0 à créer, 1 à mettre à jour, 2 inchangées"),
        "{shown}"
    );
    let done = confirm_as_browser(&app, &admin, &run, &location).await;
    let shown = page(&app, &admin, &done).await.body;
    assert!(
        shown.contains("0 événement créé, 1 mis à jour, 2 inchangés."),
        "{shown}"
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM events").await,
        events_before + 3
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM events WHERE title = 'Atelier des usagers et des agents'"
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn dates_in_each_documented_format_are_read_at_the_venues_time(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let mut admin = common::session_for(&app, &pool, ADMIN.0).await;
    // 14:00 at UTC+1 is 13:00 UTC: 14:00 in Lyon, 9:00 in Guadeloupe (UTC−4).
    let rows = [
        row(
            "f-iso-offset",
            "Offset Lyon",
            "84",
            "Lyon",
            "2026-11-10T14:00:00+01:00",
            "2026-11-10T16:00:00+01:00",
        ),
        row(
            "f-iso-offset-gp",
            "Offset Guadeloupe",
            "01",
            "Basse-Terre",
            "2026-11-10T14:00:00+01:00",
            "2026-11-10T16:00:00+01:00",
        ),
        row(
            "f-utc",
            "Heure universelle",
            "84",
            "Lyon",
            "2026-11-10T13:00:00Z",
            "2026-11-10T15:00:00Z",
        ),
        row(
            "f-iso",
            "ISO sans décalage",
            "84",
            "Lyon",
            "2026-11-10T14:00",
            "2026-11-10T16:00",
        ),
        row(
            "f-iso-space",
            "ISO avec espace",
            "01",
            "Basse-Terre",
            "2026-11-10 14:00",
            "2026-11-10 16:00",
        ),
        row(
            "f-fr",
            "À la française",
            "84",
            "Lyon",
            "10/11/2026 14:00",
            "10/11/2026 16:00",
        ),
    ];
    let reply = admin
        .multipart(
            ImportEvents::PATH,
            &[("fichier", Some("dates.csv"), &file(&rows))],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let checked: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(checked["report"]["invalid"], 0, "{}", checked["report"]);
    let reply = admin
        .form(
            ConfirmImport::PATH,
            &[("essai", &checked["id"].to_string())],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let stored: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT k.key, e.starts_at, e.time_zone FROM events e \
         JOIN event_import_keys k ON k.event_id = e.id WHERE k.key LIKE 'f-%' ORDER BY k.key",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let expected = [
        ("f-fr", "2026-11-10T13:00:00Z", "Europe/Paris"),
        ("f-iso", "2026-11-10T13:00:00Z", "Europe/Paris"),
        ("f-iso-offset", "2026-11-10T13:00:00Z", "Europe/Paris"),
        (
            "f-iso-offset-gp",
            "2026-11-10T13:00:00Z",
            "America/Guadeloupe",
        ),
        ("f-iso-space", "2026-11-10T18:00:00Z", "America/Guadeloupe"),
        ("f-utc", "2026-11-10T13:00:00Z", "Europe/Paris"),
    ];
    let stored: Vec<(&str, &str, &str)> = stored
        .iter()
        .map(|(k, s, z)| (k.as_str(), s.as_str(), z.as_str()))
        .collect();
    assert_eq!(stored, expected);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_date_alone_is_an_all_day_event(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let mut admin = common::session_for(&app, &pool, ADMIN.0).await;
    let rows = [
        row("jour-iso", "Journée ISO", "84", "Lyon", "2026-11-12", ""),
        row(
            "jour-fr",
            "Journée à la française",
            "84",
            "Lyon",
            "12/11/2026",
            "13/11/2026",
        ),
    ];
    let reply = admin
        .multipart(
            ImportEvents::PATH,
            &[("fichier", Some("jours.csv"), &file(&rows))],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let checked: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(
        checked["report"]["invalid"], 0,
        "a date alone (all day) refused: {}",
        checked["report"]
    );
    // A date alone in one column and a time in the other: said on the row.
    let mixed = [row(
        "mix",
        "Mélange",
        "84",
        "Lyon",
        "2026-11-12",
        "2026-11-12 16:00",
    )];
    let reply = admin
        .multipart(
            ImportEvents::PATH,
            &[("fichier", Some("mix.csv"), &file(&mixed))],
        )
        .await;
    let checked: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(
        checked["report"]["rows"][0]["errors"][0][0], "fin",
        "{}",
        checked["report"]
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn dates_and_out_of_period_mistakes_name_the_accepted_values(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let mut admin = common::session_for(&app, &pool, ADMIN.0).await;
    let out_of_month = row(
        "hp",
        "Forum de décembre",
        "84",
        "Lyon",
        "2026-12-03 10:00",
        "2026-12-03 12:00",
    );
    let mut said_yes = row(
        "hp-oui",
        "Forum oui",
        "84",
        "Lyon",
        "2026-12-03 10:00",
        "2026-12-03 12:00",
    );
    said_yes.truncate(said_yes.len() - 1);
    said_yes.push_str(";oui");
    let mut with_reason = out_of_month.replace("hp;", "hp-raison;");
    with_reason.push_str("Forum annuel tenu chaque année début décembre");
    let rows = [
        row(
            "d",
            "Date illisible",
            "84",
            "Lyon",
            "le 10 novembre",
            "2026-11-10 16:00",
        ),
        out_of_month,
        said_yes,
        with_reason,
    ];
    let reply = admin
        .multipart(
            ImportEvents::PATH,
            &[("fichier", Some("x.csv"), &file(&rows))],
        )
        .await;
    let checked: Value = serde_json::from_str(&reply.body).unwrap();
    let rows = checked["report"]["rows"].as_array().unwrap();
    let error = |line: i64, column: &str| -> String {
        rows.iter()
            .find(|r| r["line"] == line)
            .and_then(|r| {
                r["errors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|e| e[0] == column)
                    .map(|e| e[1].as_str().unwrap().to_string())
            })
            .unwrap_or_else(|| panic!("no error on line {line}, {column}: {rows:?}"))
    };
    let unreadable = error(2, "debut");
    for format in [
        "10/11/2026 14:00",
        "2026-11-10T14:00:00+01:00",
        "2026-11-10 14:00",
        "journée",
    ] {
        assert!(unreadable.contains(format), "{unreadable}");
    }
    assert!(
        error(3, "debut").contains("hors_periode"),
        "{}",
        error(3, "debut")
    );
    assert!(error(4, "hors_periode").contains("raison"));
    let ok = rows.iter().find(|r| r["line"] == 5).unwrap();
    assert!(ok["errors"].as_array().unwrap().is_empty(), "{ok}");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_example_file_imports_as_it_is(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let mut admin = common::session_for(&app, &pool, ADMIN.0).await;
    let example = page(&app, &admin, "/admin/import/exemple.csv").await.body;
    assert!(example.starts_with('\u{feff}'), "UTF-8 with its BOM");
    assert_eq!(
        csv::Reader::from_reader(example.as_bytes())
            .records()
            .count(),
        3
    );
    let reply = admin
        .multipart(
            ImportEvents::PATH,
            &[("fichier", Some("exemple.csv"), &example)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let checked: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(checked["report"]["invalid"], 0, "{}", checked["report"]);
    assert_eq!(checked["report"]["to_create"], 3);
    // The page documents the formats and links to it.
    let shown = page(&app, &admin, "/admin/import").await.body;
    for documented in [
        "/admin/import/exemple.csv",
        "10/11/2026 14:00",
        "2026-11-10T14:00:00+01:00",
        "une date seule",
        "hors_periode",
        "identifiant",
    ] {
        assert!(shown.contains(documented), "{documented}");
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn the_file_itself_is_checked_and_errors_come_back_on_their_field(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let mut admin = common::session_for(&app, &pool, ADMIN.0).await;
    let field_of = |reply: &Reply| -> (String, String) {
        let error: Value = serde_json::from_str(&reply.body).unwrap();
        (
            error["fields"][0]["field"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            error["fields"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };
    // Too large, not UTF-8, nothing sent, both sent.
    let large = format!(
        "{HEADER}\n{}",
        "x".repeat(app::admin::model::IMPORT_MAX_BYTES)
    );
    for (parts, field, words) in [
        (
            vec![("fichier", Some("gros.csv"), large.as_str())],
            "fichier",
            "Mo",
        ),
        (
            vec![("fichier", None, ""), ("csv", None, "")],
            "fichier",
            "Choisissez un fichier",
        ),
        (
            vec![
                ("fichier", Some("a.csv"), "edition,titre,debut\n"),
                ("csv", None, "edition"),
            ],
            "fichier",
            "pas les deux",
        ),
        (
            vec![("csv", None, "nom;prenom\nx;y")],
            "csv",
            "Colonnes obligatoires",
        ),
    ] {
        let reply = admin.multipart(ImportEvents::PATH, &parts).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        let (f, message) = field_of(&reply);
        assert_eq!(f, field);
        assert!(message.contains(words), "{message}");
    }
    // Windows-1252 (« é » as one byte): raw bytes through a hand-made body.
    let boundary = "b0undary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"w.csv\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(b"edition;titre;debut\n2026;Caf\xe9;2026-11-10\n");
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut request = admin.request(
        ImportEvents::PATH,
        &format!("multipart/form-data; boundary={boundary}"),
        String::new(),
    );
    *request.body_mut() = Body::from(body);
    let reply = common::send(&app, request).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_of(&reply).1.contains("UTF-8"));
    // Pasted text works as a file does; a browser's error comes back to the page, on its field.
    let pasted = file(&[row("colle", "Collé", "84", "Lyon", "2026-11-10 14:00", "")]);
    let reply = admin
        .multipart(ImportEvents::PATH, &[("csv", None, &pasted)])
        .await;
    let checked: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(
        checked["report"]["rows"][0]["errors"][0][0], "fin",
        "{}",
        reply.body
    );
    let request = admin.multipart_request(ImportEvents::PATH, &[("csv", None, "nom;prenom\nx;y")]);
    let reply = common::send(&app, as_browser(request, "/admin/import")).await;
    let location = reply.headers[header::LOCATION].to_str().unwrap();
    let location = location.trim_start_matches(common::SITE).to_string();
    assert!(
        location.starts_with("/admin/import?") && location.contains("__err="),
        "{location}"
    );
    let shown = page(&app, &admin, &location).await.body;
    assert!(
        shown.contains("Colonnes obligatoires absentes"),
        "the message in the page"
    );
    assert!(shown.contains("data-error-summary"), "the error summary");
    assert!(shown.contains(r##"href="#csv""##), "a link to the field");
    // A plain (not multipart) post is refused before the function, back on the page too.
    let request = admin.request(
        ImportEvents::PATH,
        "application/x-www-form-urlencoded",
        "csv=x".into(),
    );
    let reply = common::send(&app, as_browser(request, "/admin/import")).await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let request = admin.request(
        ImportEvents::PATH,
        "application/x-www-form-urlencoded",
        "csv=x".into(),
    );
    assert_eq!(
        common::send(&app, request).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_the_administrator_who_checked_a_file_sees_and_confirms_it(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let mut admin = common::session_for(&app, &pool, ADMIN.0).await;
    let hash = server::accounts::hash_password("un autre mot de passe sûr").unwrap();
    server::accounts::insert(
        &pool,
        &server::accounts::NewAccount {
            email: "autre.admin@example.org",
            password_hash: &hash,
            name: "Autre administratrice",
            structure: "DITP",
            organizer_type_id: None,
            region_code: None,
            role: app::reference::Role::Admin,
        },
        common::test_now(),
    )
    .await
    .unwrap();
    let mut other = common::session_for(&app, &pool, "autre.admin@example.org").await;
    let csv = file(&[row(
        "perso",
        "Atelier perso",
        "84",
        "Lyon",
        "2026-11-10 14:00",
        "2026-11-10 16:00",
    )]);
    let reply = admin
        .multipart(ImportEvents::PATH, &[("fichier", Some("a.csv"), &csv)])
        .await;
    let id = serde_json::from_str::<Value>(&reply.body).unwrap()["id"].to_string();
    let reply = other.form(ConfirmImport::PATH, &[("essai", &id)]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let shown = page(&app, &other, &format!("/admin/import?essai={id}"))
        .await
        .body;
    assert!(!shown.contains("Atelier perso"));
    assert!(shown.contains("n&#x27;existe pas ou plus") || shown.contains("n'existe pas ou plus"));
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM events WHERE title = 'Atelier perso'"
        )
        .await,
        0
    );
    let reply = admin.form(ConfirmImport::PATH, &[("essai", &id)]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM events WHERE title = 'Atelier perso'"
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_archive_edition_is_brought_in_without_inventing_what_history_does_not_tell(
    pool: SqlitePool,
) {
    common::load_demo(&pool).await;
    let app = common::app(pool.clone());
    let mut admin = common::session_for(&app, &pool, ADMIN.0).await;
    sqlx::query("UPDATE editions SET archive = 1 WHERE year = 2025")
        .execute(&pool)
        .await
        .unwrap();
    let starts_on: String = sqlx::query_scalar("SELECT starts_on FROM editions WHERE year = 2025")
        .fetch_one(&pool)
        .await
        .unwrap();
    let day = chrono::NaiveDate::parse_from_str(&starts_on, "%Y-%m-%d").unwrap()
        + chrono::Duration::days(5);
    // No summary, audience, structure, address nor time: an archive's row as history left it.
    let csv = format!(
        "identifiant;edition;titre;themes;format;modalite;type_structure;region;commune;debut\n\
         archive-1;2025;Atelier de 2025;Service à l'usager;Atelier participatif;présentiel;\
         Service déconcentré de l'État;84;;{}\n",
        day.format("%d/%m/%Y")
    );
    // The past edition's report, viewed before the import (issue 24: it used to freeze then).
    let report_count = |body: &str| -> String {
        let at = body.find(r#"data-figure="events">"#).expect("the figure") + 21;
        body[at..at + body[at..].find('<').unwrap()].replace('\u{202f}', "")
    };
    let before = common::get(&app, "/editions/2025/bilan").await;
    assert_eq!(before.status, StatusCode::OK);
    let before: i64 = report_count(&before.body).parse().unwrap();
    let reply = admin
        .multipart(ImportEvents::PATH, &[("fichier", Some("2025.csv"), &csv)])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let checked: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(checked["report"]["invalid"], 0, "{}", checked["report"]);
    let reply = admin
        .form(
            ConfirmImport::PATH,
            &[("essai", &checked["id"].to_string())],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let (summary, audience): (Option<String>, Option<i64>) = sqlx::query_as(
        "SELECT e.summary, e.audience_id FROM events e \
         JOIN event_import_keys k ON k.event_id = e.id WHERE k.key = 'archive-1'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(summary.unwrap_or_default().is_empty());
    assert_eq!(audience, None);
    // The report viewed after the import counts the new event, its audience apart.
    let after = common::get(&app, "/editions/2025/bilan").await;
    assert_eq!(report_count(&after.body), (before + 1).to_string());
    assert!(after.body.contains("Non renseigné"));
    assert!(after.body.contains("data-figure=\"unknown-structures\""));
}
