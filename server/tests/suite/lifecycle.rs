//! The event's life cycle, exhaustively, through the real router and database: every state ×
//! action × actor × referencing window (open, closed) gives what the table
//! (`app::events::lifecycle::decide`) says (the HTTP status of a refusal, the row, the edit
//! kept aside, what the public sees), and nothing changes on a refusal. Then random
//! sequences of actions on a few events: the text the public reads is always one that a
//! moderator published or wrote.
// Tables of cases and rows read back are written as tuples, in place.
use crate::common;

use axum::http::StatusCode;
use leptos::server_fn::ServerFn;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use sqlx::SqlitePool;

use app::events::lifecycle::{self, Action, Actor, Content, Edit, Refusal, State};
use app::moderation::server as moderation;
use app::organizer::server as organizer;
use app::reference::EventStatus;
use common::{app, Client, MODERATOR, ORGANIZER};
use server::db::MIGRATOR;

fn path<T: ServerFn>() -> &'static str {
    T::PATH
}

const OTHER_ORGANIZER: (&str, &str) = (
    "autre.organisateur@example.org",
    "un autre mot de passe sûr",
);

struct World {
    app: axum::Router,
    pool: SqlitePool,
    owner: Client,
    other: Client,
    moderator: Client,
    organizer_id: i64,
    moderator_id: i64,
    template: i64,
    template_input: Value,
    cases: i64,
    typed: i64,
}

async fn world(pool: SqlitePool) -> World {
    common::load_demo(&pool).await;
    let hash = server::accounts::hash_password(OTHER_ORGANIZER.1).unwrap();
    server::accounts::insert(
        &pool,
        &server::accounts::NewAccount {
            email: OTHER_ORGANIZER.0,
            password_hash: &hash,
            name: "Autre Organisateur",
            structure: "Mairie",
            organizer_type_id: None,
            region_code: None,
            role: app::reference::Role::Organizer,
        },
        common::test_now(),
    )
    .await
    .unwrap();
    let app = app(pool.clone());
    let mut owner = Client::new(&app);
    owner.sign_in(ORGANIZER.0, ORGANIZER.1).await;
    let mut other = Client::new(&app);
    other.sign_in(OTHER_ORGANIZER.0, OTHER_ORGANIZER.1).await;
    let mut moderator = Client::new(&app);
    moderator.sign_in(MODERATOR.0, MODERATOR.1).await;
    let id_of = |email: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM accounts WHERE email = ?")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let organizer_id = id_of(ORGANIZER.0).await;
    let moderator_id = id_of(MODERATOR.0).await;
    // A valid event of the current edition (what the form would hold), the template of every
    // case: a published demo event, read as the form reads it (staff may read any).
    let template: i64 = sqlx::query_scalar(
        "SELECT id FROM events WHERE edition_year = 2026 AND status = 'published' \
         AND out_of_period_reason IS NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let editable: Value = serde_json::from_str(
        &moderator
            .form(
                path::<organizer::EventForEdit>(),
                &[("id", &template.to_string())],
            )
            .await
            .body,
    )
    .unwrap();
    World {
        app,
        pool,
        owner,
        other,
        moderator,
        organizer_id,
        moderator_id,
        template,
        template_input: editable["input"].clone(),
        cases: 0,
        typed: 0,
    }
}

/// What the database says of an event.
#[derive(Debug, PartialEq)]
struct Row {
    status: String,
    published: bool,
    pending_title: Option<String>,
    needs_review: bool,
    title: String,
    version: i64,
}

