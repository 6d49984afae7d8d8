//! Account pages: sign-in, sign-up, address confirmation, password reset, « mon compte ».
//! Plain forms posted to server functions: they work without JavaScript, and once hydrated
//! show each field's message in place.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::proconnect::pages::{ProConnectButton, ProConnectOutcome};
use super::rules::PASSWORD_MIN;
use super::server::{
    ChangeEmail, ChangePassword, ConfirmEmail, RequestPasswordReset, ResetPassword, SignIn,
    SignOut, SignUp, VerifySecondFactor,
};
use crate::checks::field;
use crate::forms::{action_field_error, field_in_form, Field, FormAlert, PageForm, SelectField};

/// A password input with a « show » checkbox.
#[component]
pub(crate) fn PasswordField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    autocomplete: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let messages = format!("{id}-messages");
    // Never filled again: a password is not kept when the form comes back with an error.
    let error = field_in_form(id, id, error);
    let has_error = move || error.with(Option::is_some);
    view! {
        <div class=move || {
            if has_error() { "fr-input-group fr-input-group--error" } else { "fr-input-group" }
        }>
            <label class="fr-label" for=id>
                {label}
                {hint.map(|h| view! { <span class="fr-hint-text">{h}</span> })}
            </label>
            <input
                class=move || if has_error() { "fr-input fr-input--error" } else { "fr-input" }
                id=id
                name=id
                type="password"
                autocomplete=autocomplete
                required=true
                aria-describedby=messages.clone()
                aria-invalid=move || has_error().then_some("true")
            />
            <div class="fr-messages-group" id=messages aria-live="polite">
                {move || error.get().map(|m| view! { <p class="fr-message fr-message--error">{m}</p> })}
            </div>
            <ShowPassword input=id.to_string() />
        </div>
    }
}

