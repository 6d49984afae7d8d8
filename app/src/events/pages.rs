//! Public event components: the card and the event page.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::model::{EventCard, EventDetail};
use super::server::get_event;
use crate::fr;
use crate::html::{attr, text, Html};
use crate::html_write;
use crate::pages::ErrorNotice;
use crate::reference::EventStatus;

/// One event as a DSFR card; the whole card is the link to the event page.
///
/// Everything but the « Ajouter à mon programme » button is static, so it is written as one
/// HTML string (`card_content_html`) rather than as a view: a filter change creates twenty
/// cards, and the browser parses one string per card faster than the app builds its ~40 nodes
/// one call at a time (measured by `bench/filter-latency.mjs`). The server renders the same
/// string, so hydration finds what it expects and leaves it as it is.
#[component]
pub fn EventCardView(card: EventCard, #[prop(default = 3)] heading_level: u8) -> impl IntoView {
    let content = card_content_html(&card, heading_level).into_string();
    let event = crate::my_programme::SavedEvent::from_card(&card);
    view! {
        <CardFrame content>
            <crate::save_button::SaveButton event small=true />
        </CardFrame>
    }
}

/// A card's markup around its static content and its footer (the save button).
#[component]
fn CardFrame(content: String, children: Children) -> impl IntoView {
    view! {
        <div class="fr-card fr-enlarge-link">
            <div class="fr-card__body">
                <div class="fr-card__content" inner_html=content></div>
                <div class="fr-card__footer">{children()}</div>
            </div>
        </div>
    }
}

