//! The conflict screen: the event was saved meanwhile (another tab, another person); the
//! organizer keeps their version or takes the saved one.
use leptos::prelude::*;

use super::save::{SaveAction, Saving};
use super::state::FormSignals;
use crate::organizer::model::changed_fields;

/// Shown while [`Saving::conflict`] holds the version saved meanwhile.
#[component]
pub(super) fn ConflictNotice(
    signals: FormSignals,
    saving: Saving,
    save: SaveAction,
) -> impl IntoView {
    let Saving {
        version,
        general_error,
        conflict,
        ..
    } = saving;
    move || {
        conflict.get().map(|other| {
            let mine = signals.input_untracked();
            let changed = changed_fields(&other.input, &mine);
            let theirs = other.input.clone();
            let other_version = other.version;
            view! {
                <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert" id="conflit">
                    <h2 class="fr-alert__title">"Cet événement a été modifié entre-temps"</h2>
                    <p>
                        "Votre saisie n'a pas été perdue : elle est toujours dans le formulaire ci-dessous. La version enregistrée diffère sur : "
                        <strong>{if changed.is_empty() { "aucun champ".to_string() } else { changed.join(", ") }}</strong>
                        "."
                    </p>
                    <dl class="mip-conflict">
                        <dt>"Titre enregistré"</dt>
                        <dd data-conflict-title>{theirs.title.clone()}</dd>
                        <dt>"Résumé enregistré"</dt>
                        <dd>{theirs.summary.clone()}</dd>
                        <dt>"Dates enregistrées"</dt>
                        <dd>{format!("{} → {}", theirs.starts_local.replace('T', " "), theirs.ends_local.replace('T', " "))}</dd>
                    </dl>
                    <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
                        <li>
                            <button class="fr-btn" type="button" on:click=move |_| {
                                version.set(other_version);
                                conflict.set(None);
                                general_error.set(None);
                                save.dispatch(false);
                            }>"Enregistrer ma version à la place"</button>
                        </li>
                        <li>
                            <button class="fr-btn fr-btn--secondary" type="button" on:click=move |_| {
                                version.set(other_version);
                                signals.set(&theirs);
                                conflict.set(None);
                                general_error.set(None);
                            }>"Reprendre la version enregistrée"</button>
                        </li>
                    </ul>
                </div>
            }
        })
    }
}
