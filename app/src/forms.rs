//! DSFR form fields with their error messages, used by every form. A field's message sits
//! in its `fr-messages-group`, referenced by `aria-describedby`, and the input carries
//! `aria-invalid` while it is in error.
use std::sync::{Arc, Mutex};

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::client::Client;
use leptos::server_fn::codec::PostUrl;
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::{Http, ServerFn};
use leptos_router::hooks::use_query_map;
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldError};

mod kept;
pub use kept::*;

/// The message of `field` in the last result of an action, if it failed on that field.
pub fn action_field_error<T, S>(value: S, field: &'static str) -> Signal<Option<String>>
where
    T: Send + Sync + 'static,
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(error)) => error.message_for(field).map(str::to_string),
            _ => None,
        })
    })
}

/// An error of the last result that is not about one field (throttling, network…).
pub fn action_general_error<T, S>(value: S) -> Signal<Option<String>>
where
    T: Send + Sync + 'static,
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(AppError::Invalid(_))) | None | Some(Ok(_)) => None,
            Some(Err(error)) => Some(error.to_string()),
        })
    })
}

/// What a [`PageForm`] tells the fields built inside it.
#[derive(Clone)]
struct FormScope {
    /// Whether the action's error is this form's: not when another form of the page that
    /// posts the same function came back with it.
    active: bool,
    /// What was typed, when this form came back with an error.
    kept: Option<Arc<KeptInput>>,
    /// The fields built in the form, `(name, id)`: where the summary's links lead.
    fields: Arc<Mutex<Vec<(String, String)>>>,
}

fn form_scope() -> Option<FormScope> {
    use_context::<FormScope>()
}

/// The value kept for `name` in the form being built, if it came back with an error (never
/// a secret's). For inputs that are not a [`Field`] or a [`SelectField`].
pub fn kept_value(name: &str) -> Option<String> {
    if is_secret_field(name) {
        return None;
    }
    form_scope()?.kept?.value(name).map(str::to_string)
}

/// Whether the checkbox (or option) `name` = `value` was ticked in the submission that came
/// back with an error; `None` when no submission came back (the page's own value applies).
pub fn kept_checked(name: &str, value: &str) -> Option<bool> {
    form_scope()?.kept.map(|kept| kept.has(name, value))
}

/// The message to show on a field whose too long value could not be kept.
fn dropped_notice(name: &str) -> Option<&'static str> {
    form_scope()?
        .kept?
        .dropped
        .iter()
        .any(|d| d == name)
        .then_some("Ce texte était trop long pour être gardé avec l'erreur : saisissez-le ou collez-le de nouveau.")
}

/// Registers a field in the form being built (the summary links to it by `id`); its error is
/// shown only when the form's is. For fields that are not a [`Field`] or a [`SelectField`].
pub fn field_in_form(
    name: &str,
    id: &str,
    error: Signal<Option<String>>,
) -> Signal<Option<String>> {
    match form_scope() {
        Some(scope) => {
            if let Ok(mut fields) = scope.fields.lock() {
                fields.push((name.to_string(), id.to_string()));
            }
            if scope.active {
                error
            } else {
                Signal::derive(|| None)
            }
        }
        None => error,
    }
}