async fn row(pool: &SqlitePool, id: i64) -> Option<Row> {
    let found: Option<(String, Option<String>, Option<String>, bool, String, i64)> = sqlx::query_as(
        "SELECT status, published_at, json_extract(pending_input, '$.title'), needs_review, title, version \
         FROM events WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
    .unwrap();
    found.map(
        |(status, published, pending_title, needs_review, title, version)| Row {
            status,
            published: published.is_some(),
            pending_title,
            needs_review,
            title,
            version,
        },
    )
}

impl World {
    /// A new event in `state`, owned by the organizer or by the moderator.
    async fn event_in(&mut self, state: State, staff_owned: bool) -> (i64, String) {
        self.cases += 1;
        let n = self.cases;
        let slug = format!("cas-{n}-2026");
        let owner = if staff_owned {
            self.moderator_id
        } else {
            self.organizer_id
        };
        let mut pending = self.template_input.clone();
        pending["title"] = json!(format!("Modification en attente {n}"));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO events (edition_year, organizer_id, slug, title, summary, description, format_id, \
                mode, audience_id, structure_name, organizer_type_id, lab_id, region_code, department_code, \
                city, venue_name, venue_address, postal_code, online_url, starts_at, ends_at, time_zone, \
                out_of_period_reason, registration_url, capacity, contact_name, contact_email, accessibility, \
                status, published_at, pending_input, needs_review, created_at, updated_at) \
             SELECT edition_year, ?, ?, ?, summary, description, format_id, \
                mode, audience_id, structure_name, organizer_type_id, lab_id, region_code, department_code, \
                city, venue_name, venue_address, postal_code, online_url, starts_at, ends_at, time_zone, \
                out_of_period_reason, registration_url, capacity, contact_name, contact_email, accessibility, \
                ?, ?, ?, ?, created_at, updated_at FROM events WHERE id = ? RETURNING id",
        )
        .bind(owner)
        .bind(&slug)
        .bind(format!("Texte approuvé {n}"))
        .bind(state.status.as_str())
        .bind(state.was_published.then_some("2026-10-01T10:00:00Z"))
        .bind((state.edit != Edit::None).then(|| pending.to_string()))
        .bind(state.edit == Edit::AwaitingReview)
        .bind(self.template)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO event_themes (event_id, theme_id) SELECT ?, theme_id FROM event_themes WHERE event_id = ?",
        )
        .bind(id)
        .bind(self.template)
        .execute(&self.pool)
        .await
        .unwrap();
        (id, slug)
    }

    /// Does `action` as `actor`; the status, and the title typed (a new one each time).
    async fn act(
        &mut self,
        id: i64,
        version: i64,
        action: Action,
        actor: Actor,
    ) -> (StatusCode, String) {
        self.typed += 1;
        let typed = format!("Texte saisi {}", self.typed);
        let client = match actor {
            Actor::Owner => &mut self.owner,
            Actor::OtherOrganizer => &mut self.other,
            Actor::Staff | Actor::StaffOwner => &mut self.moderator,
        };
        let (id_s, version_s) = (id.to_string(), version.to_string());
        let reply = match action {
            Action::Save | Action::SaveAndSubmit => {
                let mut input = self.template_input.clone();
                input["title"] = json!(typed.clone());
                client
                    .json(
                        path::<organizer::UpdateEvent>(),
                        json!({"id": id, "version": version, "input": input,
                               "submit": action == Action::SaveAndSubmit}),
                    )
                    .await
            }
            Action::Submit | Action::Cancel | Action::Delete => {
                let word = match action {
                    Action::Submit => "soumettre",
                    Action::Cancel => "annuler",
                    _ => "supprimer",
                };
                client
                    .form(
                        path::<organizer::ChangeEventStatus>(),
                        &[("id", &id_s), ("version", &version_s), ("action", word)],
                    )
                    .await
            }
            Action::Publish | Action::RequestChanges | Action::Reject => {
                let word = match action {
                    Action::Publish => "publier",
                    Action::RequestChanges => "modifications",
                    _ => "refuser",
                };
                client
                    .form(
                        path::<moderation::ModerateEvent>(),
                        &[
                            ("id", &id_s),
                            ("version", &version_s),
                            ("decision", word),
                            ("message", "Merci de préciser le lieu."),
                        ],
                    )
                    .await
            }
        };
        assert!(
            !reply.status.is_server_error(),
            "{action:?} by {actor:?}: {} {}",
            reply.status,
            reply.body
        );
        (reply.status, typed)
    }

    async fn is_public(&self, slug: &str) -> bool {
        let page = common::get(&self.app, &format!("/evenements/{slug}")).await;
        match page.status {
            StatusCode::OK => true,
            StatusCode::NOT_FOUND => false,
            other => panic!("/evenements/{slug}: {other}"),
        }
    }
}

