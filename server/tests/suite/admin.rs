//! HTTP tests of the admin area: admins only; editions (one current), vocabularies
//! (retire, never delete what is used), accounts (disable ends sessions), CSV import (dry
//! run by row and column, all or nothing, 350 rows, round trip through the export).
use crate::common;

use axum::http::StatusCode;
use leptos::server_fn::ServerFn;
use serde_json::Value;
use sqlx::SqlitePool;

use app::admin::server as admin;
use common::{app, get, send, Client, Reply, MODERATOR, ORGANIZER};
use server::db::MIGRATOR;

use common::ADMIN;

fn path<T: ServerFn>() -> &'static str {
    T::PATH
}

fn body_json(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

async fn demo_app(pool: &SqlitePool) -> axum::Router {
    common::load_demo(pool).await;
    app(pool.clone())
}

async fn signed_in(app: &axum::Router, who: (&str, &str)) -> Client {
    let mut client = Client::new(app);
    client.sign_in(who.0, who.1).await;
    assert!(client.cookie.is_some(), "{} signed in", who.0);
    client
}

async fn fingerprint(pool: &SqlitePool) -> (i64, i64, String, i64) {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM editions), \
            (SELECT group_concat(label || retired || position) FROM themes), \
            (SELECT count(*) FROM accounts WHERE role = 'admin' OR disabled_at IS NOT NULL) + (SELECT count(*) FROM labs)",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

fn edition_form(year: &str, current: bool) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("year", year.to_string()),
        ("ordinal", "11".to_string()),
        ("theme_of_year", String::new()),
        ("tagline", "L'innovation au service de tous".to_string()),
        ("starts_on", format!("{year}-11-02")),
        ("ends_on", format!("{year}-11-30")),
        ("referencing_opens_on", format!("{year}-09-01")),
        ("referencing_closes_on", format!("{year}-10-29")),
    ];
    if current {
        form.push(("is_current", "oui".to_string()));
    }
    form
}

fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The version a form of this theme would carry (every admin write checks it).
async fn theme_version(pool: &SqlitePool, id: i64) -> String {
    sqlx::query_scalar::<_, i64>("SELECT version FROM themes WHERE id = ?")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
        .to_string()
}

