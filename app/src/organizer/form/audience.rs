//! The form's section 5: registration, contact and accessibility.
use leptos::prelude::*;

use super::state::{Checks, FormSignals};
use crate::forms::Field;
use crate::organizer::validation::field;

/// « 5. Inscription, contact et accessibilité ».
#[component]
pub(super) fn AudienceSection(signals: FormSignals, checks: Checks) -> impl IntoView {
    view! {
        <fieldset class="fr-fieldset mip-form-section">
            <legend class="fr-fieldset__legend"><h2 class="fr-h4 fr-mb-0">"5. Inscription, contact et accessibilité"</h2></legend>
            <div class="fr-fieldset__element">
                <Field id=field::REGISTRATION_URL label="Lien d'inscription" kind="url" value=signals.registration_url
                    hint="Facultatif, https://…" error=checks.error(field::REGISTRATION_URL) on_blur=checks.blur(field::REGISTRATION_URL) />
            </div>
            <div class="fr-fieldset__element fr-fieldset__element--inline">
                <Field id=field::CAPACITY label="Nombre de places" value=signals.capacity
                    hint="Facultatif." error=checks.error(field::CAPACITY) on_blur=checks.blur(field::CAPACITY) />
            </div>
            <div class="fr-fieldset__element">
                <Field id=field::CONTACT_NAME label="Contact : nom" value=signals.contact_name
                    error=checks.error(field::CONTACT_NAME) on_blur=checks.blur(field::CONTACT_NAME) />
            </div>
            <div class="fr-fieldset__element">
                <Field id=field::CONTACT_EMAIL label="Contact : adresse électronique" kind="email" value=signals.contact_email
                    hint="Publiée sur la page de l'événement." error=checks.error(field::CONTACT_EMAIL) on_blur=checks.blur(field::CONTACT_EMAIL) />
            </div>
            <div class="fr-fieldset__element">
                <Field id=field::ACCESSIBILITY label="Accessibilité" rows=3 value=signals.accessibility
                    hint="Accès en fauteuil roulant, boucle magnétique, interprétation LSF, sous-titres…"
                    error=checks.error(field::ACCESSIBILITY) on_blur=checks.blur(field::ACCESSIBILITY) />
            </div>
        </fieldset>
    }
}
