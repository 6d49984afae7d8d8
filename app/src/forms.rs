//! DSFR form fields with their error messages, used by every form. A field's message sits
//! in its `fr-messages-group`, referenced by `aria-describedby`, and the input carries
//! `aria-invalid` while it is in error.
use leptos::prelude::*;

use crate::error::AppError;

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
                <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert">
                    <p>{m}</p>
                </div>
            }
        })
    }
}
