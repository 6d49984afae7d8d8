//! Version checks on the admin area's writes (issue 23): editions, vocabulary values, accounts
//! and labs carry a version that every admin write bumps; a form rendered from an older
//! version (two admins on the same record) gets 409 and writes nothing, and the page says so
//! with a link to reload it.
use crate::common;

use axum::http::{header, StatusCode};
use leptos::server_fn::ServerFn;
use serde_json::Value;
use sqlx::SqlitePool;

use app::admin::server as admin;
use common::{app, send, Client, Reply, ADMIN, MODERATOR, ORGANIZER};
use server::db::MIGRATOR;

fn path<T: ServerFn>() -> &'static str {
    T::PATH
}

fn body_json(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn saved(reply: &Reply) {
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
}

/// A 409 that tells the admin that someone else changed the record and to reload the page.
fn conflict(reply: &Reply) {
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    let body = body_json(reply);
    assert_eq!(body["error"], "conflict");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("Rechargez la page"), "{message}");
}

/// Two admins, each signed in in their own browser: the demo's administrator, and the
/// demo's moderator made an administrator.
async fn two_admins(pool: &SqlitePool) -> (axum::Router, Client, Client) {
    common::load_demo(pool).await;
    sqlx::query("UPDATE accounts SET role = 'admin' WHERE email = ?")
        .bind(MODERATOR.0)
        .execute(pool)
        .await
        .unwrap();
    let app = app(pool.clone());
    let mut first = Client::new(&app);
    first.sign_in(ADMIN.0, ADMIN.1).await;
    assert!(first.cookie.is_some(), "first admin signed in");
    let mut second = Client::new(&app);
    second.sign_in(MODERATOR.0, MODERATOR.1).await;
    assert!(second.cookie.is_some(), "second admin signed in");
    (app, first, second)
}

/// An admin page as the browser gets it.
async fn page(app: &axum::Router, client: &Client, uri: &str) -> Reply {
    let mut request = client.request(uri, "text/plain", String::new());
    *request.method_mut() = axum::http::Method::GET;
    request.headers_mut().insert(
        header::ACCEPT,
        header::HeaderValue::from_static("text/html"),
    );
    send(app, request).await
}

fn edition_form(year: i32, tagline: &str, version: Option<i64>) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("year", year.to_string()),
        // The demo's numbering (2026 is the 10th): each edition has its own ordinal.
        ("ordinal", (year - 2016).to_string()),
        ("theme_of_year", String::new()),
        ("tagline", tagline.to_string()),
        ("starts_on", format!("{year}-11-02")),
        ("ends_on", format!("{year}-11-30")),
        ("referencing_opens_on", format!("{year}-09-01")),
        ("referencing_closes_on", format!("{year}-10-29")),
        ("is_current", "oui".to_string()),
    ];
    if let Some(v) = version {
        form.push(("version", v.to_string()));
    }
    form
}

