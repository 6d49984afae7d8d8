//! Moderation pages: the queue (`/moderation`) and one event under review
//! (`/moderation/evenements/{id}`). Plain forms: they work without JavaScript.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::{Queue, Review};
use super::server::{moderation_queue, moderation_review, BulkPublish, ModerateEvent};
use crate::forms::{action_field_error, PageForm};
use crate::fr;
use crate::pages::ErrorNotice;

fn done_notice(done: &str, count: Option<String>) -> Option<&'static str> {
    let _ = count;
    match done {
        "publie" => Some("Événement publié : il apparaît dans le programme."),
        "publies" => Some("Événements publiés : ils apparaissent dans le programme."),
        "modifications" => Some("Demande de modifications envoyée à l'organisateur."),
        "refuse" => Some("Refus envoyé à l'organisateur."),
        _ => None,
    }
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        query.with(|q| {
            (
                q.get("q").unwrap_or_default(),
                q.get("region").unwrap_or_default(),
                q.get("type").unwrap_or_default(),
                q.get("theme").unwrap_or_default(),
            )
        })
    };
    let page = move || {
        query
            .with(|q| q.get("page"))
            .and_then(|p| p.parse::<usize>().ok())
    };
    let data = Resource::new(
        move || (params(), page()),
        |((q, region, kind, theme), page)| async move {
            let queue = moderation_queue(q, region, kind, Some(theme), page).await?;
            let options = crate::organizer::server::event_form_options().await?;
            Ok::<_, crate::error::AppError>((queue, options.regions, options.themes))
        },
    );
    let notice = move || {
        query
            .with(|q| q.get("fait"))
            .and_then(|d| done_notice(&d, None))
            .map(|text| {
                view! {
                    <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status">
                        <p>{text}</p>
                    </div>
                }
            })
    };
    view! {
        <Title text="Modération" />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=|| view! { <div class="fr-container fr-py-6w"><p>"Chargement…"</p></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((queue, regions, themes)) => {
                        let (q, region, kind, theme) = params();
                        let zones = regions.clone();
                        let filters = [("q", q.clone()), ("region", region.clone()), ("type", kind.clone()), ("theme", theme.clone())];
                        view! {
                            <div class="fr-container fr-py-6w">
                                <h1>"Modération"</h1>
                                {notice}
                                <QueueFilters q region kind theme regions themes />
                                <QueueTable queue regions=zones filters />
                            </div>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QueueFilters(
    q: String,
    region: String,
    kind: String,
    theme: String,
    regions: Vec<crate::reference::Region>,
    themes: Vec<crate::reference::VocabularyItem>,
) -> impl IntoView {
    view! {
        <form method="get" action="/moderation" class="mip-queue-filters fr-mb-4w" aria-label="Filtrer la file">
            <div class="fr-input-group">
                <label class="fr-label" for="q">"Rechercher"<span class="fr-hint-text">"Titre, structure, organisateur, commune"</span></label>
                <input class="fr-input" id="q" name="q" type="search" value=q />
            </div>
            <div class="fr-select-group">
                <label class="fr-label" for="region">"Région"</label>
                <select class="fr-select" id="region" name="region">
                    <option value="" selected=region.is_empty()>"Toutes les régions"</option>
                    {regions
                        .into_iter()
                        .map(|r| {
                            let selected = r.code == region;
                            view! { <option value=r.code.clone() selected=selected>{r.name.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="fr-select-group">
                <label class="fr-label" for="theme">"Thème"</label>
                <select class="fr-select" id="theme" name="theme">
                    <option value="" selected=theme.is_empty()>"Tous les thèmes"</option>
                    {themes
                        .into_iter()
                        .map(|t| {
                            let selected = t.id.to_string() == theme;
                            view! { <option value=t.id.to_string() selected=selected>{t.label.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="fr-select-group">
                <label class="fr-label" for="type">"À relire"</label>
                <select class="fr-select" id="type" name="type">
                    <option value="" selected=kind.is_empty()>"Tout"</option>
                    <option value="nouveaux" selected=kind == "nouveaux">"Nouveaux événements soumis"</option>
                    <option value="modifies" selected=kind == "modifies">"Publiés, modifiés depuis"</option>
                </select>
            </div>
            <button class="fr-btn fr-btn--secondary" type="submit">"Filtrer"</button>
        </form>
    }
}

/// The queue's address with these filters, at `page`.
fn queue_href(filters: &[(&str, String)], page: usize) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in filters.iter().filter(|(_, v)| !v.is_empty()) {
        out.append_pair(name, value);
    }
    if page > 1 {
        out.append_pair("page", &page.to_string());
    }
    match out.finish() {
        query if query.is_empty() => "/moderation".into(),
        query => format!("/moderation?{query}"),
    }
}

/// Previous and next pages of the queue, when it has more than one.
#[component]
fn QueuePagination(
    filters: [(&'static str, String); 4],
    page: usize,
    pages: usize,
) -> impl IntoView {
    let link = move |to: usize, class: &'static str, label: &'static str, enabled: bool| {
        if enabled {
            view! { <a class=class href=queue_href(&filters, to)>{label}</a> }.into_any()
        } else {
            view! { <a class=class aria-disabled="true" role="link">{label}</a> }.into_any()
        }
    };
    let prev = "fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label";
    let next = "fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label";
    (pages > 1).then(|| view! {
        <nav role="navigation" class="fr-pagination fr-mt-3w" aria-label="Pages de la file de modération">
            <ul class="fr-pagination__list">
                <li>{link(page.saturating_sub(1), prev, "Plus anciens", page > 1)}</li>
                <li><a class="fr-pagination__link" aria-current="page" title=format!("Page {page}")>{format!("Page {page} sur {pages}")}</a></li>
                <li>{link(page + 1, next, "Plus récents", page < pages)}</li>
            </ul>
        </nav>
    })
}

#[component]
fn QueueTable(
    queue: Queue,
    regions: Vec<crate::reference::Region>,
    filters: [(&'static str, String); 4],
) -> impl IntoView {
    let bulk = ServerAction::<BulkPublish>::new();
    let matching = queue.matching.max(queue.items.len());
    let heading = if matching == queue.total {
        fr::count(matching as i64, "événement à relire", "événements à relire")
    } else {
        format!(
            "{} sur {}",
            fr::number(matching as i64),
            fr::count(
                queue.total as i64,
                "événement à relire",
                "événements à relire"
            )
        )
    };
    let (page, pages) = (queue.page.max(1), queue.pages.max(1));
    let range = (pages > 1).then(|| {
        let first = queue.first_rank();
        let last = first + queue.items.len().saturating_sub(1);
        view! { <p class="fr-text--sm">{format!("Événements {} à {}, les plus anciens d'abord : « Publier la sélection » publie ce qui est coché sur cette page.", fr::number(first as i64), fr::number(last as i64))}</p> }
    });
    if queue.items.is_empty() {
        return view! {
            <h2 class="fr-h4" id="file-titre">{heading}</h2>
            <p>"Rien à relire pour le moment."</p>
        }
        .into_any();
    }
    view! {
        <h2 class="fr-h4" id="file-titre">{heading}</h2>
        {range}
        <PageForm action=bulk attr:aria-labelledby="file-titre">
            <div class="fr-table fr-table--no-caption">
                <table>
                    <caption>"Événements à relire, les plus anciens d'abord"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Sélection"</th>
                            <th scope="col">"Événement"</th>
                            <th scope="col">"Organisateur"</th>
                            <th scope="col">"Date et lieu"</th>
                            <th scope="col">"En attente depuis"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {queue
                            .items
                            .into_iter()
                            .map(|item| {
                                let check = format!("choix-{}", item.id);
                                view! {
                                    <tr data-queue-event=item.id>
                                        <td>
                                            <div class="fr-checkbox-group fr-checkbox-group--sm">
                                                <input type="checkbox" id=check.clone() name="selection[]" value=format!("{}:{}", item.id, item.version)
                                                    checked=crate::forms::kept_checked("selection[]", &format!("{}:{}", item.id, item.version)).unwrap_or(false) />
                                                <label class="fr-label" for=check>
                                                    <span class="fr-sr-only">{format!("Sélectionner « {} »", item.title)}</span>
                                                </label>
                                            </div>
                                        </td>
                                        <td>
                                            <a class="fr-link" href=format!("/moderation/evenements/{}", item.id)>{item.title.clone()}</a>
                                            <br />
                                            {if item.needs_review {
                                                view! { <span class="fr-badge fr-badge--sm fr-badge--new">"Publié, modifié depuis"</span> }.into_any()
                                            } else {
                                                view! { <span class="fr-badge fr-badge--sm fr-badge--info">"Nouveau"</span> }.into_any()
                                            }}
                                            {(!item.duplicates.is_empty()).then(|| view! {
                                                <p class="fr-text--xs fr-mb-0 mip-duplicate-hint">
                                                    {format!("Doublon possible : {}", item.duplicates.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>().join(" ; "))}
                                                </p>
                                            })}
                                        </td>
                                        <td>{item.structure.clone()}<br /><span class="fr-text--xs">{item.organizer.clone()}</span></td>
                                        <td>{item.start_label(&regions)}<br /><span class="fr-text--xs">{item.region.clone()}</span>{item.out_of_period_reason.clone().map(|reason| view! { <br /><span class="fr-text--xs" data-out-of-period="">{format!("Hors période : {reason}")}</span> })}</td>
                                        <td>{chrono::NaiveDate::parse_from_str(item.waiting_since.get(..10).unwrap_or(""), "%Y-%m-%d").map(fr::date_medium).unwrap_or_default()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <button class="fr-btn" type="submit">"Publier la sélection"</button>
        </PageForm>
        <QueuePagination filters page pages />
    }
    .into_any()
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(id, moderation_review);
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense fallback=|| view! { <div class="fr-container fr-py-6w"><p>"Chargement…"</p></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(review) => view! { <ReviewView review /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewView(review: Review) -> impl IntoView {
    let publish = ServerAction::<ModerateEvent>::new();
    let changes = ServerAction::<ModerateEvent>::new();
    let refuse = ServerAction::<ModerateEvent>::new();
    let card = review.detail.card.clone();
    let detail = review.detail.clone();
    let id = review.id;
    let version = review.version;
    let place = match (&card.city, &detail.venue_address) {
        (Some(city), Some(address)) => format!("{address}, {city} ({})", card.region),
        (Some(city), None) => format!("{city} ({})", card.region),
        _ => card.region.clone(),
    };
    let title = format!("Relecture : {}", card.title);
    view! {
        <Title text=title />
        <div class="fr-container fr-py-6w">
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li><a class="fr-breadcrumb__link" href="/moderation">"Modération"</a></li>
                    <li><a class="fr-breadcrumb__link" aria-current="page">{card.title.clone()}</a></li>
                </ol>
            </nav>
            <h1>{card.title.clone()}</h1>
            <p>
                <span class="fr-badge" data-status=review.status.as_str()>{review.status.label()}</span>
                {review.needs_review.then(|| view! { " " <span class="fr-badge fr-badge--new">"Modifié depuis la dernière relecture"</span> })}
            </p>
            <p>
                "Organisateur : " <strong>{review.organizer_name.clone()}</strong> " (" {review.organizer_email.clone()} ") – "
                {detail.organizer_type.clone()} " : " {card.structure.clone()}
            </p>
            {(!review.duplicates.is_empty()).then(|| view! {
                <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-3w">
                    <p>
                        "Doublon possible (même organisateur, même jour, titre proche) : "
                        {review.duplicates.iter().map(|(id, t)| view! { <a class="fr-link" href=format!("/moderation/evenements/{id}")>{t.clone()}</a> " " }).collect_view()}
                    </p>
                </div>
            })}
            {(!review.changes.is_empty()).then(|| view! {
                <h2 class="fr-h4">"Ce qui a changé depuis la dernière relecture"</h2>
                <div class="fr-table">
                    <table class="mip-diff">
                        <caption class="fr-sr-only">"Champs modifiés, avant et après"</caption>
                        <thead><tr><th scope="col">"Champ"</th><th scope="col">"Avant"</th><th scope="col">"Après"</th></tr></thead>
                        <tbody>
                            {review.changes.iter().map(|c| view! {
                                <tr data-changed=c.label.clone()>
                                    <th scope="row">{c.label.clone()}</th>
                                    <td><del>{c.before.clone()}</del></td>
                                    <td><ins>{c.after.clone()}</ins></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <h2 class="fr-h4">"L'événement tel que le public le verra"</h2>
            <section class="mip-preview fr-mb-4w" aria-label="Aperçu public">
                {(!card.summary.is_empty()).then(|| view! { <p class="fr-text--lead">{card.summary.clone()}</p> })}
                <ul class="fr-badges-group">
                    <li><p class="fr-badge fr-badge--info fr-badge--no-icon">{card.format.clone()}</p></li>
                    <li><p class="fr-badge fr-badge--no-icon">{card.mode.label()}</p></li>
                </ul>
                <p class="fr-icon-calendar-line">" " {card.when()}</p>
                {card.out_of_period_reason.clone().map(|reason| view! {
                    <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-2w" data-out-of-period="">
                        <p><strong>"Hors période : "</strong>{reason}</p>
                    </div>
                })}
                <p class="fr-icon-map-pin-2-line">" " {place}</p>
                {detail.online_url.clone().map(|u| view! { <p>"En ligne : " {u}</p> })}
                <p>"Thèmes : " {card.themes.join(", ")} " · Public : " {detail.audience_label().to_string()}</p>
                <div class="mip-description" inner_html=detail.description_html.to_string()></div>
                {(!detail.accessibility.is_empty()).then(|| view! { <p>"Accessibilité : " {detail.accessibility.clone()}</p> })}
                {detail.registration_url.clone().map(|u| view! { <p>"Inscription : " {u}</p> })}
            </section>

            <h2 class="fr-h4">"Décision"</h2>
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-md-4">
                    <PageForm action=publish key="publication" attr:aria-label="Publier">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="hidden" name="decision" value="publier" />
                        <button class="fr-btn" type="submit">"Publier"</button>
                    </PageForm>
                    <p class="fr-mt-2w">
                        <a class="fr-link" href=format!("/organisateur/evenements/{id}")>"Modifier directement"</a>
                    </p>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <PageForm action=changes key="modifications" attr:aria-label="Demander des modifications">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="hidden" name="decision" value="modifications" />
                        <crate::forms::Field id="message-modifications" name="message" label="Modifications à demander" rows=4
                            hint="Envoyé à l'organisateur et affiché sur son tableau de bord."
                            error=action_field_error(changes.value(), "message") />
                        <button class="fr-btn fr-btn--secondary" type="submit">"Demander des modifications"</button>
                    </PageForm>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <PageForm action=refuse key="refus" attr:aria-label="Refuser">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="version" value=version />
                        <input type="hidden" name="decision" value="refuser" />
                        <crate::forms::Field id="message-refus" name="message" label="Raison du refus" rows=4
                            hint="Obligatoire : elle est transmise à l'organisateur."
                            error=action_field_error(refuse.value(), "message") />
                        <button class="fr-btn fr-btn--tertiary mip-btn-danger" type="submit">"Refuser"</button>
                    </PageForm>
                </div>
            </div>

            <h2 class="fr-h4 fr-mt-6w">"Historique"</h2>
            {review.audit.is_empty().then(|| view! {
                <p>"Aucune action enregistrée sur la plateforme (événement antérieur au journal ou importé)."</p>
            })}
            <div class="fr-table" hidden=review.audit.is_empty()>
                <table class="mip-audit">
                    <caption class="fr-sr-only">"Journal des actions sur cet événement"</caption>
                    <thead><tr><th scope="col">"Quand"</th><th scope="col">"Qui"</th><th scope="col">"Action"</th><th scope="col">"Détail"</th></tr></thead>
                    <tbody>
                        {review.audit.iter().map(|a| view! {
                            <tr>
                                <td>{a.at.replace('T', " ").trim_end_matches('Z').to_string()}" UTC"</td>
                                <td>{a.who.clone()}</td>
                                <td>{a.action.clone()}</td>
                                <td>{a.detail.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
