//! The form's sections 1 (the event: title, texts, themes, format, audience) and 2 (the
//! organizing structure).
use leptos::prelude::*;

use super::state::{Checks, FormSignals};
use crate::forms::{Field, SelectField};
use crate::organizer::model::FormOptions;
use crate::organizer::server::preview_description;
use crate::organizer::validation::{field, THEMES_MAX};
use crate::reference::VocabularyItem;

/// A vocabulary as a `<select>`'s options: `(id, label)`.
fn vocab(items: &[VocabularyItem]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|t| (t.id.to_string(), t.label.clone()))
        .collect()
}

/// « 1. L'événement ».
#[component]
pub(super) fn EventSection(
    signals: FormSignals,
    checks: Checks,
    mounted: ReadSignal<bool>,
    options: StoredValue<FormOptions>,
) -> impl IntoView {
    let (formats, audiences) = options.with_value(|o| (vocab(&o.formats), vocab(&o.audiences)));
    let themes = options.with_value(|o| o.themes.clone());
    view! {
        <fieldset class="fr-fieldset mip-form-section">
            <legend class="fr-fieldset__legend"><h2 class="fr-h4 fr-mb-0">"1. L'événement"</h2></legend>
            <div class="fr-fieldset__element">
                <Field id=field::TITLE label="Titre" required=true value=signals.title
                    hint="200 caractères au plus. Dites ce qui va se passer : « Atelier : simplifier la demande de logement social »."
                    error=checks.error(field::TITLE) on_blur=checks.blur(field::TITLE) />
            </div>
            <div class="fr-fieldset__element">
                <Field id=field::SUMMARY label="Résumé" required=true value=signals.summary rows=3
                    hint="600 caractères au plus. Il apparaît sur la carte de l'événement dans le programme."
                    error=checks.error(field::SUMMARY) on_blur=checks.blur(field::SUMMARY) />
            </div>
            <div class="fr-fieldset__element">
                <DescriptionField signals checks mounted />
            </div>
            <div class="fr-fieldset__element">
                <ThemesField signals checks themes />
            </div>
            <div class="fr-fieldset__element">
                <SelectField id=field::FORMAT label="Format" required=true options=formats value=signals.format_id
                    error=checks.error(field::FORMAT) on_blur=checks.blur(field::FORMAT) />
            </div>
            <div class="fr-fieldset__element">
                <SelectField id=field::AUDIENCE label="Public visé" required=true options=audiences value=signals.audience_id
                    error=checks.error(field::AUDIENCE) on_blur=checks.blur(field::AUDIENCE) />
            </div>
        </fieldset>
    }
}

/// The description (Markdown) and, once the browser's code runs, its preview.
#[component]
fn DescriptionField(
    signals: FormSignals,
    checks: Checks,
    mounted: ReadSignal<bool>,
) -> impl IntoView {
    let preview = RwSignal::new(None::<crate::html::Html>);
    let show_preview = move |_| {
        let text = signals.description.get_untracked();
        leptos::task::spawn_local(async move {
            match preview_description(text).await {
                Ok(html) => preview.set(Some(html)),
                // The message is text: escaped, never markup.
                Err(error) => preview.set(Some(crate::html!(
                    "<p>{}</p>",
                    crate::html::text(&error.to_string())
                ))),
            }
        });
    };
    view! {
        <Field id=field::DESCRIPTION label="Description" value=signals.description rows=8
            hint="Programme, intervenants, déroulé… Mise en forme Markdown : **gras**, listes avec « - », liens [texte](https://…)."
            error=checks.error(field::DESCRIPTION) on_blur=checks.blur(field::DESCRIPTION) />
        <Show when=move || mounted.get()>
            <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="button" on:click=show_preview>
                "Aperçu de la description"
            </button>
        </Show>
        // The server's HTML: the Markdown through its sanitiser (`organizer::markdown`).
        {move || preview.get().map(|html| view! {
            <div class="mip-preview fr-mt-2w" aria-label="Aperçu de la description" role="region" inner_html=html.into_string()></div>
        })}
    }
}

/// One to three themes, as boxes (more cannot be ticked).
#[component]
fn ThemesField(signals: FormSignals, checks: Checks, themes: Vec<VocabularyItem>) -> impl IntoView {
    let theme_count = move || signals.themes.with(Vec::len);
    let error = checks.error(field::THEMES);
    view! {
        <fieldset
            class=move || if error.get().is_some() { "fr-fieldset fr-fieldset--error" } else { "fr-fieldset" }
            id=field::THEMES
            aria-labelledby="themes-legend themes-messages"
        >
            <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="themes-legend">
                "Thèmes (obligatoire)"
                <span class="fr-hint-text">
                    {move || format!("Un à trois thèmes ({} choisi{}).", theme_count(), if theme_count() > 1 { "s" } else { "" })}
                </span>
            </legend>
            {themes.into_iter().map(|t| {
                let id = format!("theme-{}", t.id);
                let tid = t.id;
                view! {
                    <div class="fr-fieldset__element">
                        <div class="fr-checkbox-group">
                            <input type="checkbox" id=id.clone() name="themes[]" value=tid
                                checked=signals.themes.with_untracked(|v| v.contains(&tid))
                                prop:checked=move || signals.themes.with(|v| v.contains(&tid))
                                disabled=move || signals.themes.with(|v| v.len() >= THEMES_MAX && !v.contains(&tid))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    signals.themes.update(|v| {
                                        v.retain(|x| *x != tid);
                                        if on { v.push(tid) }
                                    });
                                    checks.touch(field::THEMES);
                                } />
                            <label class="fr-label" for=id>{t.label.clone()}</label>
                        </div>
                    </div>
                }
            }).collect_view()}
            <div class="fr-messages-group" id="themes-messages" aria-live="polite">
                {move || error.get().map(|m| view! { <p class="fr-message fr-message--error">{m}</p> })}
            </div>
        </fieldset>
    }
}

/// « 2. L'organisation ».
#[component]
pub(super) fn OrganisationSection(
    signals: FormSignals,
    checks: Checks,
    options: StoredValue<FormOptions>,
) -> impl IntoView {
    let types = options.with_value(|o| vocab(&o.organizer_types));
    let labs: Vec<(String, String)> = options.with_value(|o| {
        o.labs
            .iter()
            .map(|l| (l.id.to_string(), l.name.clone()))
            .collect()
    });
    view! {
        <fieldset class="fr-fieldset mip-form-section">
            <legend class="fr-fieldset__legend"><h2 class="fr-h4 fr-mb-0">"2. L'organisation"</h2></legend>
            <div class="fr-fieldset__element">
                <Field id=field::STRUCTURE label="Structure organisatrice" required=true value=signals.structure_name
                    hint="Le nom affiché dans le programme, par exemple « Préfecture de la Gironde »."
                    error=checks.error(field::STRUCTURE) on_blur=checks.blur(field::STRUCTURE) />
            </div>
            <div class="fr-fieldset__element">
                <SelectField id=field::ORGANIZER_TYPE label="Type de structure" required=true options=types
                    value=signals.organizer_type_id error=checks.error(field::ORGANIZER_TYPE) on_blur=checks.blur(field::ORGANIZER_TYPE) />
            </div>
            <div class="fr-fieldset__element">
                <SelectField id=field::LAB label="Laboratoire d'innovation associé" options=labs value=signals.lab_id
                    hint="Facultatif : si un laboratoire de l'Atlas des labs co-organise l'événement."
                    placeholder="Aucun" error=checks.error(field::LAB) />
            </div>
        </fieldset>
    }
}
