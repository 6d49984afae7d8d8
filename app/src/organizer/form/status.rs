//! What the form page says about the event's status: the notice after a save, the event's
//! status and moderation note above the form, and cancelling or deleting it below.
use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::organizer::model::EditableEvent;
use crate::organizer::pages::status_badge;
use crate::organizer::server::ChangeEventStatus;
use crate::reference::EventStatus;

/// The URL's « saved » notice (`?etat=soumis`…).
#[component]
pub(super) fn SavedNotice(etat: Option<String>) -> impl IntoView {
    move || {
        etat.clone().map(|etat| {
        let text = match etat.as_str() {
            "soumis" => "Événement soumis : l'équipe du Mois va le relire avant publication. Vous pouvez encore le modifier.",
            "brouillon" => "Brouillon enregistré. Soumettez-le quand il est prêt.",
            "duplique" => "Événement dupliqué en brouillon dans l'édition en cours : vérifiez les dates et le lieu, puis soumettez-le.",
            _ => "Modifications enregistrées.",
        };
        view! {
            <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status">
                <p>{text}</p>
            </div>
        }
    })
    }
}

/// The edited event's status, its edition when not the current one (`year`), the moderation
/// team's note, and what editing a published event does.
#[component]
pub(super) fn EventInfo(event: Option<EditableEvent>, year: i32) -> impl IntoView {
    event.map(|e| {
        view! {
            <div class="fr-mb-2w mip-status-line">
                {status_badge(e.status)}
                {e.status
                    .is_public()
                    .then(|| view! { <a class="fr-link" href=format!("/evenements/{}", e.slug)>"Voir la page publique"</a> })}
            </div>
            {(e.edition_year != year)
                .then(|| view! {
                    <div class="fr-notice fr-notice--info fr-mb-2w">
                        <div class="fr-container"><div class="fr-notice__body"><p class="fr-notice__title">
                            {format!("Cet événement appartient à l'édition {}.", e.edition_year)}
                        </p></div></div>
                    </div>
                })}
            {e.moderation_note.clone().map(|note| view! {
                <div class="fr-alert fr-alert--warning fr-mb-3w">
                    <h2 class="fr-alert__title">"Message de l'équipe du Mois"</h2>
                    <p class="mip-moderation-note">{note}</p>
                </div>
            })}
            {(e.status == EventStatus::Published)
                .then(|| view! {
                    <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
                        <p>
                            "Cet événement est publié. Vos modifications sont visibles tout de suite ; l'équipe du Mois les relira."
                            {(!e.changed_since_review.is_empty()).then(|| format!(" Modifié depuis la dernière relecture : {}.", e.changed_since_review.join(", ")))}
                        </p>
                    </div>
                })}
        }
    })
}

/// Below the form: a draft is deleted, a published or submitted event cancelled. `version`:
/// the version saves reached from this page.
#[component]
pub(super) fn StatusZone(
    event: Option<EditableEvent>,
    action: ServerAction<ChangeEventStatus>,
    version: RwSignal<i64>,
) -> impl IntoView {
    event.map(|e| {
        let v = e.version;
        let can_cancel = matches!(e.status, EventStatus::Published | EventStatus::Submitted);
        let can_delete = e.status == EventStatus::Draft;
        (can_cancel || can_delete).then(|| view! {
            <section class="fr-mt-6w mip-danger-zone">
                <h2 class="fr-h5">{if can_delete { "Supprimer le brouillon" } else { "Annuler l'événement" }}</h2>
                <p class="fr-text--sm">
                    {if can_delete {
                        "Le brouillon sera définitivement supprimé."
                    } else {
                        "L'événement reste affiché dans le programme, marqué « Annulé », et les agendas abonnés sont prévenus."
                    }}
                </p>
                <ActionForm action>
                    <input type="hidden" name="id" value=e.id />
                    <input type="hidden" name="version" value=move || version.get().max(v) />
                    <input type="hidden" name="action" value=if can_delete { "supprimer" } else { "annuler" } />
                    <button class="fr-btn fr-btn--tertiary mip-btn-danger" type="submit">
                        {if can_delete { "Supprimer le brouillon" } else { "Annuler l'événement" }}
                    </button>
                </ActionForm>
            </section>
        })
    })
}