/// « Afficher le mot de passe »: an island that switches the type of the input `input`.
#[island(lazy)]
fn ShowPassword(input: String) -> impl IntoView {
    let toggle = format!("{input}-afficher");
    let show = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let field = document()
                .get_element_by_id(&input)
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
            if let Some(field) = field {
                field.set_type(if event_target_checked(&ev) {
                    "text"
                } else {
                    "password"
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, &input);
    };
    view! {
        <div class="fr-checkbox-group fr-checkbox-group--sm fr-mt-1w">
            <input type="checkbox" id=toggle.clone() on:change=show />
            <label class="fr-label" for=toggle>
                "Afficher le mot de passe"
            </label>
        </div>
    }
}

/// An account page: its title, then its body in a narrow centred column.
pub(crate) fn page(title: &'static str, body: impl IntoView + 'static) -> impl IntoView {
    view! {
        <Title text=title />
        <div class="fr-container fr-py-6w">
            <div class="fr-grid-row fr-grid-row--center">
                <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                    <h1>{title}</h1>
                    {body}
                </div>
            </div>
        </div>
    }
}

/// Whether the page was reached after a form's success (`?fait=tag`, see
/// `server::imp::then_show`), or the last result of `value` was one.
fn succeeded<T, S>(value: S, tag: &'static str) -> impl Fn() -> bool + Copy + Send + Sync + 'static
where
    T: Send + Sync + 'static,
    S: With<Value = Option<Result<T, crate::error::AppError>>> + Copy + Send + Sync + 'static,
{
    let query = use_query_map();
    move || {
        value.with(|v| matches!(v, Some(Ok(_)))) || query.with(|q| q.get_str("fait") == Some(tag))
    }
}

fn success(message: impl IntoView + 'static) -> impl IntoView {
    view! {
        <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
            <p>{message}</p>
        </div>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let value = action.value();
    let query = use_query_map();
    let retour = move || query.with(|q| q.get("retour")).unwrap_or_default();
    let body = view! {
        <ProConnectOutcome />
        <p>"Connectez-vous pour référencer vos événements et les modifier."</p>
        <ProConnectButton />
        <PageForm action=action attr:novalidate=true attr:aria-label="Connexion">
            <input type="hidden" name="retour" value=retour />
            <fieldset class="fr-fieldset">
                <div class="fr-fieldset__element">
                    <Field
                        id=field::EMAIL
                        label="Adresse électronique"
                        kind="email"
                        autocomplete="email"
                        error=action_field_error(value, field::EMAIL)
                    />
                </div>
                <div class="fr-fieldset__element">
                    <PasswordField
                        id=field::PASSWORD
                        label="Mot de passe"
                        autocomplete="current-password"
                        error=action_field_error(value, field::PASSWORD)
                    />
                </div>
            </fieldset>
            <p>
                <a class="fr-link" href="/mot-de-passe-oublie">
                    "Mot de passe oublié ?"
                </a>
            </p>
            <button class="fr-btn" type="submit" disabled=move || action.pending().get()>
                "Se connecter"
            </button>
        </PageForm>
        <hr class="fr-mt-4w" />
        <h2 class="fr-h4">"Vous n'avez pas de compte ?"</h2>
        <a class="fr-btn fr-btn--secondary" href="/inscription">
            "Créer un compte organisateur"
        </a>
    };
    page("Connexion", body)
}

/// The second factor of moderators and administrators, after their password: the code of
/// their authenticator app (or a recovery code); at the first sign-in, the enrolment (a QR
/// code, the secret as text for apps without a camera, and the recovery codes, shown once).
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let action = ServerAction::<VerifySecondFactor>::new();
    let value = action.value();
    let query = use_query_map();
    let retour = move || query.with(|q| q.get("retour")).unwrap_or_default();
    let setup = Resource::new(|| (), |_| super::server::second_factor_setup());
    let body = move || {
        Suspend::new(async move {
            let setup = match setup.await {
                Ok(setup) => setup,
                Err(crate::error::AppError::Unauthenticated) => {
                    return view! {
                        <p>"Votre connexion a expiré ou n'a pas commencé : saisissez d'abord votre mot de passe."</p>
                        <a class="fr-btn" href="/connexion">"Se connecter"</a>
                    }
                    .into_any()
                }
                Err(error) => {
                    return view! { <FormAlert message=Some(error.to_string()) /> }.into_any()
                }
            };
            let enrolment = setup.enrolling.then(|| {
                let codes = setup.recovery_codes.clone();
                view! {
                    <div class="fr-callout fr-mb-4w">
                        <h2 class="fr-callout__title fr-h5">"Activez la double authentification"</h2>
                        <p class="fr-callout__text">
                            "Votre compte donne accès à la modération : il est protégé par un code \
                            à usage unique. Scannez ce QR code avec une application d'authentification \
                            (par exemple FreeOTP, Aegis, Google Authenticator), puis saisissez le code \
                            à 6 chiffres qu'elle affiche."
                        </p>
                    </div>
                    <div class="mip-qr" inner_html=setup.qr_svg.to_string() role="img" aria-label="QR code à scanner avec votre application d'authentification"></div>
                    <p>
                        "Sans appareil photo, saisissez cette clé dans l'application : "
                        <code data-totp-secret>{setup.secret.clone()}</code>
                    </p>
                    <h2 class="fr-h5">"Vos codes de secours"</h2>
                    <p>
                        "Chacun remplace une fois le code de l'application, si vous la perdez. \
                        Notez-les et gardez-les en lieu sûr : ils ne seront plus affichés."
                    </p>
                    <ul class="mip-recovery-codes" data-recovery-codes>
                        {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ul>
                }
            });
            view! {
                {enrolment}
                <PageForm action=action attr:novalidate=true attr:aria-label="Code de vérification">
                    <input type="hidden" name="retour" value=retour />
                    <Field
                        id="code"
                        label="Code de vérification"
                        hint="Les 6 chiffres affichés par votre application, ou un code de secours."
                        autocomplete="one-time-code"
                        error=action_field_error(value, "code")
                    />
                    <button class="fr-btn" type="submit" disabled=move || action.pending().get()>
                        "Valider"
                    </button>
                </PageForm>
            }
            .into_any()
        })
    };
    page(
        "Vérification en deux étapes",
        view! { <Suspense fallback=|| ()>{body}</Suspense> },
    )
}

/// The structure of an organizer account: its name, its type and its region (at sign-up,
/// and after a first sign-in with ProConnect, which does not know them).
#[component]
pub(crate) fn StructureFields(
    options: crate::organizer::model::FormOptions,
    structure: Signal<Option<String>>,
    organizer_type: Signal<Option<String>>,
    region: Signal<Option<String>>,
) -> impl IntoView {
    let types: Vec<(String, String)> = options
        .organizer_types
        .iter()
        .map(|t| (t.id.to_string(), t.label.clone()))
        .collect();
    let regions: Vec<(String, String)> = options
        .regions
        .iter()
        .map(|r| (r.code.clone(), r.name.clone()))
        .collect();
    view! {
        <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">"Votre structure"</legend>
            <div class="fr-fieldset__element">
                <Field
                    id=field::ACCOUNT_STRUCTURE
                    label="Nom de la structure"
                    hint="Par exemple : Préfecture de la Gironde, Ville de Lyon, CAF du Nord."
                    autocomplete="organization"
                    required=true
                    error=structure
                />
            </div>
            <div class="fr-fieldset__element">
                <SelectField
                    id=field::ORGANIZER_TYPE
                    label="Type de structure"
                    options=types
                    required=true
                    error=organizer_type
                />
            </div>
            <div class="fr-fieldset__element">
                <SelectField
                    id=field::REGION
                    label="Région"
                    options=regions
                    required=true
                    error=region
                />
            </div>
        </fieldset>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let value = action.value();
    let options = Resource::new(|| (), |_| crate::organizer::server::event_form_options());
    let done = succeeded(value, "inscription");
    let form = move || {
        Suspend::new(async move {
            let options = match options.await {
                Ok(options) => options,
                Err(error) => {
                    return view! { <FormAlert message=Some(error.to_string()) /> }.into_any()
                }
            };
            view! {
                <PageForm action=action attr:novalidate=true attr:aria-label="Création de compte">
                    <fieldset class="fr-fieldset">
                        <legend class="fr-fieldset__legend">"Vous"</legend>
                        <div class="fr-fieldset__element">
                            <Field
                                id=field::NAME
                                label="Prénom et nom"
                                autocomplete="name"
                                required=true
                                error=action_field_error(value, field::NAME)
                            />
                        </div>
                        <div class="fr-fieldset__element">
                            <Field
                                id=field::EMAIL
                                label="Adresse électronique professionnelle"
                                hint="Nous y enverrons un lien pour confirmer votre compte."
                                kind="email"
                                autocomplete="email"
                                required=true
                                error=action_field_error(value, field::EMAIL)
                            />
                        </div>
                        <div class="fr-fieldset__element">
                            <PasswordField
                                id=field::PASSWORD
                                label="Mot de passe"
                                hint="Au moins 12 caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner."
                                autocomplete="new-password"
                                error=action_field_error(value, field::PASSWORD)
                            />
                        </div>
                    </fieldset>
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
    let body = view! {
        <Show
            when=done
            fallback=move || {
                view! {
                    <p>
                        "Agents publics : créez votre compte pour référencer les événements de votre structure. Tous les champs sont obligatoires."
                    </p>
                    <ProConnectButton />
                    <Suspense fallback=|| view! { <p>"Chargement…"</p> }>{form}</Suspense>
                }
            }
        >
            {success(
                "Votre compte est créé. Nous vous avons envoyé un courriel : ouvrez le lien qu'il contient pour confirmer votre adresse, puis connectez-vous.",
            )}
        </Show>
        <p class="fr-mt-3w">
            "Déjà inscrit ? " <a class="fr-link" href="/connexion">"Se connecter"</a>
        </p>
    };
    page("Créer un compte organisateur", body)
}

#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmail>::new();
    let value = action.value();
    let query = use_query_map();
    let jeton = move || query.with(|q| q.get("jeton")).unwrap_or_default();
    let body = view! {
        <Show
            when=succeeded(value, "confirmation")
            fallback=move || {
                view! {
                    <p>"Confirmez l'adresse électronique de votre compte organisateur."</p>
                    <PageForm action=action attr:aria-label="Confirmation de l'adresse">
                        <input type="hidden" name="jeton" value=jeton />
                        <button class="fr-btn" type="submit">
                            "Confirmer mon adresse"
                        </button>
                    </PageForm>
                }
            }
        >
            {success("Votre adresse est confirmée. Vous pouvez vous connecter.")}
            <a class="fr-btn" href="/connexion">
                "Se connecter"
            </a>
        </Show>
    };
    page("Confirmation de l'adresse", body)
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let value = action.value();
    let body = view! {
        <Show
            when=succeeded(value, "envoi")
            fallback=move || {
                view! {
                    <p>
                        "Indiquez l'adresse de votre compte : nous y enverrons un lien pour choisir un nouveau mot de passe."
                    </p>
                    <PageForm action=action attr:novalidate=true attr:aria-label="Mot de passe oublié">
                        <Field
                            id=field::EMAIL
                            label="Adresse électronique"
                            kind="email"
                            autocomplete="email"
                            error=action_field_error(value, field::EMAIL)
                        />
                        <button class="fr-btn" type="submit">
                            "Recevoir le lien"
                        </button>
                    </PageForm>
                }
            }
        >
            {success(
                "Si un compte existe avec cette adresse, un courriel vient de lui être envoyé. Le lien est valable une heure.",
            )}
        </Show>
    };
    page("Mot de passe oublié", body)
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let value = action.value();
    let query = use_query_map();
    let jeton = move || query.with(|q| q.get("jeton")).unwrap_or_default();
    let body = view! {
        <Show
            when=succeeded(value, "mot-de-passe")
            fallback=move || {
                view! {
                    <PageForm action=action attr:novalidate=true attr:aria-label="Nouveau mot de passe">
                        <input type="hidden" name="jeton" value=jeton />
                        <PasswordField
                            id=field::PASSWORD
                            label="Nouveau mot de passe"
                            hint="Au moins 12 caractères."
                            autocomplete="new-password"
                            error=action_field_error(value, field::PASSWORD)
                        />
                        <button class="fr-btn" type="submit">
                            "Enregistrer le mot de passe"
                        </button>
                    </PageForm>
                }
            }
        >
            {success(
                "Votre mot de passe est changé et toutes vos sessions ont été fermées. Connectez-vous avec le nouveau.",
            )}
            <a class="fr-btn" href="/connexion">
                "Se connecter"
            </a>
        </Show>
    };
    page("Nouveau mot de passe", body)
}

/// « Mon compte »: who I am, change password or address, sign out.
#[component]
pub fn AccountPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| super::server::signed_in_account());
    let password = ServerAction::<ChangePassword>::new();
    let email = ServerAction::<ChangeEmail>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let pv = password.value();
    let ev = email.value();
    let password_changed = succeeded(pv, "mot-de-passe");
    let email_changed = succeeded(ev, "adresse");
    let content = move || {
        Suspend::new(async move {
            match account.await {
                Ok(Some(account)) => view! {
                    <p>
                        <strong>{account.name.clone()}</strong>
                        " · "
                        {account.structure.clone()}
                        <br />
                        {account.email.clone()}
                    </p>
                    <PageForm action=sign_out attr:aria-label="Déconnexion">
                        <button class="fr-btn fr-btn--secondary fr-icon-logout-box-r-line fr-btn--icon-left" type="submit">
                            "Se déconnecter"
                        </button>
                    </PageForm>
                    <h2 class="fr-h4 fr-mt-4w">"Changer de mot de passe"</h2>
                    <Show when=password_changed>
                        {success("Mot de passe changé. Vos autres sessions ont été fermées.")}
                    </Show>
                    <PageForm action=password attr:novalidate=true attr:aria-label="Changer de mot de passe">
                        <Field
                            id="actuel"
                            label="Mot de passe actuel"
                            kind="password"
                            autocomplete="current-password"
                            error=action_field_error(pv, "actuel")
                        />
                        <Field
                            id="nouveau"
                            label="Nouveau mot de passe"
                            hint="Au moins 12 caractères."
                            kind="password"
                            autocomplete="new-password"
                            error=action_field_error(pv, "nouveau")
                        />
                        <button class="fr-btn" type="submit">
                            "Changer le mot de passe"
                        </button>
                    </PageForm>
                    <h2 class="fr-h4 fr-mt-4w">"Changer d'adresse électronique"</h2>
                    <Show when=email_changed>
                        {success("Un lien de confirmation a été envoyé à la nouvelle adresse.")}
                    </Show>
                    <PageForm action=email attr:novalidate=true attr:aria-label="Changer d'adresse">
                        <Field
                            id=field::EMAIL
                            label="Nouvelle adresse électronique"
                            kind="email"
                            autocomplete="email"
                            error=action_field_error(ev, field::EMAIL)
                        />
                        <Field
                            id="mot_de_passe"
                            label="Mot de passe"
                            kind="password"
                            autocomplete="current-password"
                            error=action_field_error(ev, "mot_de_passe")
                        />
                        <button class="fr-btn" type="submit">
                            "Changer l'adresse"
                        </button>
                    </PageForm>
                }
                .into_any(),
                Ok(None) | Err(_) => view! { <crate::pages::SignInNeeded /> }.into_any(),
            }
        })
    };
    let _ = PASSWORD_MIN;
    page(
        "Mon compte",
        view! { <Suspense fallback=|| ()>{content}</Suspense> },
    )
}
