//! `/admin/courriels`: the outbox as administrators see it (admins only): every message,
//! newest first, its state, attempts, last error and dates, and « Renvoyer », which puts a
//! failed or sent message back in the queue (`accounts::mail` delivers it).
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::pages::AdminNav;
use crate::error::AppError;
use crate::forms::{PageForm, UnclaimedFormError};
use crate::pages::ErrorNotice;

/// Messages per page of the list.
pub const PER_PAGE: i64 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailState {
    Pending,
    Sent,
    Failed,
}

impl MailState {
    pub const ALL: [MailState; 3] = [MailState::Pending, MailState::Sent, MailState::Failed];

    /// The `outbox.state` value.
    pub fn db(self) -> &'static str {
        match self {
            MailState::Pending => "pending",
            MailState::Sent => "sent",
            MailState::Failed => "failed",
        }
    }

    pub fn from_db(state: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.db() == state)
    }

    /// The value of `?etat=` in the page's address.
    pub fn param(self) -> &'static str {
        match self {
            MailState::Pending => "en-attente",
            MailState::Sent => "envoye",
            MailState::Failed => "echec",
        }
    }

    pub fn from_param(param: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.param() == param)
    }

    pub fn label(self) -> &'static str {
        match self {
            MailState::Pending => "en attente",
            MailState::Sent => "envoyé",
            MailState::Failed => "échec",
        }
    }

    fn filter_label(self) -> &'static str {
        match self {
            MailState::Pending => "En attente",
            MailState::Sent => "Envoyés",
            MailState::Failed => "Échecs",
        }
    }

    fn badge(self) -> &'static str {
        match self {
            MailState::Pending => "fr-badge fr-badge--sm fr-badge--info",
            MailState::Sent => "fr-badge fr-badge--sm fr-badge--success",
            MailState::Failed => "fr-badge fr-badge--sm fr-badge--error",
        }
    }
}

/// One message of the list, its dates written for a person (Paris time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailLine {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub state: MailState,
    /// Pending and claimed by a sender right now.
    pub sending: bool,
    pub attempts: i64,
    pub error: Option<String>,
    pub created_at: String,
    /// When an administrator queued it again, if one did.
    pub requeued_at: Option<String>,
    pub last_attempt_at: Option<String>,
    pub sent_at: Option<String>,
    /// When a pending message is due.
    pub next_attempt_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailQueue {
    pub lines: Vec<MailLine>,
    /// Messages by state: pending, sent, failed.
    pub counts: [i64; 3],
    pub filter: Option<MailState>,
    pub page: i64,
    pub pages: i64,
}

impl MailQueue {
    fn count(&self, state: MailState) -> i64 {
        self.counts[MailState::ALL.iter().position(|s| *s == state).unwrap_or(0)]
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use chrono::{DateTime, Utc};

    /// « 10 novembre 2026 à 9 h 00 », Paris time.
    pub fn when(at: &str) -> String {
        match DateTime::parse_from_rfc3339(at) {
            Ok(at) => {
                let local = at
                    .with_timezone(&Utc)
                    .with_timezone(&chrono_tz::Europe::Paris);
                format!(
                    "{} à {}",
                    crate::fr::date_medium(local.date_naive()),
                    crate::fr::time(local.time())
                )
            }
            Err(_) => at.to_string(),
        }
    }
}

/// The outbox, newest first, `PER_PAGE` a page, of one state (`etat`) or all.
#[server(endpoint = "admin/courriels")]
pub async fn admin_mail_queue(
    etat: Option<String>,
    page: Option<i64>,
) -> Result<MailQueue, AppError> {
    use crate::server_fn::{admin, Reply};
    admin(Reply::Data, async |_, state| {
        let pool = &state.pool;
        let now = crate::time::timestamp(state.clock.now());
        let filter = etat.as_deref().and_then(MailState::from_param);
        let mut counts = [0i64; 3];
        let by_state: Vec<(String, i64)> =
            sqlx::query_as("SELECT state, count(*) FROM outbox GROUP BY state")
                .fetch_all(pool)
                .await?;
        for (state, n) in by_state {
            if let Some(i) = MailState::ALL.iter().position(|s| s.db() == state) {
                counts[i] = n;
            }
        }
        let matching = match filter {
            Some(f) => counts[MailState::ALL.iter().position(|s| *s == f).unwrap_or(0)],
            None => counts.iter().sum(),
        };
        let pages = ((matching + PER_PAGE - 1) / PER_PAGE).max(1);
        let page = page.unwrap_or(1).clamp(1, pages);
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            i64,
            String,
            String,
            String,
            i64,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        )> = sqlx::query_as(
            "SELECT id, recipient, subject, state, attempts, error, created_at, \
                 last_attempt_at, sent_at, next_attempt_at, claimed_until, queued_at FROM outbox \
                 WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3",
        )
        .bind(filter.map(MailState::db))
        .bind(PER_PAGE)
        .bind((page - 1) * PER_PAGE)
        .fetch_all(pool)
        .await?;
        let lines = rows
            .into_iter()
            .map(
                |(
                    id,
                    recipient,
                    subject,
                    state,
                    attempts,
                    error,
                    created_at,
                    last_attempt_at,
                    sent_at,
                    next_attempt_at,
                    claimed_until,
                    queued_at,
                )| {
                    let state = MailState::from_db(&state).unwrap_or(MailState::Failed);
                    MailLine {
                        id,
                        recipient,
                        subject,
                        state,
                        sending: state == MailState::Pending
                            && claimed_until.is_some_and(|until| until > now),
                        attempts,
                        error,
                        requeued_at: queued_at
                            .filter(|at| *at != created_at)
                            .as_deref()
                            .map(ssr::when),
                        created_at: ssr::when(&created_at),
                        last_attempt_at: last_attempt_at.as_deref().map(ssr::when),
                        sent_at: sent_at.as_deref().map(ssr::when),
                        next_attempt_at: next_attempt_at
                            .as_deref()
                            .filter(|_| state == MailState::Pending)
                            .map(ssr::when),
                    }
                },
            )
            .collect();
        Ok(MailQueue {
            lines,
            counts,
            filter,
            page,
            pages,
        })
    })
    .await
}