/// A form posted to a server function, as every form of the site is: a plain HTML form
/// (`ActionForm`) that works without JavaScript. When its post fails, the page comes back
/// with the form as it was typed (its fields read the kept submission, passwords excepted),
/// the error summary at its top (the messages, each a link to its field) or the error that
/// is about no field, and each field's message.
///
/// `key` tells apart the forms of one page that post the same function (sent as the hidden
/// `__form`, and given back with the error): only the form that was posted shows its error
/// and its values.
#[component]
pub fn PageForm<ServFn, OutputProtocol>(
    action: ServerAction<ServFn>,
    #[prop(optional, into)] key: Option<String>,
    children: Children,
) -> impl IntoView
where
    ServFn: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, OutputProtocol>, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    <ServFn as ServerFn>::Client: Client<AppError>,
    <<ServFn::Client as Client<AppError>>::Request as ClientReq<AppError>>::FormData:
        From<leptos::web_sys::FormData>,
    ServFn::Output: Send + Sync + 'static,
    OutputProtocol: 'static,
{
    let query = use_query_map();
    let (path, form, input) =
        query.with_untracked(|q| (q.get("__path"), q.get(FORM_PARAM), q.get(INPUT_PARAM)));
    let came_back = path.as_deref() == Some(ServFn::PATH);
    // A refusal made before the form's fields were read (a body too large) does not say
    // which form it was: every form of that function shows it.
    let active = !came_back || form.is_none() || form == key;
    let kept = if came_back && form == key {
        input.and_then(|key| kept_input(&key))
    } else {
        None
    };
    let scope = FormScope {
        active,
        kept,
        fields: Default::default(),
    };
    let fields = scope.fields.clone();
    // The fields see this form's scope, not the siblings of the form.
    let owner = Owner::new();
    let body = owner.with(|| {
        provide_context(scope);
        children()
    });
    // The fields' signals live as long as the page around the form.
    on_cleanup(move || drop(owner));
    let value = action.value();
    let errors = Signal::derive(move || {
        if !active {
            return Vec::new();
        }
        value.with(|v| match v {
            Some(Err(AppError::Invalid(errors))) => errors.clone(),
            _ => Vec::new(),
        })
    });
    let general = Signal::derive(move || {
        if !active {
            return None;
        }
        value.with(|v| match v {
            Some(Err(AppError::Invalid(_))) | Some(Ok(_)) | None => None,
            Some(Err(error)) => Some(error.clone()),
        })
    });
    let targets = move |errors: Vec<FieldError>| -> Vec<(Option<String>, String)> {
        let fields = fields.lock().map(|f| f.clone()).unwrap_or_default();
        errors
            .into_iter()
            .map(|e| {
                let id = fields
                    .iter()
                    .find(|(name, _)| *name == e.field)
                    .map(|(_, id)| id.clone());
                (id, e.message)
            })
            .collect()
    };
    view! {
        <ActionForm action=action>
            {key.map(|key| view! { <input type="hidden" name=FORM_PARAM value=key /> })}
            <ErrorSummary errors=Signal::derive(move || targets(errors.get())) />
            <GeneralError error=general />
            {body}
        </ActionForm>
    }
}

/// The error of a keyed [`PageForm`] whose form is no longer on the page (its row was
/// deleted or moved meanwhile): shown here, where the page puts it, instead of nowhere.
/// `keys` are the keys of the forms of `action` that the page shows.
#[component]
pub fn UnclaimedFormError<ServFn>(action: ServerAction<ServFn>, keys: Vec<String>) -> impl IntoView
where
    ServFn: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    ServFn::Output: Send + Sync + 'static,
{
    let query = use_query_map();
    let unclaimed = query.with_untracked(|q| {
        q.get("__path").as_deref() == Some(ServFn::PATH)
            && q.get(FORM_PARAM).is_some_and(|form| !keys.contains(&form))
    });
    let value = action.value();
    let error = Signal::derive(move || {
        if !unclaimed {
            return None;
        }
        value.with(|v| match v {
            Some(Err(error)) => Some(error.clone()),
            _ => None,
        })
    });
    view! { <GeneralError error /> }
}

/// What was typed in a plain form posted to `ServFn` that came back to this page with an
/// error (see [`kept`]), for a form that is not a [`PageForm`] (the event form, an island,
/// fills its fields from it). Never a secret.
pub fn kept_submission<ServFn: ServerFn>() -> Option<Arc<KeptInput>> {
    let query = use_query_map();
    let (path, input) = query.with_untracked(|q| (q.get("__path"), q.get(INPUT_PARAM)));
    if path.as_deref() != Some(ServFn::PATH) {
        return None;
    }
    kept_input(&input?)
}

/// The submission kept under `key` (see [`kept`]), during the server's render.
fn kept_input(key: &str) -> Option<Arc<KeptInput>> {
    #[cfg(feature = "ssr")]
    {
        crate::state::app_state().ok()?.kept_input.get(key)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = key;
        None
    }
}

