//! Site-wide pages: the edition home, 404, the accessibility statement.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::editions::server::{get_home, HomeData};
use crate::editions::EditionState;
use crate::error::AppError;
use crate::events::pages::EventCardView;
use crate::fr;

#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| get_home());
    view! {
        <Title text="" />
        <Suspense fallback=|| view! { <div class="fr-container fr-py-6w">"Chargement…"</div> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(data) => view! { <Home data /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn state_sentence(data: &HomeData) -> String {
    let e = &data.edition;
    match e.state_on(data.today) {
        EditionState::Upcoming => format!(
            "Le référencement des événements ouvrira le {}.",
            fr::date_medium(e.referencing_opens_on)
        ),
        EditionState::ReferencingOpen => format!(
            "Le référencement des événements est ouvert jusqu'au {}.",
            fr::date_medium(e.referencing_closes_on)
        ),
        EditionState::ProgrammeAnnounced => format!(
            "Le programme est publié : rendez-vous le {}.",
            fr::date_medium(e.starts_on)
        ),
        EditionState::Running => {
            "Le Mois est en cours : retrouvez les événements de chaque jour.".to_string()
        }
        EditionState::Closed => format!(
            "Cette édition s'est achevée le {}. Merci à toutes et à tous !",
            fr::date_medium(e.ends_on)
        ),
    }
}

#[component]
fn Home(data: HomeData) -> impl IntoView {
    let e = data.edition.clone();
    let state = state_sentence(&data);
    let counters = [
        (
            data.published_events,
            "événement publié",
            "événements publiés",
        ),
        (
            data.organizers,
            "structure organisatrice",
            "structures organisatrices",
        ),
        (data.regions, "région", "régions"),
    ];
    view! {
        <section class="mip-hero" aria-labelledby="titre-edition">
            <div class="fr-container">
                <p class="mip-hero__kicker">
                    {format!("{} · {}", e.ordinal_label(), fr::date_range(e.starts_on, e.ends_on))}
                </p>
                <h1 id="titre-edition">{format!("Mois de l'innovation publique {}", e.year)}</h1>
                {e
                    .theme_of_year
                    .clone()
                    .map(|theme| {
                        view! {
                            <p class="fr-text--lead">
                                "Thème de l'année : " <strong>{theme}</strong>
                            </p>
                        }
                    })}
                {(!e.tagline.is_empty()).then(|| view! { <p>{e.tagline.clone()}</p> })}
                <p class="fr-mb-3w">{state}</p>
                <ul class="fr-btns-group fr-btns-group--inline-md">
                    <li>
                        <a class="fr-btn" href="/programme">
                            "Voir le programme"
                        </a>
                    </li>
                    <li>
                        <a class="fr-btn fr-btn--secondary" href="/organisateur">
                            "Référencer un événement"
                        </a>
                    </li>
                </ul>
            </div>
        </section>
        <section class="fr-container fr-py-5w" aria-labelledby="titre-chiffres">
            <h2 id="titre-chiffres">{format!("L'édition {} en chiffres", e.year)}</h2>
            <ul class="mip-counters">
                {counters
                    .into_iter()
                    .map(|(n, one, many)| {
                        let label = if n < 2 { one } else { many };
                        view! {
                            <li class="mip-counter">
                                <span class="mip-counter__value" data-counter=one>
                                    {fr::number(n)}
                                </span>
                                <span class="mip-counter__label">{label}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class="fr-container fr-pb-6w" aria-labelledby="titre-a-venir">
            <h2 id="titre-a-venir">"À l'affiche"</h2>
            {if data.highlights.is_empty() {
                view! { <p>"Aucun événement n'est encore publié pour cette édition."</p> }.into_any()
            } else {
                view! {
                    <ul class="mip-card-list">
                        {data
                            .highlights
                            .into_iter()
                            .map(|card| view! { <li><EventCardView card heading_level=3 /></li> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <p class="fr-mt-4w">
                <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/programme">
                    "Tout le programme"
                </a>
            </p>
        </section>
    }
}

/// A page-level error: what went wrong, in French, with a way out.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    if error == AppError::Unauthenticated {
        return view! { <SignInNeeded /> }.into_any();
    }
    let title = match &error {
        AppError::NotFound(_) => "Page introuvable",
        AppError::Unauthenticated => "Connexion requise",
        AppError::Forbidden | AppError::Denied(_) => "Accès refusé",
        _ => "Une erreur est survenue",
    };
    view! {
        <Title text=title />
        <div class="fr-container fr-py-6w mip-empty-main">
            <h1>{title}</h1>
            <div class="fr-alert fr-alert--error fr-mb-3w">
                <p>{error.to_string()}</p>
            </div>
            <a class="fr-btn fr-btn--secondary" href="/">
                "Retour à l'accueil"
            </a>
        </div>
    }
    .into_any()
}

/// For private pages opened without a session: a 401 and the way to sign in (and back).
#[component]
pub fn SignInNeeded() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::UNAUTHORIZED);
    }
    let location = leptos_router::hooks::use_location();
    let href = move || {
        let back = format!("{}{}", location.pathname.get(), location.search.get());
        let back: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
        format!("/connexion?retour={back}")
    };
    view! {
        <Title text="Connexion requise" />
        <div class="fr-container fr-py-6w mip-empty-main">
            <h1>"Connexion requise"</h1>
            <p>"Cette page est réservée aux organisateurs connectés."</p>
            <ul class="fr-btns-group fr-btns-group--inline-md">
                <li>
                    <a class="fr-btn" href=href>
                        "Se connecter"
                    </a>
                </li>
                <li>
                    <a class="fr-btn fr-btn--secondary" href="/inscription">
                        "Créer un compte"
                    </a>
                </li>
            </ul>
        </div>
    }
}

/// An error to show as a page of the site (the server's `error_page`: a feed, an export or the
/// kit followed from a link, a post that names no page to go back to): its status and its
/// message, in French. Given in the context, it turns [`NotFound`] into that page.
#[derive(Clone, Debug)]
pub struct ShownError {
    pub status: u16,
    pub message: String,
}

/// The ways out of a page that has nothing to show: the home page and the programme.
#[component]
fn WayOut() -> impl IntoView {
    view! {
        <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
                <a class="fr-btn" href="/">
                    "Page d'accueil"
                </a>
            </li>
            <li>
                <a class="fr-btn fr-btn--secondary" href="/programme">
                    "Voir le programme"
                </a>
            </li>
        </ul>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let shown = use_context::<ShownError>();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let status = shown
            .as_ref()
            .and_then(|shown| http::StatusCode::from_u16(shown.status).ok())
            .unwrap_or(http::StatusCode::NOT_FOUND);
        response.set_status(status);
    }
    if let Some(shown) = shown {
        return view! {
            <Title text="La demande n'a pas abouti" />
            <div class="fr-container fr-py-6w mip-empty-main">
                <p class="fr-text--sm fr-mb-1w">{format!("Erreur {}", shown.status)}</p>
                <h1>"La demande n'a pas abouti"</h1>
                <p class="fr-text--lead">{shown.message}</p>
                <WayOut />
            </div>
        }
        .into_any();
    }
    view! {
        <Title text="Page non trouvée" />
        <div class="fr-container fr-py-6w mip-empty-main">
            <p class="fr-text--sm fr-mb-1w">"Erreur 404"</p>
            <h1>"Page non trouvée"</h1>
            <p class="fr-text--lead">"La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée."</p>
            <p>
                "Si vous avez tapé l'adresse web dans le navigateur, vérifiez qu'elle est correcte. \
                La page n'est peut-être plus disponible."
            </p>
            <WayOut />
        </div>
    }
    .into_any()
}

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! {
        <Title text="Déclaration d'accessibilité" />
        <div class="fr-container fr-py-6w">
            <h1>"Déclaration d'accessibilité"</h1>
            <p>
                "La Direction interministérielle de la transformation publique (DITP) s'engage à \
                rendre ce site accessible conformément à l'article 47 de la loi n° 2005-102 du \
                11 février 2005."
            </p>
            <h2>"État de conformité"</h2>
            <p>
                "Ce site est " <strong>"partiellement conforme"</strong>
                " avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1. \
                Aucun audit complet n'a encore été réalisé ; chaque page est vérifiée automatiquement \
                (axe-core, dans un navigateur réel) à chaque modification du code."
            </p>
            <h2>"Établissement de cette déclaration"</h2>
            <p>"Technologies utilisées : HTML, CSS, WebAssembly. Le site fonctionne sans JavaScript."</p>
            <h2>"Retour d'information et contact"</h2>
            <p>
                "Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez \
                l'équipe du Mois de l'innovation publique pour être orienté vers une alternative \
                accessible ou obtenir le contenu sous une autre forme."
            </p>
            <h2>"Voies de recours"</h2>
            <p>
                "Si vous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un \
                contenu et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez \
                écrire au Défenseur des droits ou contacter son délégué dans votre région."
            </p>
        </div>
    }
}
