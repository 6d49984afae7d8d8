//! The ProConnect parts of the account pages: the DSFR button, the sign-in page's notice
//! after a ProConnect sign-in or sign-out, the profile of a first sign-in and the password
//! that links an existing account. Plain forms, as the other account pages.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::server::{pending_proconnect_identity, CompleteProconnectSignUp, LinkProconnect};
use super::{Failure, PendingIdentity, OUTCOME_PARAM, SIGNED_OUT_CODE, START_PATH};
use crate::accounts::pages::{page, PasswordField, StructureFields};
use crate::checks::field;
use crate::forms::{action_field_error, FormAlert, PageForm};

/// Whether sign-in with ProConnect is offered (the server is configured for it). Read while
/// rendering on the server: these pages are not islands.
fn enabled() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::state::app_state().is_ok_and(|state| state.proconnect.is_some())
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// « S'identifier avec ProConnect » (the DSFR's button, as a link: the sign-in starts with
/// a plain navigation), then « Qu'est-ce que ProConnect ? »; nothing when not configured.
#[component]
pub fn ProConnectButton() -> impl IntoView {
    let query = use_query_map();
    let href = move || {
        let retour = query.with(|q| q.get("retour")).unwrap_or_default();
        if retour.is_empty() {
            START_PATH.to_string()
        } else {
            let back: String = form_urlencoded::byte_serialize(retour.as_bytes()).collect();
            format!("{START_PATH}?retour={back}")
        }
    };
    enabled().then(|| {
        view! {
            <div class="fr-connect-group fr-mb-4w">
                <a class="fr-connect" href=href>
                    <span class="fr-connect__login">"S’identifier avec"</span>
                    <span class="fr-connect__brand">"ProConnect"</span>
                </a>
                <p>
                    <a
                        href="https://www.proconnect.gouv.fr/"
                        target="_blank"
                        rel="noopener"
                        title="Qu’est-ce que ProConnect ? - nouvelle fenêtre"
                    >
                        "Qu’est-ce que ProConnect ?"
                    </a>
                </p>
                <p class="fr-hr-or">"ou"</p>
            </div>
        }
    })
}

/// The sign-in page's word on a ProConnect sign-in that failed, or on a sign-out that
/// ended the ProConnect session too.
#[component]
pub fn ProConnectOutcome() -> impl IntoView {
    let query = use_query_map();
    move || {
        let code = query.with(|q| q.get(OUTCOME_PARAM))?;
        if code == SIGNED_OUT_CODE {
            return Some(
                view! {
                    <div class="fr-alert fr-alert--info fr-mb-3w" role="status">
                        <p>"Vous êtes déconnecté de la plateforme et de ProConnect."</p>
                    </div>
                }
                .into_any(),
            );
        }
        let failure = Failure::from_code(&code)?;
        Some(
            view! {
                <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="proconnect-erreur">
                    <h2 class="fr-alert__title">"Connexion avec ProConnect impossible"</h2>
                    <p>{failure.message()}</p>
                </div>
            }
            .into_any(),
        )
    }
}

/// No identity waits: the step was done, or it expired.
fn nothing_pending() -> AnyView {
    view! {
        <div class="fr-alert fr-alert--warning fr-mb-3w">
            <p>
                "Aucune connexion avec ProConnect n'est en cours sur ce navigateur (elle a peut-être expiré)."
            </p>
        </div>
        <a class="fr-btn" href="/connexion">
            "Retour à la connexion"
        </a>
    }
    .into_any()
}

fn who(identity: &PendingIdentity) -> impl IntoView {
    view! {
        <dl class="mip-identite fr-mb-3w">
            <dt>"Nom"</dt>
            <dd>{identity.name.clone()}</dd>
            <dt>"Adresse électronique"</dt>
            <dd>{identity.email.clone()}</dd>
        </dl>
    }
}

/// A first sign-in with ProConnect: the name and address it gave, and the structure asked.
#[component]
pub fn CompleteProConnectPage() -> impl IntoView {
    let action = ServerAction::<CompleteProconnectSignUp>::new();
    let value = action.value();
    let data = Resource::new(
        || (),
        |_| async {
            let identity = pending_proconnect_identity().await?;
            let options = crate::organizer::server::event_form_options().await?;
            Ok::<_, crate::error::AppError>((identity, options))
        },
    );
    let body = move || {
        Suspend::new(async move {
            let (identity, options) = match data.await {
                Ok(found) => found,
                Err(error) => {
                    return view! { <FormAlert message=Some(error.to_string()) /> }.into_any()
                }
            };
            let Some(identity) = identity else {
                return nothing_pending();
            };
            view! {
                <p>
                    "ProConnect nous a transmis votre nom et votre adresse. Indiquez votre structure pour terminer la création de votre compte organisateur."
                </p>
                {who(&identity)}
                <PageForm action=action attr:novalidate=true attr:aria-label="Votre structure">
                    <StructureFields
                        options=options
                        structure=action_field_error(value, field::ACCOUNT_STRUCTURE)
                        organizer_type=action_field_error(value, field::ORGANIZER_TYPE)
                        region=action_field_error(value, field::REGION)
                    />
                    <button class="fr-btn" type="submit" disabled=move || action.pending().get()>
                        "Créer mon compte"
                    </button>
                </PageForm>
            }
            .into_any()
        })
    };
    page(
        "Terminer votre inscription",
        view! { <Suspense fallback=|| view! { <p>"Chargement…"</p> }>{body}</Suspense> },
    )
}

/// An address that already has an account: its password links it to ProConnect, once.
#[component]
pub fn LinkProConnectPage() -> impl IntoView {
    let action = ServerAction::<LinkProconnect>::new();
    let value = action.value();
    let identity = Resource::new(|| (), |_| pending_proconnect_identity());
    let body = move || {
        Suspend::new(async move {
            let identity = match identity.await {
                Ok(Some(identity)) => identity,
                Ok(None) => return nothing_pending(),
                Err(error) => {
                    return view! { <FormAlert message=Some(error.to_string()) /> }.into_any()
                }
            };
            view! {
                <p>
                    "Un compte organisateur existe déjà avec l'adresse que ProConnect nous a transmise. Saisissez son mot de passe, une seule fois : ensuite, ProConnect suffira pour vous connecter."
                </p>
                {who(&identity)}
                <PageForm action=action attr:novalidate=true attr:aria-label="Relier votre compte">
                    <PasswordField
                        id="mot_de_passe"
                        label="Mot de passe de votre compte"
                        autocomplete="current-password"
                        error=action_field_error(value, "mot_de_passe")
                    />
                    <p>
                        <a class="fr-link" href="/mot-de-passe-oublie">
                            "Mot de passe oublié ?"
                        </a>
                    </p>
                    <button class="fr-btn" type="submit" disabled=move || action.pending().get()>
                        "Relier mon compte et me connecter"
                    </button>
                </PageForm>
            }
            .into_any()
        })
    };
    page(
        "Relier votre compte à ProConnect",
        view! { <Suspense fallback=|| view! { <p>"Chargement…"</p> }>{body}</Suspense> },
    )
}