/// The DSFR error summary at the top of a form in error: how many errors, then each message
/// as a link to its field (`#id`; plain text for a message about no visible field). Focused
/// when the page loads with it (`autofocus`), so that a screen reader reads it first.
#[component]
pub fn ErrorSummary(
    /// `(id of the field, message)` of each error.
    #[prop(into)]
    errors: Signal<Vec<(Option<String>, String)>>,
) -> impl IntoView {
    move || {
        let errors = errors.get();
        (!errors.is_empty()).then(|| {
            let title = format!(
                "Le formulaire contient {}",
                crate::fr::count(errors.len() as i64, "erreur", "erreurs")
            );
            view! {
                <div
                    class="fr-alert fr-alert--error fr-mb-3w mip-error-summary"
                    role="alert"
                    tabindex="-1"
                    autofocus=true
                    data-error-summary
                >
                    <h2 class="fr-alert__title">{title}</h2>
                    <ul>
                        {errors
                            .into_iter()
                            .map(|(id, message)| match id {
                                Some(id) => view! { <li><a href=format!("#{id}")>{message}</a></li> }.into_any(),
                                None => view! { <li>{message}</li> }.into_any(),
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// An error of a form that is about no field. A version conflict (409: someone else saved
/// the record since this page was rendered, nothing was written) or a record gone meanwhile
/// (404) comes with a link to the page without the error, which shows what is saved now.
#[component]
fn GeneralError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let query = use_query_map();
    let location = leptos_router::hooks::use_location();
    let reload = move || {
        let query = query.with(|q| {
            let mut out = form_urlencoded::Serializer::new(String::new());
            for (k, v) in q {
                if !k.starts_with("__") {
                    out.append_pair(k, v);
                }
            }
            out.finish()
        });
        let path = location.pathname.get();
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    };
    move || {
        error.get().map(|error| {
            let conflict = matches!(error, AppError::Conflict(_) | AppError::NotFound(_));
            view! {
                <div
                    class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w"
                    role="alert"
                    data-form-error=error.status_code().as_u16()
                    data-conflict=conflict.then_some("version")
                >
                    <p>{error.to_string()}</p>
                    {conflict.then(|| view! {
                        <p><a class="fr-link" href=reload()>"Recharger la page"</a></p>
                    })}
                </div>
            }
        })
    }
}

/// A text input (or a textarea with `rows`). Controlled when `value` is given.
#[component]
pub fn Field(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] value: Option<RwSignal<String>>,
    #[prop(optional)] rows: Option<u32>,
    #[prop(default = false)] required: bool,
    #[prop(optional)] on_blur: Option<Callback<()>>,
    #[prop(optional, into)] hint_dynamic: Option<Signal<String>>,
) -> impl IntoView {
    let messages = format!("{id}-messages");
    let field_name = name.unwrap_or(id);
    let error = field_in_form(field_name, id, error);
    // What was typed, when the form comes back with an error (a password never is).
    let kept = (kind != "password")
        .then(|| kept_value(field_name))
        .flatten();
    let dropped = dropped_notice(field_name);
    let value = match (value, kept) {
        (Some(value), Some(kept)) => {
            value.set(kept);
            Some(value)
        }
        (None, Some(kept)) => Some(RwSignal::new(kept)),
        (value, None) => value,
    };
    // A textarea's text, in the server's HTML (`prop:value` is set by the browser's code
    // only, and a form without island has none).
    let text = value
        .map(|v| crate::html::Html::text(&v.get_untracked()).into_string())
        .unwrap_or_default();
    let has_error = move || error.with(Option::is_some);
    let blur = move |_| {
        if let Some(cb) = on_blur {
            cb.run(())
        }
    };
    let input = match rows {
        Some(rows) => view! {
            <textarea
                class=move || if has_error() { "fr-input fr-input--error" } else { "fr-input" }
                id=id
                name=name.unwrap_or(id)
                rows=rows
                required=required
                aria-describedby=messages.clone()
                aria-invalid=move || has_error().then_some("true")
                inner_html=text
                prop:value=move || value.map(|v| v.get()).unwrap_or_default()
                on:input=move |ev| {
                    if let Some(v) = value {
                        v.set(event_target_value(&ev))
                    }
                }
                on:blur=blur
            ></textarea>
        }
        .into_any(),
        None => view! {
            <input
                class=move || if has_error() { "fr-input fr-input--error" } else { "fr-input" }
                id=id
                name=name.unwrap_or(id)
                type=kind
                autocomplete=autocomplete
                required=required
                aria-describedby=messages.clone()
                aria-invalid=move || has_error().then_some("true")
                value=value.map(|v| v.get_untracked())
                prop:value=move || value.map(|v| v.get())
                on:input=move |ev| {
                    if let Some(v) = value {
                        v.set(event_target_value(&ev))
                    }
                }
                on:blur=blur
            />
        }
        .into_any(),
    };
    view! {
        <div class=move || {
            if has_error() { "fr-input-group fr-input-group--error" } else { "fr-input-group" }
        }>
            <label class="fr-label" for=id>
                {label}
                {required.then(|| view! { <span class="mip-required">" (obligatoire)"</span> })}
                {hint.map(|h| view! { <span class="fr-hint-text">{h}</span> })}
                {hint_dynamic.map(|h| view! { <span class="fr-hint-text">{move || h.get()}</span> })}
            </label>
            {input}
            <div class="fr-messages-group" id=messages aria-live="polite">
                {move || error.get().map(|m| view! { <p class="fr-message fr-message--error">{m}</p> })}
                {dropped.map(|m| view! { <p class="fr-message fr-message--info">{m}</p> })}
            </div>
        </div>
    }
}

/// A select of `(value, label)` options, with an empty « choose » option first.
#[component]
pub fn SelectField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] name: Option<&'static str>,
    options: Vec<(String, String)>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] value: Option<RwSignal<String>>,
    #[prop(default = false)] required: bool,
    #[prop(default = "Sélectionner une option")] placeholder: &'static str,
    #[prop(optional)] on_blur: Option<Callback<()>>,
) -> impl IntoView {
    let messages = format!("{id}-messages");
    let field_name = name.unwrap_or(id);
    let error = field_in_form(field_name, id, error);
    let value = match (value, kept_value(field_name)) {
        (Some(value), Some(kept)) => {
            value.set(kept);
            Some(value)
        }
        (None, Some(kept)) => Some(RwSignal::new(kept)),
        (value, None) => value,
    };
    let has_error = move || error.with(Option::is_some);
    let current = move || value.map(|v| v.get()).unwrap_or_default();
    view! {
        <div class=move || {
            if has_error() { "fr-select-group fr-select-group--error" } else { "fr-select-group" }
        }>
            <label class="fr-label" for=id>
                {label}
                {required.then(|| view! { <span class="mip-required">" (obligatoire)"</span> })}
                {hint.map(|h| view! { <span class="fr-hint-text">{h}</span> })}
            </label>
            <select
                class=move || if has_error() { "fr-select fr-select--error" } else { "fr-select" }
                id=id
                name=name.unwrap_or(id)
                required=required
                aria-describedby=messages.clone()
                aria-invalid=move || has_error().then_some("true")
                prop:value=current
                on:change=move |ev| {
                    if let Some(v) = value {
                        v.set(event_target_value(&ev))
                    }
                }
                on:blur=move |_| {
                    if let Some(cb) = on_blur {
                        cb.run(())
                    }
                }
            >
                <option value="" selected=move || current().is_empty()>
                    {placeholder}
                </option>
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let v2 = v.clone();
                        view! {
                            <option value=v selected=move || current() == v2>
                                {l}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <div class="fr-messages-group" id=messages aria-live="polite">
                {move || error.get().map(|m| view! { <p class="fr-message fr-message--error">{m}</p> })}
            </div>
        </div>
    }
}

/// An alert for an error that is not about one field.
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! {
                <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert" data-form-error="">
                    <p>{m}</p>
                </div>
            }
        })
    }
}