/// « Renvoyer »: puts a failed or sent message back in the queue, due at once, and wakes
/// the sender; the browser goes back to the list.
#[server(endpoint = "admin/courriels/renvoyer")]
pub async fn resend_mail(id: i64) -> Result<(), AppError> {
    use crate::server_fn::{admin, Reply};
    admin(Reply::Form, async |_, state| {
        let queued =
            crate::accounts::mail::requeue(&state.pool, &state.mailer, id, state.clock.now())
                .await?;
        state.mailer.wake();
        leptos_axum::redirect(if queued {
            "/admin/courriels?fait=renvoye"
        } else {
            "/admin/courriels?fait=deja"
        });
        Ok(())
    })
    .await
}

#[component]
pub fn MailQueuePage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        query.with(|q| {
            (
                q.get("etat"),
                q.get("page").and_then(|p| p.trim().parse::<i64>().ok()),
            )
        })
    };
    let data = Resource::new(params, |(etat, page)| admin_mail_queue(etat, page));
    view! {
        <Title text="Administration : courriels" />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let done = query.with_untracked(|q| q.get("fait"));
                match data.await {
                    Ok(queue) => view! { <MailQueueView queue done /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The address of the list of `filter`, at `page`.
fn list_href(filter: Option<MailState>, page: i64) -> String {
    let mut params = Vec::new();
    if let Some(f) = filter {
        params.push(format!("etat={}", f.param()));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    if params.is_empty() {
        "/admin/courriels".to_string()
    } else {
        format!("/admin/courriels?{}", params.join("&"))
    }
}

#[component]
fn MailQueueView(queue: MailQueue, done: Option<String>) -> impl IntoView {
    let resend = ServerAction::<ResendMail>::new();
    let notice = done.map(|d| {
        let text = match d.as_str() {
            "renvoye" => "Message remis dans la file d'envoi : il part dans un instant.",
            "deja" => "Ce message était déjà en attente d'envoi.",
            _ => "Enregistré.",
        };
        view! { <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status"><p>{text}</p></div> }
    });
    let filter = queue.filter;
    let total: i64 = queue.counts.iter().sum();
    let summary = format!(
        "{} en attente, {} envoyé{}, {} en échec.",
        queue.count(MailState::Pending),
        queue.count(MailState::Sent),
        if queue.count(MailState::Sent) > 1 {
            "s"
        } else {
            ""
        },
        queue.count(MailState::Failed),
    );
    let tags = std::iter::once((None, format!("Tous ({total})")))
        .chain(
            MailState::ALL
                .into_iter()
                .map(|s| (Some(s), format!("{} ({})", s.filter_label(), queue.count(s)))),
        )
        .map(|(state, label)| {
            view! {
                <li><a class="fr-tag fr-tag--sm" href=list_href(state, 1) aria-current=(state == filter).then_some("page")>{label}</a></li>
            }
        })
        .collect_view();
    let (page, pages) = (queue.page, queue.pages);
    let pagination = (pages > 1).then(|| {
        view! {
            <nav role="navigation" class="fr-pagination fr-mt-3w" aria-label="Pages de la liste des courriels">
                <ul class="fr-pagination__list">
                    <li>{if page > 1 {
                        view! { <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href=list_href(filter, page - 1)>"Plus récents"</a> }.into_any()
                    } else {
                        view! { <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" aria-disabled="true" role="link">"Plus récents"</a> }.into_any()
                    }}</li>
                    <li><a class="fr-pagination__link" aria-current="page" title=format!("Page {page}")>{format!("Page {page} sur {pages}")}</a></li>
                    <li>{if page < pages {
                        view! { <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href=list_href(filter, page + 1)>"Plus anciens"</a> }.into_any()
                    } else {
                        view! { <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" aria-disabled="true" role="link">"Plus anciens"</a> }.into_any()
                    }}</li>
                </ul>
            </nav>
        }
    });
    let empty = queue.lines.is_empty();
    // A « Renvoyer » whose row is not on this page (another page of the list, a wrong id)
    // shows its error here.
    let keys: Vec<String> = queue
        .lines
        .iter()
        .filter(|l| l.state != MailState::Pending)
        .map(|l| format!("renvoyer-{}", l.id))
        .collect();
    view! {
        <div class="fr-container fr-py-6w">
            <h1>"Administration"</h1>
            <AdminNav current="/admin/courriels" />
            {notice}
            <UnclaimedFormError action=resend keys />
            <h2 class="fr-h4">"Courriels"</h2>
            <p>
                "Chaque courriel de la plateforme (confirmations, mots de passe, décisions de modération) passe par cette file. "
                "Un échec temporaire est retenté de plus en plus tard (1 min, 5 min, 30 min, 2 h, 6 h, 12 h), puis marqué « échec » ; "
                "un refus définitif du serveur de messagerie l'est tout de suite."
            </p>
            <p data-mail-counts="">{summary}</p>
            <ul class="fr-tags-group fr-mb-2w">{tags}</ul>
            {empty.then(|| view! { <p>"Aucun courriel."</p> })}
            {(!empty).then(|| view! {
                <div class="fr-table">
                    <table>
                        <caption class="fr-sr-only">"Courriels, du plus récent au plus ancien"</caption>
                        <thead><tr>
                            <th scope="col">"Destinataire"</th>
                            <th scope="col">"Objet"</th>
                            <th scope="col">"État"</th>
                            <th scope="col">"Tentatives"</th>
                            <th scope="col">"Dernière erreur"</th>
                            <th scope="col">"Dates"</th>
                            <th scope="col">"Action"</th>
                        </tr></thead>
                        <tbody>
                            {queue.lines.into_iter().map(|line| {
                                let id = line.id;
                                let state = line.state;
                                let what = format!(" le courriel n° {id} à {}", line.recipient);
                                let action = (state != MailState::Pending).then(|| view! {
                                    <PageForm action=resend key=format!("renvoyer-{id}") attr:class="mip-inline-form">
                                        <input type="hidden" name="id" value=id />
                                        <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">"Renvoyer"<span class="fr-sr-only">{what}</span></button>
                                    </PageForm>
                                });
                                view! {
                                    <tr data-mail=id data-state=state.param()>
                                        <td>{line.recipient.clone()}</td>
                                        <td>{line.subject}</td>
                                        <td>
                                            <span class=state.badge()>{state.label()}</span>
                                            {line.sending.then(|| view! { <br /><span class="fr-text--xs">"envoi en cours"</span> })}
                                        </td>
                                        <td>{line.attempts}</td>
                                        <td class="fr-text--sm" data-mail-error="">{line.error.unwrap_or_default()}</td>
                                        <td class="fr-text--sm">
                                            {format!("Créé le {}", line.created_at)}
                                            {line.requeued_at.map(|at| view! { <br />{format!("Remis en file le {at}")} })}
                                            {line.last_attempt_at.map(|at| view! { <br />{format!("Dernière tentative le {at}")} })}
                                            {line.sent_at.map(|at| view! { <br />{format!("Envoyé le {at}")} })}
                                            {line.next_attempt_at.map(|at| view! { <br />{format!("Prochaine tentative le {at}")} })}
                                        </td>
                                        <td>{action}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {pagination}
        </div>
    }
}
