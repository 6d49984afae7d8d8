//! The form's sections 3 (how to take part, and where) and 4 (when).
use leptos::prelude::*;

use super::state::{Checks, FormSignals};
use crate::forms::{Field, SelectField};
use crate::fr;
use crate::organizer::model::FormOptions;
use crate::organizer::validation::field;
use crate::reference::{Mode, NATIONAL_REGION};

/// « 3. Modalité et lieu ».
#[component]
pub(super) fn PlaceSection(
    signals: FormSignals,
    checks: Checks,
    options: StoredValue<FormOptions>,
) -> impl IntoView {
    let regions: Vec<(String, String)> = options.with_value(|o| {
        o.regions
            .iter()
            .filter(|r| r.code != NATIONAL_REGION)
            .map(|r| (r.code.clone(), r.name.clone()))
            .collect()
    });
    let departments = move || {
        let region = signals.region_code.get();
        let list: Vec<(String, String)> = options.with_value(|o| {
            o.departments
                .iter()
                .filter(|d| d.region_code == region)
                .map(|d| (d.code.clone(), format!("{} – {}", d.code, d.name)))
                .collect()
        });
        view! {
            <SelectField
                id=field::DEPARTMENT
                label="Département"
                options=list
                value=signals.department_code
                error=checks.error(field::DEPARTMENT)
                on_blur=checks.blur(field::DEPARTMENT)
            />
        }
    };
    view! {
        <fieldset class="fr-fieldset mip-form-section">
            <legend class="fr-fieldset__legend"><h2 class="fr-h4 fr-mb-0">"3. Modalité et lieu"</h2></legend>
            <div class="fr-fieldset__element">
                <ModeField signals checks />
            </div>
            <Show when=move || signals.has_venue()>
                <div class="fr-fieldset__element">
                    <SelectField id=field::REGION label="Région du lieu" required=true options=regions.clone()
                        value=signals.region_code error=checks.error(field::REGION) on_blur=checks.blur(field::REGION)
                        hint="Elle fixe le fuseau horaire des dates (outre-mer compris)." />
                </div>
                <div class="fr-fieldset__element">{departments}</div>
                <div class="fr-fieldset__element">
                    <Field id=field::VENUE_NAME label="Nom du lieu" value=signals.venue_name
                        hint="Facultatif, par exemple « Salle du conseil »." error=checks.error(field::VENUE_NAME) />
                </div>
                <div class="fr-fieldset__element">
                    <Field id=field::VENUE_ADDRESS label="Adresse" required=true value=signals.venue_address
                        autocomplete="address-line1" error=checks.error(field::VENUE_ADDRESS) on_blur=checks.blur(field::VENUE_ADDRESS) />
                </div>
                <div class="fr-fieldset__element fr-fieldset__element--inline">
                    <Field id=field::POSTAL_CODE label="Code postal" value=signals.postal_code
                        autocomplete="postal-code" error=checks.error(field::POSTAL_CODE) on_blur=checks.blur(field::POSTAL_CODE) />
                </div>
                <div class="fr-fieldset__element">
                    <Field id=field::CITY label="Commune" required=true value=signals.city
                        autocomplete="address-level2" error=checks.error(field::CITY) on_blur=checks.blur(field::CITY) />
                </div>
            </Show>
            <Show when=move || signals.is_online()>
                <div class="fr-fieldset__element">
                    <Field id=field::ONLINE_URL label="Lien pour suivre l'événement en ligne" required=true kind="url"
                        value=signals.online_url hint="Adresse complète, https://…"
                        error=checks.error(field::ONLINE_URL) on_blur=checks.blur(field::ONLINE_URL) />
                </div>
            </Show>
            {move || not_kept(signals)}
            // Online only: no venue, but the organizers' commune is kept when given.
            <Show when=move || !signals.has_venue()>
                <div class="fr-fieldset__element">
                    <Field id=field::CITY label="Commune des organisateurs" value=signals.city
                        hint="Facultatif : elle sert à la recherche et au bilan de l'édition."
                        autocomplete="address-level2" error=checks.error(field::CITY) />
                </div>
            </Show>
        </fieldset>
    }
}

/// How to take part: radio buttons, one per [`Mode`].
#[component]
fn ModeField(signals: FormSignals, checks: Checks) -> impl IntoView {
    let error = checks.error(field::MODE);
    view! {
        <fieldset
            class=move || if error.get().is_some() { "fr-fieldset fr-fieldset--error" } else { "fr-fieldset" }
            id=field::MODE
            aria-labelledby="mode-legend mode-messages"
            role="radiogroup"
        >
            <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="mode-legend">
                "Comment y participer ? (obligatoire)"
            </legend>
            {Mode::ALL.into_iter().map(|m| {
                let id = format!("mode-{}", m.as_str());
                view! {
                    <div class="fr-fieldset__element fr-fieldset__element--inline">
                        <div class="fr-radio-group">
                            <input type="radio" id=id.clone() name="mode" value=m.as_str()
                                checked=signals.mode.with_untracked(|v| v == m.as_str())
                                prop:checked=move || signals.mode.get() == m.as_str()
                                on:change=move |_| {
                                    signals.mode.set(m.as_str().to_string());
                                    checks.touch(field::MODE);
                                } />
                            <label class="fr-label" for=id>{m.label()}</label>
                        </div>
                    </div>
                }
            }).collect_view()}
            <div class="fr-messages-group" id="mode-messages" aria-live="polite">
                {move || error.get().map(|m| view! { <p class="fr-message fr-message--error">{m}</p> })}
            </div>
        </fieldset>
    }
}