/// The inside of a card's `fr-card__content`: title link, summary, badges, date, themes,
/// place and organizer, every text escaped.
pub fn card_content_html(card: &EventCard, heading_level: u8) -> Html {
    let level = match heading_level {
        2 | 4 => heading_level,
        _ => 3,
    };
    let mut html = Html::with_capacity(1024);
    html_write!(
        html,
        r#"<h{level} class="fr-card__title"><a href="/evenements/{slug}">{title}</a></h{level}>"#,
        level = level,
        slug = attr(&card.slug),
        title = text(&card.title),
    );
    // An archive event may have no summary: nothing is written rather than an empty line.
    if !card.summary.is_empty() {
        html_write!(
            html,
            r#"<p class="fr-card__desc">{}</p>"#,
            text(&card.summary)
        );
    }
    html.push(r#"<div class="fr-card__start"><ul class="fr-badges-group">"#);
    if card.status == EventStatus::Cancelled {
        html.push(r#"<li><p class="fr-badge fr-badge--error">Annulé</p></li>"#);
    }
    html_write!(
        html,
        r#"<li><p class="fr-badge fr-badge--info fr-badge--no-icon">{format}</p></li><li><p class="fr-badge fr-badge--no-icon">{mode}</p></li></ul><p class="fr-card__detail fr-icon-calendar-line">{when}</p>"#,
        format = text(&card.format),
        mode = text(card.mode.label()),
        when = text(&card.when()),
    );
    if let Some(reason) = &card.out_of_period_reason {
        html_write!(
            html,
            r#"<p class="fr-card__detail" data-out-of-period="">Hors période : {}</p>"#,
            text(reason)
        );
    }
    html_write!(
        html,
        r#"</div><div class="fr-card__end"><p class="fr-card__detail mip-card-themes">{themes}</p><p class="fr-card__detail fr-icon-map-pin-2-line">{place}</p><p class="fr-card__detail fr-icon-building-line">{structure}</p></div>"#,
        themes = text(&card.themes.join(" · ")),
        place = text(&card.place()),
        structure = text(if card.structure.is_empty() {
            "Structure non renseignée"
        } else {
            &card.structure
        }),
    );
    html
}

#[component]
pub fn EventPage() -> impl IntoView {
    let params = use_params_map();
    let event = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_event,
    );
    view! {
        <Suspense fallback=|| view! { <div class="fr-container fr-py-6w">"Chargement…"</div> }>
            {move || Suspend::new(async move {
                match event.await {
                    Ok(detail) => view! { <EventDetailView detail /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EventDetailView(detail: EventDetail) -> impl IntoView {
    let card = detail.card.clone();
    let cancelled = card.status == EventStatus::Cancelled;
    // Over (and not cancelled, which says more): marked « Terminé », nothing left to join.
    let ended = detail.ended && !cancelled;
    let has_description = !detail.description_html.trim().is_empty();
    let json_ld = detail.json_ld();
    // The communication kit (the poster and the mail are `event_actions`'): the image shown
    // where the link is shared.
    let sharing_image = format!("{}/partage.png", detail.url);
    view! {
        <Title text=card.title.clone() />
        <Meta name="description" content=card.summary.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content=crate::SITE_NAME />
        <Meta property="og:locale" content="fr_FR" />
        <Meta property="og:title" content=card.title.clone() />
        <Meta property="og:description" content=card.summary.clone() />
        <Meta property="og:url" content=detail.url.clone() />
        // The sharing image (`/evenements/{slug}/partage.png`, drawn by the server): what a
        // social network shows for a pasted link. Absolute, as their readers require.
        <Meta property="og:image" content=sharing_image.clone() />
        <Meta property="og:image:type" content="image/png" />
        <Meta property="og:image:width" content="1200" />
        <Meta property="og:image:height" content="630" />
        <Meta property="og:image:alt" content=card.title.clone() />
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:image" content=sharing_image />
        <script type="application/ld+json" inner_html=json_ld></script>
        <div class="fr-container fr-py-4w">
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li>
                        <a class="fr-breadcrumb__link" href="/">
                            "Accueil"
                        </a>
                    </li>
                    <li>
                        <a class="fr-breadcrumb__link" href="/programme">
                            "Programme"
                        </a>
                    </li>
                    <li>
                        <a class="fr-breadcrumb__link" aria-current="page">
                            {card.title.clone()}
                        </a>
                    </li>
                </ol>
            </nav>
            {cancelled
                .then(|| {
                    view! {
                        <div class="fr-alert fr-alert--warning fr-mb-3w">
                            <h2 class="fr-alert__title">"Événement annulé"</h2>
                            <p>"Les organisateurs ont annulé cet événement."</p>
                        </div>
                    }
                })}
            <h1>{card.title.clone()}</h1>
            {ended
                .then(|| {
                    view! {
                        <ul class="fr-badges-group fr-mb-2w">
                            <li><p class="fr-badge fr-badge--no-icon" data-ended="">"Terminé"</p></li>
                        </ul>
                    }
                })}
            {(!card.summary.is_empty()).then(|| view! { <p class="fr-text--lead">{card.summary.clone()}</p> })}
            <ul class="fr-tags-group fr-mb-3w">
                {card
                    .themes
                    .iter()
                    .map(|t| view! { <li><p class="fr-tag">{t.clone()}</p></li> })
                    .collect_view()}
            </ul>
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-md-8">
                    {has_description
                        .then(|| {
                            view! {
                                <h2 class="fr-h4">"Présentation"</h2>
                                <div class="mip-description" inner_html=detail.description_html.to_string()></div>
                            }
                        })}
                    <h2 class="fr-h4">"Accessibilité"</h2>
                    <p>
                        {if detail.accessibility.is_empty() {
                            "Les organisateurs n'ont pas précisé les conditions d'accessibilité : \
                             contactez-les pour toute demande d'aménagement."
                                .to_string()
                        } else {
                            detail.accessibility.clone()
                        }}
                    </p>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <div class="fr-callout">
                        <h2 class="fr-callout__title fr-h5">"En pratique"</h2>
                        {event_practical(&card, &detail)}
                        {event_actions(&card, &detail, cancelled, ended)}
                    </div>
                </div>
            </div>
        </div>
    }
}

/// « En pratique »: when, the format and public, where, who organizes, places, lab, contact.
fn event_practical(card: &EventCard, detail: &EventDetail) -> impl IntoView {
    let when = card.when();
    let paris = detail
        .starts_paris
        .map(|p| format!("Soit {} à Paris.", fr::date_time(p)));
    let address = [
        detail.venue_name.clone(),
        detail.venue_address.clone(),
        match (&detail.postal_code, &card.city) {
            (Some(code), Some(city)) => Some(format!("{code} {city}")),
            (None, Some(city)) => Some(city.clone()),
            _ => None,
        },
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    view! {
    <ul class="mip-event-meta">
        <li>
            <span class="fr-icon-calendar-line" aria-hidden="true"></span>
            " "
            {when}
            {paris.map(|p| view! { <br /><span class="fr-text--sm">{p}</span> })}
        </li>
        {card.out_of_period_reason.clone().map(|reason| view! {
            <li data-out-of-period="">{format!("Hors période : {reason}")}</li>
        })}
        <li>{format!("{} · {}", card.format, card.mode.label())}</li>
        <li>{format!("Public : {}", detail.audience_label())}</li>
        {address.is_empty().then(|| card.mode.has_venue()).filter(|v| *v).map(|_| view! {
            <li>"Adresse non renseignée"</li>
        })}
        {(!address.is_empty())
            .then(|| {
                view! {
                    <li>
                        <span class="fr-icon-map-pin-2-line" aria-hidden="true"></span>
                        " "
                        {address.join(", ")}
                    </li>
                }
            })}
        <li>{format!("Région : {}", card.region)}</li>
        <li>
            {if card.structure.is_empty() {
                format!("Structure organisatrice non renseignée ({})", detail.organizer_type)
            } else {
                format!("Organisé par {} ({})", card.structure, detail.organizer_type)
            }}
        </li>
        {detail.capacity.map(|c| view! { <li>{format!("Places : {}", fr::number(c))}</li> })}
        {detail.lab.clone().map(|lab| view! { <li>{format!("Laboratoire d'innovation associé : {lab}")}</li> })}
        {(detail.contact_name.is_some() || detail.contact_email.is_some())
            .then(|| {
                let name = detail.contact_name.clone().unwrap_or_default();
                view! {
                    <li>
                        "Contact : " {name} " "
                        {detail
                            .contact_email
                            .clone()
                            .map(|email| view! { <a class="fr-link" href=format!("mailto:{email}")>{email.clone()}</a> })}
                    </li>
                }
            })}
    </ul>
    }
}

/// The buttons: save, add to a calendar, share, the poster, register, join online (the last
/// ones neither when cancelled nor when over).
fn event_actions(
    card: &EventCard,
    detail: &EventDetail,
    cancelled: bool,
    ended: bool,
) -> impl IntoView {
    let agenda = format!("/evenements/{}/agenda.ics", card.slug);
    // The communication kit: the A4 poster to print.
    let poster = format!("/evenements/{}/affiche", card.slug);
    let share_mail = format!(
        "mailto:?subject={}&body={}",
        form_urlencoded::byte_serialize(card.title.as_bytes())
            .collect::<String>()
            .replace('+', "%20"),
        form_urlencoded::byte_serialize(format!("{}\n{}", card.summary, detail.url).as_bytes())
            .collect::<String>()
            .replace('+', "%20"),
    );
    view! {
    <ul class="fr-btns-group fr-btns-group--icon-left">
        <li>
            <crate::save_button::SaveButton event=crate::my_programme::SavedEvent::from_card(card) small=false />
        </li>
        {(!ended)
            .then(|| {
                view! {
                    <li>
                        <a class="fr-btn fr-btn--tertiary fr-icon-calendar-line fr-btn--icon-left" href=agenda.clone() download="evenement.ics">
                            "Ajouter à mon agenda"
                        </a>
                    </li>
                }
            })}
        <li>
            <a class="fr-btn fr-btn--tertiary fr-icon-mail-line fr-btn--icon-left" href=share_mail>
                "Partager par courriel"
            </a>
        </li>
        <li>
            <a class="fr-btn fr-btn--tertiary fr-icon-printer-line fr-btn--icon-left" href=poster>
                "Affiche à imprimer"
            </a>
        </li>
        {detail
            .registration_url
            .clone()
            .filter(|_| !cancelled && !ended)
            .map(|_| {
                view! {
                    <li>
                        <a class="fr-btn" href=format!("/evenements/{}/inscription", card.slug) rel="noopener" target="_blank" title="S'inscrire – nouvelle fenêtre">
                            "S'inscrire"
                        </a>
                    </li>
                }
            })}
        {detail
            .online_url
            .clone()
            .filter(|_| !cancelled && !ended)
            .map(|url| {
                view! {
                    <li>
                        <a class="fr-btn fr-btn--secondary" href=url rel="noopener" target="_blank" title="Rejoindre en ligne – nouvelle fenêtre">
                            "Rejoindre en ligne"
                        </a>
                    </li>
                }
            })}
    </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Mode;
    use chrono::NaiveDate;

    fn card(status: EventStatus) -> EventCard {
        let day = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
        EventCard {
            slug: "atelier-<x>".into(),
            title: "Atelier <script>alert(1)</script> & « égalité »".into(),
            summary: "Résumé \"cité\"".into(),
            starts_local: day.and_hms_opt(14, 0, 0).unwrap(),
            ends_local: day.and_hms_opt(16, 0, 0).unwrap(),
            time_zone: "Europe/Paris".into(),
            format: "Atelier".into(),
            mode: Mode::Hybride,
            region: "Bretagne".into(),
            city: Some("Rennes".into()),
            structure: "DITP".into(),
            themes: vec!["Coproduction".into(), "Égalité".into()],
            status,
            all_day: false,
            out_of_period_reason: None,
        }
    }

    #[test]
    fn a_card_escapes_what_organizers_typed() {
        let html = card_content_html(&card(EventStatus::Published), 3);
        assert!(
            html.contains("Atelier &lt;script&gt;alert(1)&lt;/script&gt; &amp; « égalité »"),
            "{html}"
        );
        assert!(!html.contains("<script>"));
        assert!(
            html.contains(r#"href="/evenements/atelier-&lt;x&gt;""#),
            "{html}"
        );
        assert!(html.starts_with(r#"<h3 class="fr-card__title">"#));
        assert!(html.contains("Hybride") && html.contains("Rennes (Bretagne)"));
        assert!(html.contains("Coproduction · Égalité"));
        assert!(!html.contains("Annulé"));
    }

    #[test]
    fn a_cancelled_card_says_so_and_levels_are_kept() {
        let html = card_content_html(&card(EventStatus::Cancelled), 2);
        assert!(html.contains(r#"<p class="fr-badge fr-badge--error">Annulé</p>"#));
        assert!(html.starts_with("<h2 ") && html.contains("</h2>"));
        assert!(card_content_html(&card(EventStatus::Published), 7).starts_with("<h3 "));
    }
}