fn expected_status(refusal: Refusal) -> StatusCode {
    match refusal {
        Refusal::NotFound => StatusCode::NOT_FOUND,
        Refusal::Forbidden(_) | Refusal::WindowClosed => StatusCode::FORBIDDEN,
        Refusal::Conflict(_) => StatusCode::CONFLICT,
    }
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_state_action_and_actor_does_what_the_table_says(pool: SqlitePool) {
    let mut world = world(pool.clone()).await;
    let mut checked = 0;
    for window_open in [true, false] {
        common::open_referencing(&pool, window_open).await;
        for state in State::all() {
            for action in Action::ALL {
                for actor in Actor::ALL {
                    let (id, slug) = world.event_in(state, actor == Actor::StaffOwner).await;
                    let before = row(&pool, id).await.unwrap();
                    let n = world.cases;
                    let case =
                        format!("{state:?} {action:?} by {actor:?}, window open: {window_open}");
                    let (status, typed) = world.act(id, before.version, action, actor).await;
                    let after = row(&pool, id).await;
                    // Organizers never reach the moderators' functions (403, whatever the event).
                    let expected = if action.is_decision()
                        && matches!(actor, Actor::Owner | Actor::OtherOrganizer)
                    {
                        Err(Refusal::Forbidden(lifecycle::STAFF_ONLY))
                    } else {
                        lifecycle::decide(state, action, actor, window_open)
                    };
                    match expected {
                        Err(refusal) => {
                            assert_eq!(status, expected_status(refusal), "{case}");
                            assert_eq!(after.as_ref(), Some(&before), "{case}: nothing changes");
                        }
                        Ok(outcome) => {
                            assert!(
                                status.is_success() || status.is_redirection(),
                                "{case}: {status}"
                            );
                            if outcome.content == Content::Deleted {
                                assert_eq!(after, None, "{case}");
                                continue;
                            }
                            let after = after.unwrap();
                            let next = outcome.state;
                            assert_eq!(after.status, next.status.as_str(), "{case}");
                            assert_eq!(after.published, next.was_published, "{case}");
                            assert_eq!(
                                (after.pending_title.is_some(), after.needs_review),
                                match next.edit {
                                    Edit::None => (false, false),
                                    Edit::AwaitingReview => (true, true),
                                    Edit::Returned => (true, false),
                                },
                                "{case}"
                            );
                            let approved = format!("Texte approuvé {n}");
                            let waiting = format!("Modification en attente {n}");
                            let (title, pending) = match outcome.content {
                                Content::Row => (typed.as_str(), None),
                                Content::Pending => (approved.as_str(), Some(typed.as_str())),
                                Content::ApplyPending => (waiting.as_str(), None),
                                _ => (
                                    approved.as_str(),
                                    before
                                        .pending_title
                                        .as_deref()
                                        .filter(|_| next.edit != Edit::None),
                                ),
                            };
                            assert_eq!(after.title, title, "{case}");
                            assert_eq!(after.pending_title.as_deref(), pending, "{case}");
                            assert_eq!(world.is_public(&slug).await, next.is_public(), "{case}");
                            assert_eq!(
                                after.version,
                                before.version
                                    + 1
                                    + i64::from(outcome.content == Content::ApplyPending),
                                "{case}"
                            );
                        }
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 600, "{checked} cases");
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn public_text_was_always_seen_by_a_moderator(pool: SqlitePool) {
    let mut world = world(pool.clone()).await;
    common::open_referencing(&pool, true).await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(23);
    let mut events = Vec::new();
    for staff_owned in [false, false, true] {
        let (id, slug) = world
            .event_in(State::new(EventStatus::Draft), staff_owned)
            .await;
        events.push((id, slug));
    }
    // Texts a moderator saw: published by one, or written by one on someone else's event.
    let mut seen: Vec<String> = Vec::new();
    for step in 0..400 {
        let (id, slug) = events[rng.random_range(0..events.len())].clone();
        let Some(before) = row(&pool, id).await else {
            continue;
        };
        let action = Action::ALL[rng.random_range(0..Action::ALL.len())];
        let actor = Actor::ALL[rng.random_range(0..Actor::ALL.len())];
        let staff_owned = id == events[2].0;
        // The moderator is the owner of the third event: « Staff » acts on the first two.
        let actor = match (actor, staff_owned) {
            (Actor::Staff | Actor::StaffOwner, true) => Actor::StaffOwner,
            (Actor::Staff | Actor::StaffOwner, false) => Actor::Staff,
            (other, _) => other,
        };
        let (status, _) = world.act(id, before.version, action, actor).await;
        let Some(after) = row(&pool, id).await else {
            continue;
        };
        if status.is_success() || status.is_redirection() {
            if actor == Actor::Staff && matches!(action, Action::Save | Action::SaveAndSubmit) {
                seen.push(after.title.clone());
            }
            if action == Action::Publish {
                seen.push(after.title.clone());
            }
        }
        if world.is_public(&slug).await {
            let page = common::get(&world.app, &format!("/evenements/{slug}")).await;
            assert!(
                page.body.contains(after.title.as_str()) && seen.contains(&after.title),
                "step {step}: {action:?} by {actor:?}: public « {} » was never seen by a moderator",
                after.title
            );
        }
    }
}