async fn account_version(pool: &SqlitePool, id: i64) -> String {
    sqlx::query_scalar::<_, i64>("SELECT version FROM accounts WHERE id = ?")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
        .to_string()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn only_admins_may_administer(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let before = fingerprint(&pool).await;
    let edition = edition_form("2027", true);
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (path::<admin::AdminOverview>(), vec![]),
        (path::<admin::SaveEdition>(), pairs(&edition)),
        (path::<admin::AdminVocabulary>(), vec![("kind", "themes")]),
        (
            path::<admin::ChangeVocabulary>(),
            vec![("kind", "themes"), ("action", "retirer"), ("id", "1")],
        ),
        (path::<admin::AdminAccounts>(), vec![("q", "")]),
        (
            path::<admin::UpdateAccount>(),
            vec![("id", "1"), ("role", "admin")],
        ),
        (path::<admin::ImportPage>(), vec![]),
        (path::<admin::ConfirmImport>(), vec![("essai", "1")]),
        (path::<admin::AdminLabOptions>(), vec![]),
        (
            path::<admin::SaveLab>(),
            vec![
                ("slug", ""),
                ("name", "x"),
                ("host_structure", "x"),
                ("lab_type", "1"),
                ("region", "84"),
                ("city", ""),
                ("latitude", ""),
                ("longitude", ""),
                ("website", ""),
                ("description", ""),
                ("created_year", ""),
            ],
        ),
    ];
    let mut visitor = Client::new(&app);
    let mut organizer = signed_in(&app, ORGANIZER).await;
    let mut moderator = signed_in(&app, MODERATOR).await;
    for (path, form) in &calls {
        assert_eq!(
            visitor.form(path, form).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        assert_eq!(
            organizer.form(path, form).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            moderator.form(path, form).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    // The import's upload (a file): refused before the file is read.
    let upload = [(
        "fichier",
        Some("x.csv"),
        "edition,titre,debut\n2026,x,2026-11-10\n",
    )];
    assert_eq!(
        visitor
            .multipart(path::<admin::ImportEvents>(), &upload)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    for client in [&mut organizer, &mut moderator] {
        assert_eq!(
            client
                .multipart(path::<admin::ImportEvents>(), &upload)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
    for export in [
        "/admin/export/evenements.csv",
        "/admin/export/tout.json",
        "/admin/import/exemple.csv",
    ] {
        assert_eq!(get(&app, export).await.status, StatusCode::UNAUTHORIZED);
        let mut request = organizer.request(export, "text/plain", String::new());
        *request.method_mut() = axum::http::Method::GET;
        assert_eq!(send(&app, request).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(fingerprint(&pool).await, before, "database unchanged");
    let runs: i64 = sqlx::query_scalar("SELECT count(*) FROM import_runs")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(runs, 0, "nothing checked");
    assert_eq!(get(&app, "/admin").await.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_new_current_edition_takes_over_the_home_page(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut admin_client = signed_in(&app, ADMIN).await;
    let mut bad = edition_form("2027", true);
    bad[5].1 = "2027-11-01".into(); // ends before it starts
    let reply = admin_client
        .form(path::<admin::SaveEdition>(), &pairs(&bad))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body_json(&reply)["fields"][0]["field"], "ends_on");
    let reply = admin_client
        .form(
            path::<admin::SaveEdition>(),
            &pairs(&edition_form("2027", true)),
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    let current: Vec<i64> = sqlx::query_scalar("SELECT year FROM editions WHERE is_current = 1")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(current, vec![2027], "exactly one current edition");
    let home = get(&app, "/").await;
    assert!(home.body.contains("2027"), "home shows the new edition");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn vocabulary_values_in_use_are_retired_never_deleted(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut admin_client = signed_in(&app, ADMIN).await;
    let (used, uses): (i64, i64) = sqlx::query_as(
        "SELECT theme_id, count(*) FROM event_themes GROUP BY theme_id ORDER BY 2 DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(uses > 0);
    let change = path::<admin::ChangeVocabulary>();
    let reply = admin_client
        .form(
            change,
            &[
                ("kind", "themes"),
                ("action", "retirer"),
                ("id", &used.to_string()),
                ("version", &theme_version(&pool, used).await),
            ],
        )
        .await;
    assert!(
        reply.status.is_redirection() || reply.status.is_success(),
        "{}",
        reply.body
    );
    let retired: bool = sqlx::query_scalar("SELECT retired FROM themes WHERE id = ?")
        .bind(used)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(retired, "kept, retired");
    // A new value, unused: deleted when removed.
    admin_client
        .form(
            change,
            &[
                ("kind", "themes"),
                ("action", "ajouter"),
                ("libelle", "Sobriété numérique"),
            ],
        )
        .await;
    let reply = admin_client
        .form(
            change,
            &[
                ("kind", "themes"),
                ("action", "ajouter"),
                ("libelle", "Sobriété numérique"),
            ],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "duplicate label"
    );
    assert!(reply.body.contains("existe déjà"));
    let new_id: i64 =
        sqlx::query_scalar("SELECT id FROM themes WHERE label = 'Sobriété numérique'")
            .fetch_one(&pool)
            .await
            .unwrap();
    admin_client
        .form(
            change,
            &[
                ("kind", "themes"),
                ("action", "monter"),
                ("id", &new_id.to_string()),
                ("version", &theme_version(&pool, new_id).await),
            ],
        )
        .await;
    admin_client
        .form(
            change,
            &[
                ("kind", "themes"),
                ("action", "renommer"),
                ("id", &new_id.to_string()),
                ("libelle", "Numérique sobre"),
                ("version", &theme_version(&pool, new_id).await),
            ],
        )
        .await;
    let (label, position, max): (String, i64, i64) = sqlx::query_as(
        "SELECT label, position, (SELECT max(position) FROM themes) FROM themes WHERE id = ?",
    )
    .bind(new_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(label, "Numérique sobre");
    assert_eq!(position, max - 1, "moved up one place");
    admin_client
        .form(
            change,
            &[
                ("kind", "themes"),
                ("action", "retirer"),
                ("id", &new_id.to_string()),
                ("version", &theme_version(&pool, new_id).await),
            ],
        )
        .await;
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM themes WHERE id = ?")
        .bind(new_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "unused value deleted");
    let reply = admin_client
        .form(
            change,
            &[("kind", "pays"), ("action", "ajouter"), ("libelle", "x")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn disabling_an_account_ends_its_sessions(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut admin_client = signed_in(&app, ADMIN).await;
    let mut organizer = signed_in(&app, ORGANIZER).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?")
        .bind(ORGANIZER.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    let reply = admin_client
        .form(
            path::<admin::UpdateAccount>(),
            &[
                ("id", &id.to_string()),
                ("role", "organizer"),
                ("disabled", "oui"),
                ("version", &account_version(&pool, id).await),
            ],
        )
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions WHERE account_id = ?")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    let reply = organizer
        .form(
            <app::organizer::server::OrganizerDashboard as ServerFn>::PATH,
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    // Promote the moderator; an admin cannot demote themself.
    let moderator_id: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?")
        .bind(MODERATOR.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    admin_client
        .form(
            path::<admin::UpdateAccount>(),
            &[
                ("id", &moderator_id.to_string()),
                ("role", "admin"),
                ("version", &account_version(&pool, moderator_id).await),
            ],
        )
        .await;
    let role: String = sqlx::query_scalar("SELECT role FROM accounts WHERE id = ?")
        .bind(moderator_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(role, "admin");
    let admin_id: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?")
        .bind(ADMIN.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    let reply = admin_client
        .form(
            path::<admin::UpdateAccount>(),
            &[("id", &admin_id.to_string()), ("role", "organizer")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// `n` valid rows of the import format.
fn good_rows(n: usize) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(app::admin::model::IMPORT_COLUMNS).unwrap();
    for i in 0..n {
        let day = 2 + (i % 28);
        let online = i % 3 == 0;
        out.write_record([
            format!("atelier-importe-{i}"),
            "2026".to_string(),
            "publié".into(),
            format!("Atelier importé n° {i}"),
            "Un atelier reçu dans le tableur de la DITP.".into(),
            String::new(),
            "Service à l'usager|Coproduction".into(),
            "Atelier participatif".into(),
            if online {
                "en_ligne".into()
            } else {
                "presentiel".into()
            },
            "Agents publics".into(),
            "Préfecture du Rhône".into(),
            "Service déconcentré de l'État".into(),
            String::new(),
            if online { String::new() } else { "84".into() },
            String::new(),
            if online { String::new() } else { "Lyon".into() },
            String::new(),
            if online {
                String::new()
            } else {
                "18 rue de Bonnel".into()
            },
            String::new(),
            if online {
                "https://visio.exemple.gouv.fr/salle".into()
            } else {
                String::new()
            },
            format!("2026-11-{day:02} 10:00"),
            format!("2026-11-{day:02} 12:00"),
            String::new(),
            String::new(),
            "30".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ])
        .unwrap();
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

/// The dry run of `csv` sent as a file: the run's id and report (JSON), or the reply.
async fn check(client: &mut Client, csv: &str) -> Result<(i64, Value), Reply> {
    let reply = client
        .multipart(
            path::<admin::ImportEvents>(),
            &[("fichier", Some("evenements.csv"), csv), ("csv", None, "")],
        )
        .await;
    if reply.status != StatusCode::OK {
        return Err(reply);
    }
    let checked = body_json(&reply);
    Ok((checked["id"].as_i64().unwrap(), checked["report"].clone()))
}

/// Confirms the checked run `id`.
async fn confirm(client: &mut Client, id: i64) -> Reply {
    client
        .form(
            path::<admin::ConfirmImport>(),
            &[("essai", &id.to_string())],
        )
        .await
}

/// Checks then imports `csv`: the report and the summary (JSON).
async fn import(client: &mut Client, csv: &str) -> (Value, Value) {
    let (id, report) = check(client, csv)
        .await
        .unwrap_or_else(|r| panic!("{} {}", r.status, &r.body[..r.body.len().min(2000)]));
    let reply = confirm(client, id).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        &reply.body[..reply.body.len().min(2000)]
    );
    (report, body_json(&reply))
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn one_bad_row_imports_nothing_and_is_reported_by_column(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut admin_client = signed_in(&app, ADMIN).await;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    let csv = good_rows(5);
    let lines: Vec<&str> = csv.lines().collect();
    // Line 5 of the file (row n° 3): an unknown audience, and an end before the start.
    let broken = lines[4]
        .replace("2026-11-05 12:00", "2026-11-05 09:00")
        .replace("Agents publics", "Martiens");
    assert_ne!(broken, lines[4]);
    let csv = [lines[..4].join("\n"), broken, lines[5..].join("\n")].join("\n");
    let (id, report) = check(&mut admin_client, &csv)
        .await
        .unwrap_or_else(|r| panic!("{}", r.body));
    assert_eq!(report["invalid"], 1);
    assert_eq!(report["valid"], 4);
    let bad = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| !r["errors"].as_array().unwrap().is_empty())
        .unwrap();
    assert_eq!(bad["line"], 5);
    let columns: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[0].as_str().unwrap())
        .collect();
    assert_eq!(columns, vec!["public", "fin"], "{bad}");
    // A run with errors cannot be confirmed.
    let reply = confirm(&mut admin_client, id).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(before, after, "nothing imported");
    let Err(reply) = check(&mut admin_client, "nom;prenom\nx;y\n").await else {
        panic!("a file without its columns is refused")
    };
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Colonnes obligatoires absentes"));
    assert!(
        reply.body.contains(r#""field":"fichier""#),
        "{}",
        reply.body
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_good_file_of_350_rows_imports_them_all(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut admin_client = signed_in(&app, ADMIN).await;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (report, summary) = import(&mut admin_client, &good_rows(350)).await;
    assert_eq!(report["to_create"], 350);
    assert_eq!(summary["created"], 350);
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(after - before, 350);
    let published: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE title LIKE 'Atelier importé%' AND status = 'published'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(published, 350);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn import_export_import_round_trips(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let mut admin_client = signed_in(&app, ADMIN).await;
    let export = |client: &Client| {
        let mut request =
            client.request("/admin/export/evenements.csv", "text/plain", String::new());
        *request.method_mut() = axum::http::Method::GET;
        request
    };
    let first = send(&app, export(&admin_client)).await;
    assert_eq!(first.status, StatusCode::OK);
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&pool)
        .await
        .unwrap();
    let rows = csv::Reader::from_reader(first.body.as_bytes())
        .records()
        .count() as i64;
    assert_eq!(rows, total, "one row per event");
    // The export imported again as it is: every row is its own event, unchanged.
    let (_, report) = check(&mut admin_client, &first.body)
        .await
        .unwrap_or_else(|r| panic!("{}", r.body));
    assert_eq!(report["invalid"], 0, "{report}");
    assert_eq!(report["unchanged"], total, "{report}");
    // Empty the events, import the export, export again: the same file.
    sqlx::query("DELETE FROM events")
        .execute(&pool)
        .await
        .unwrap();
    let (report, summary) = import(&mut admin_client, &first.body).await;
    let errors: Vec<&Value> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["errors"].as_array().unwrap().is_empty())
        .collect();
    assert!(errors.is_empty(), "{:?}", &errors[..errors.len().min(5)]);
    assert_eq!(summary["created"], total);
    let second = send(&app, export(&admin_client)).await;
    assert_eq!(first.body, second.body);
    // The JSON export has everything, without password hashes.
    let mut request = admin_client.request("/admin/export/tout.json", "text/plain", String::new());
    *request.method_mut() = axum::http::Method::GET;
    let json = send(&app, request).await;
    assert_eq!(json.status, StatusCode::OK);
    let value = body_json(&json);
    assert_eq!(value["events"].as_array().unwrap().len() as i64, total);
    assert!(!json.body.contains("argon2"), "no password hashes");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn admins_create_and_edit_labs(pool: SqlitePool) {
    let app = demo_app(&pool).await;
    let lab_type: i64 = sqlx::query_scalar("SELECT id FROM lab_types LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let t = lab_type.to_string();
    let form = |slug: &'static str, name: &'static str, latitude: &'static str| {
        vec![
            ("slug", slug.to_string()),
            ("name", name.to_string()),
            ("host_structure", "Préfecture du Rhône".to_string()),
            ("lab_type", t.clone()),
            ("region", "84".to_string()),
            ("city", "Lyon".to_string()),
            ("latitude", latitude.to_string()),
            ("longitude", "4.83".to_string()),
            ("website", "https://lab.exemple.gouv.fr".to_string()),
            (
                "description",
                "Un laboratoire d'innovation territoriale.".to_string(),
            ),
            ("created_year", "2019".to_string()),
        ]
    };
    let mut organizer = signed_in(&app, ORGANIZER).await;
    let f = form("", "Lab Rhône", "45.76");
    assert_eq!(
        organizer
            .form(path::<admin::SaveLab>(), &pairs(&f))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        Client::new(&app)
            .form(path::<admin::SaveLab>(), &pairs(&f))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let mut admin_client = signed_in(&app, ADMIN).await;
    let bad = form("", "Lab Rhône", "145");
    let reply = admin_client
        .form(path::<admin::SaveLab>(), &pairs(&bad))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body_json(&reply)["fields"][0]["field"], "latitude");
    let reply = admin_client
        .form(path::<admin::SaveLab>(), &pairs(&f))
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    let mut edited = form("lab-rhone", "Lab Rhône – Métropole", "45.75");
    let version: i64 = sqlx::query_scalar("SELECT version FROM labs WHERE slug = 'lab-rhone'")
        .fetch_one(&pool)
        .await
        .unwrap();
    edited.push(("version", version.to_string()));
    let reply = admin_client
        .form(path::<admin::SaveLab>(), &pairs(&edited))
        .await;
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}",
        reply.body
    );
    let (name, lat): (String, f64) =
        sqlx::query_as("SELECT name, latitude FROM labs WHERE slug = 'lab-rhone'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((name.as_str(), lat), ("Lab Rhône – Métropole", 45.75));
    let page = get(&app, "/labs?region=84").await;
    assert!(page.body.contains("Lab Rhône – Métropole"));
}