/// What was typed in a field the chosen mode hides is not saved: say so, so that nothing
/// typed disappears without a word (it comes back if the mode changes again before saving).
fn not_kept(signals: FormSignals) -> Option<impl IntoView> {
    let typed = |s: RwSignal<String>| !s.with(|v| v.trim().is_empty());
    let mut lost = Vec::new();
    if !signals.has_venue()
        && (typed(signals.venue_name) || typed(signals.venue_address) || typed(signals.postal_code))
    {
        lost.push("l'adresse du lieu (un événement en ligne n'en a pas)");
    }
    if !signals.is_online() && typed(signals.online_url) {
        lost.push("le lien pour suivre en ligne (un événement en présentiel n'en a pas)");
    }
    (!lost.is_empty()).then(|| view! {
        <div class="fr-fieldset__element">
            <div class="fr-alert fr-alert--info fr-alert--sm" data-not-kept="">
                <p>{format!("Avec cette modalité, ne sera pas enregistré : {}. Changez de modalité pour le garder.", lost.join(" ; "))}</p>
            </div>
        </div>
    })
}

/// « 4. Date et heure ».
#[component]
pub(super) fn TimeSection(
    signals: FormSignals,
    checks: Checks,
    options: StoredValue<FormOptions>,
) -> impl IntoView {
    // An event known by its dates only (all day, often from the archives) keeps date
    // fields: a date-and-time field would show it empty and lose it.
    let time_kind: &'static str = if signals.starts_local.get_untracked().trim().len() == 10 {
        "date"
    } else {
        "datetime-local"
    };
    let zone_hint = Signal::derive(move || {
        let region = signals.region_code.get();
        let has_venue = signals.has_venue();
        options.with_value(|o| {
            match o
                .regions
                .iter()
                .find(|r| r.code == region && r.code != NATIONAL_REGION)
            {
                Some(r) if has_venue => {
                    format!("Heure locale du lieu ({}, fuseau {}).", r.name, r.time_zone)
                }
                _ if !has_venue => "Heure de Paris.".to_string(),
                _ => "Heure locale du lieu : choisissez d'abord la région.".to_string(),
            }
        })
    });
    view! {
        <fieldset class="fr-fieldset mip-form-section">
            <legend class="fr-fieldset__legend"><h2 class="fr-h4 fr-mb-0">"4. Date et heure"</h2></legend>
            <div class="fr-fieldset__element">
                <p class="fr-text--sm">
                    {options.with_value(|o| format!("Le Mois {} a lieu {}.", o.edition.year, fr::date_range(o.edition.starts_on, o.edition.ends_on)))}
                </p>
            </div>
            {(time_kind == "date").then(|| view! {
                <div class="fr-fieldset__element">
                    <p class="fr-text--sm" data-all-day="">"Événement sans horaires : indiquez le premier et le dernier jour."</p>
                </div>
            })}
            <div class="fr-fieldset__element fr-fieldset__element--inline">
                <Field id=field::STARTS label="Début" required=true kind=time_kind value=signals.starts_local
                    hint_dynamic=zone_hint error=checks.error(field::STARTS) on_blur=checks.blur(field::STARTS) />
            </div>
            <div class="fr-fieldset__element fr-fieldset__element--inline">
                <Field id=field::ENDS label="Fin" required=true kind=time_kind value=signals.ends_local
                    hint_dynamic=zone_hint error=checks.error(field::ENDS) on_blur=checks.blur(field::ENDS) />
            </div>
            <div class="fr-fieldset__element">
                <div class="fr-checkbox-group">
                    <input type="checkbox" id="hors-periode" name="out_of_period" value="1"
                        checked=signals.out_of_period.get_untracked()
                        prop:checked=move || signals.out_of_period.get()
                        on:change=move |ev| signals.out_of_period.set(event_target_checked(&ev)) />
                    <label class="fr-label" for="hors-periode">
                        "Hors période : l'événement a lieu en dehors du Mois"
                    </label>
                </div>
            </div>
            {move || (!signals.out_of_period.get()
                && !signals.out_of_period_reason.with(|v| v.trim().is_empty()))
                .then(|| view! {
                    <div class="fr-fieldset__element">
                        <div class="fr-alert fr-alert--info fr-alert--sm" data-not-kept="">
                            <p>"La raison « hors période » déjà écrite ne sera pas enregistrée tant que la case n'est pas cochée."</p>
                        </div>
                    </div>
                })}
            <Show when=move || signals.out_of_period.get()>
                <div class="fr-fieldset__element">
                    <Field id=field::OUT_OF_PERIOD_REASON label="Pourquoi hors période ?" required=true rows=2
                        value=signals.out_of_period_reason error=checks.error(field::OUT_OF_PERIOD_REASON)
                        on_blur=checks.blur(field::OUT_OF_PERIOD_REASON) />
                </div>
            </Show>
        </fieldset>
    }
}