async fn edition_version(client: &mut Client, year: i64) -> i64 {
    let reply = client.form(path::<admin::AdminOverview>(), &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    body_json(&reply)["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|pair| pair[0] == year)
        .unwrap_or_else(|| panic!("edition {year} listed"))[1]
        .as_i64()
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_stale_edition_form_gets_a_conflict_and_writes_nothing(pool: SqlitePool) {
    let (app, mut first, mut second) = two_admins(&pool).await;
    let version = edition_version(&mut first, 2026).await;
    assert_eq!(edition_version(&mut second, 2026).await, version);
    // The edition form carries the version it was rendered with.
    let form_page = page(&app, &first, "/admin?annee=2026").await;
    assert_eq!(form_page.status, StatusCode::OK);
    assert!(
        form_page
            .body
            .contains(&format!(r#"name="version" value="{version}""#)),
        "hidden version field"
    );

    let reply = first
        .form(
            path::<admin::SaveEdition>(),
            &pairs(&edition_form(2026, "Premier administrateur", Some(version))),
        )
        .await;
    saved(&reply);
    let reply = second
        .form(
            path::<admin::SaveEdition>(),
            &pairs(&edition_form(2026, "Second administrateur", Some(version))),
        )
        .await;
    conflict(&reply);
    let (tagline, stored): (String, i64) =
        sqlx::query_as("SELECT tagline, version FROM editions WHERE year = 2026")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(tagline, "Premier administrateur");
    assert_eq!(stored, version + 1);

    // A form for a new edition whose year exists meanwhile: 409, not an overwrite.
    let reply = second
        .form(
            path::<admin::SaveEdition>(),
            &pairs(&edition_form(2026, "Nouvelle édition 2026", None)),
        )
        .await;
    conflict(&reply);
    assert!(body_json(&reply)["message"]
        .as_str()
        .unwrap()
        .contains("existe déjà"));
    let tagline: String = sqlx::query_scalar("SELECT tagline FROM editions WHERE year = 2026")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(tagline, "Premier administrateur");

    // Making 2027 current changes 2026 (no longer current): its version moves on too.
    let reply = first
        .form(
            path::<admin::SaveEdition>(),
            &pairs(&edition_form(2027, "", None)),
        )
        .await;
    saved(&reply);
    let reply = second
        .form(
            path::<admin::SaveEdition>(),
            &pairs(&edition_form(
                2026,
                "Second administrateur",
                Some(version + 1),
            )),
        )
        .await;
    conflict(&reply);
    let current: Vec<i64> = sqlx::query_scalar("SELECT year FROM editions WHERE is_current = 1")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        current,
        vec![2027],
        "the stale form did not take the site back"
    );

    // Without JavaScript: the form posts, the server sends the browser back to the page,
    // which shows the conflict and a link to reload it.
    let form = edition_form(2026, "Second administrateur", Some(version));
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs(&form))
        .finish();
    let mut request = second.request(
        path::<admin::SaveEdition>(),
        "application/x-www-form-urlencoded",
        body,
    );
    request.headers_mut().insert(
        header::ACCEPT,
        header::HeaderValue::from_static("text/html"),
    );
    request.headers_mut().insert(
        header::REFERER,
        header::HeaderValue::from_static("http://127.0.0.1:3000/admin?annee=2026"),
    );
    let reply = send(&app, request).await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let back = reply.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(back.contains("__err="), "{back}");
    let back = back.trim_start_matches("http://127.0.0.1:3000");
    let shown = page(&app, &second, back).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown
            .body
            .contains("a été modifiée par quelqu&#39;un d&#39;autre")
            || shown.body.contains("a été modifiée par quelqu'un d'autre"),
        "conflict shown"
    );
    assert!(shown.body.contains("Recharger la page"));
    assert!(shown.body.contains(r#"href="/admin?annee=2026""#));
}

async fn theme_of(client: &mut Client, id: i64) -> Value {
    let reply = client
        .form(path::<admin::AdminVocabulary>(), &[("kind", "themes")])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    body_json(&reply)
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["item"]["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("theme {id} listed"))
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_stale_vocabulary_form_gets_a_conflict_and_writes_nothing(pool: SqlitePool) {
    let (app, mut first, mut second) = two_admins(&pool).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM themes ORDER BY position LIMIT 1 OFFSET 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let version = theme_of(&mut first, id).await["version"].as_i64().unwrap();
    assert_eq!(
        theme_of(&mut second, id).await["version"].as_i64().unwrap(),
        version
    );
    let vocabularies = page(&app, &first, "/admin/vocabulaires?v=themes").await;
    assert!(vocabularies
        .body
        .contains(&format!(r#"name="version" value="{version}""#)));

    let change = path::<admin::ChangeVocabulary>();
    let (id_text, v) = (id.to_string(), version.to_string());
    let rename = |label: &'static str, version: &str| {
        vec![
            ("kind", "themes".to_string()),
            ("action", "renommer".to_string()),
            ("id", id_text.clone()),
            ("libelle", label.to_string()),
            ("version", version.to_string()),
        ]
    };
    saved(
        &first
            .form(change, &pairs(&rename("Renommé par le premier", &v)))
            .await,
    );
    conflict(
        &second
            .form(change, &pairs(&rename("Renommé par le second", &v)))
            .await,
    );
    // Reordering and retiring from the stale page are refused too; so is a form without
    // any version (older than the version checks).
    for action in ["monter", "descendre", "retirer"] {
        conflict(
            &second
                .form(
                    change,
                    &[
                        ("kind", "themes"),
                        ("action", action),
                        ("id", &id_text),
                        ("version", &v),
                    ],
                )
                .await,
        );
    }
    conflict(
        &second
            .form(
                change,
                &[
                    ("kind", "themes"),
                    ("action", "renommer"),
                    ("id", &id_text),
                    ("libelle", "Sans version"),
                ],
            )
            .await,
    );
    let (label, retired, stored): (String, bool, i64) =
        sqlx::query_as("SELECT label, retired, version FROM themes WHERE id = ?")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(label, "Renommé par le premier");
    assert!(!retired);
    assert_eq!(stored, version + 1);
    let position: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM themes WHERE position < (SELECT position FROM themes WHERE id = ?)",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(position, 1, "not moved");

    // With the fresh version, a move bumps the two values that swapped places.
    let fresh = (version + 1).to_string();
    let above: (i64, i64) =
        sqlx::query_as("SELECT id, version FROM themes ORDER BY position LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    saved(
        &second
            .form(
                change,
                &[
                    ("kind", "themes"),
                    ("action", "monter"),
                    ("id", &id_text),
                    ("version", &fresh),
                ],
            )
            .await,
    );
    let first_now: (i64, i64) =
        sqlx::query_as("SELECT id, version FROM themes ORDER BY position LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(first_now, (id, version + 2));
    let moved_down: i64 = sqlx::query_scalar("SELECT version FROM themes WHERE id = ?")
        .bind(above.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(moved_down, above.1 + 1);
    // The value it swapped with: its old version is stale now.
    conflict(
        &first
            .form(
                change,
                &[
                    ("kind", "themes"),
                    ("action", "retirer"),
                    ("id", &above.0.to_string()),
                    ("version", &above.1.to_string()),
                ],
            )
            .await,
    );
}

async fn account_version(client: &mut Client, email: &str) -> i64 {
    let reply = client
        .form(path::<admin::AdminAccounts>(), &[("q", email)])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    body_json(&reply)
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == email)
        .unwrap_or_else(|| panic!("{email} listed"))["version"]
        .as_i64()
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_stale_account_form_gets_a_conflict_and_writes_nothing(pool: SqlitePool) {
    let (app, mut first, mut second) = two_admins(&pool).await;
    let mut organizer = Client::new(&app);
    organizer.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    assert!(organizer.cookie.is_some());
    let id: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?")
        .bind(ORGANIZER.0)
        .fetch_one(&pool)
        .await
        .unwrap();
    let version = account_version(&mut first, ORGANIZER.0).await;
    assert_eq!(account_version(&mut second, ORGANIZER.0).await, version);
    let accounts = page(&app, &first, "/admin/comptes?q=organisat").await;
    assert!(accounts
        .body
        .contains(&format!(r#"name="version" value="{version}""#)));

    let (id_text, v) = (id.to_string(), version.to_string());
    // The first makes the organizer a moderator; the second, from the same version, would
    // disable the account (and end its sessions).
    saved(
        &first
            .form(
                path::<admin::UpdateAccount>(),
                &[("id", &id_text), ("role", "moderator"), ("version", &v)],
            )
            .await,
    );
    conflict(
        &second
            .form(
                path::<admin::UpdateAccount>(),
                &[
                    ("id", &id_text),
                    ("role", "organizer"),
                    ("disabled", "oui"),
                    ("version", &v),
                ],
            )
            .await,
    );
    conflict(
        &second
            .form(
                path::<admin::UpdateAccount>(),
                &[("id", &id_text), ("role", "organizer"), ("disabled", "oui")],
            )
            .await,
    );
    let (role, disabled, stored): (String, bool, i64) =
        sqlx::query_as("SELECT role, disabled_at IS NOT NULL, version FROM accounts WHERE id = ?")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((role.as_str(), disabled), ("moderator", false));
    assert_eq!(stored, version + 1);
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions WHERE account_id = ?")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(sessions > 0, "the stale form ended no session");
}

async fn lab_version(client: &mut Client, slug: &str) -> i64 {
    let reply = client
        .form(path::<admin::AdminLabOptions>(), &[("lab", slug)])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    body_json(&reply)["version"]
        .as_i64()
        .expect("the lab's version")
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_stale_lab_form_gets_a_conflict_and_writes_nothing(pool: SqlitePool) {
    let (app, mut first, mut second) = two_admins(&pool).await;
    let (slug, lab_type): (String, i64) =
        sqlx::query_as("SELECT slug, lab_type_id FROM labs ORDER BY id LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let version = lab_version(&mut first, &slug).await;
    assert_eq!(lab_version(&mut second, &slug).await, version);
    let form_page = page(&app, &first, &format!("/admin/labs?lab={slug}")).await;
    assert!(form_page
        .body
        .contains(&format!(r#"name="version" value="{version}""#)));

    let form = |name: &str, version: Option<i64>| {
        let mut form = vec![
            ("slug", slug.clone()),
            ("name", name.to_string()),
            ("host_structure", "Préfecture du Rhône".to_string()),
            ("lab_type", lab_type.to_string()),
            ("region", "84".to_string()),
            ("city", "Lyon".to_string()),
            ("latitude", "45.76".to_string()),
            ("longitude", "4.83".to_string()),
            ("website", String::new()),
            ("description", String::new()),
            ("created_year", "2019".to_string()),
        ];
        if let Some(v) = version {
            form.push(("version", v.to_string()));
        }
        form
    };
    saved(
        &first
            .form(
                path::<admin::SaveLab>(),
                &pairs(&form("Lab du premier", Some(version))),
            )
            .await,
    );
    conflict(
        &second
            .form(
                path::<admin::SaveLab>(),
                &pairs(&form("Lab du second", Some(version))),
            )
            .await,
    );
    conflict(
        &second
            .form(
                path::<admin::SaveLab>(),
                &pairs(&form("Lab du second", None)),
            )
            .await,
    );
    let (name, stored): (String, i64) =
        sqlx::query_as("SELECT name, version FROM labs WHERE slug = ?")
            .bind(&slug)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(name, "Lab du premier");
    assert_eq!(stored, version + 1);
    // A new lab needs no version.
    let mut new_lab = form("Lab tout neuf", None);
    new_lab[0].1 = String::new();
    saved(
        &second
            .form(path::<admin::SaveLab>(), &pairs(&new_lab))
            .await,
    );
    let version: i64 = sqlx::query_scalar("SELECT version FROM labs WHERE name = 'Lab tout neuf'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(version, 1);
}

/// The form of a theme used only as an edition's theme of the year retires it (the edition
/// still names it), with its version, and never fails.
#[sqlx::test(migrator = "MIGRATOR")]
async fn retiring_the_theme_of_the_year_with_its_version_keeps_it(pool: SqlitePool) {
    let (_app, mut first, _) = two_admins(&pool).await;
    let theme: i64 = sqlx::query_scalar(
        "INSERT INTO themes (slug, label, position) VALUES ('theme-annee', 'Thème de l''année seul', 99) RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE editions SET theme_of_year_id = ? WHERE year = 2025")
        .bind(theme)
        .execute(&pool)
        .await
        .unwrap();
    let version = theme_of(&mut first, theme).await["version"]
        .as_i64()
        .unwrap();
    assert_eq!(version, 1, "a new value starts at version 1");
    saved(
        &first
            .form(
                path::<admin::ChangeVocabulary>(),
                &[
                    ("kind", "themes"),
                    ("action", "retirer"),
                    ("id", &theme.to_string()),
                    ("version", "1"),
                ],
            )
            .await,
    );
    let (retired, version): (bool, i64) =
        sqlx::query_as("SELECT retired, version FROM themes WHERE id = ?")
            .bind(theme)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(retired, "kept (the edition names it), retired");
    assert_eq!(version, 2);
}
