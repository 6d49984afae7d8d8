//! The admin's import page, `/admin/import`: the upload form, the checked run (its report,
//! then its confirmation or what the import did), the file's format, and the exports.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use super::super::model::{ImportPageData, ImportRow, ImportRun, RowAction, IMPORT_MAX_BYTES};
use super::super::server::{import_page, ConfirmImport, ImportEvents};
use crate::error::AppError;
use crate::forms::{
    action_field_error, action_general_error, ErrorSummary, Field, FormAlert, PageForm,
};
use crate::fr;
use crate::pages::ErrorNotice;

use super::AdminNav;

#[component]
pub fn ImportPage() -> impl IntoView {
    let query = use_query_map();
    let essai = move || {
        query
            .with(|q| q.get("essai"))
            .and_then(|v| v.parse::<i64>().ok())
    };
    // `importe` is set by the confirmation: the same run, read again.
    let imported = move || query.with(|q| q.get("importe").is_some());
    let data = Resource::new(
        move || (essai(), imported()),
        |(essai, _)| import_page(essai),
    );
    view! {
        <Title text="Administration : import et exports" />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <ImportView data /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The import page: the checked run (its report, then its confirmation or its summary), the
/// upload form, what the file holds, and the exports.
#[component]
fn ImportView(data: ImportPageData) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    // The upload is a plain multipart form (a file needs one), which a `ServerAction` cannot
    // post: its error comes back in the page's address, read here as the actions read theirs.
    let value = RwSignal::new(upload_error().map(Err::<(), AppError>));
    let file_error = action_field_error(value, "fichier");
    let paste_error = action_field_error(value, "csv");
    let general = action_general_error(value);
    let summary = Signal::derive(move || {
        [("fichier", file_error.get()), ("csv", paste_error.get())]
            .into_iter()
            .filter_map(|(id, m)| m.map(|m| (Some(id.to_string()), m)))
            .collect::<Vec<_>>()
    });
    let pasted = RwSignal::new(
        data.run
            .as_ref()
            .and_then(|r| r.pasted.clone())
            .unwrap_or_default(),
    );
    let run_heading = data.run.is_some();
    let year = data.edition_year;
    let upload_path = <ImportEvents as ServerFn>::PATH;
    view! {
        <div class="fr-container fr-py-6w">
            <h1>"Administration"</h1>
            <AdminNav current="/admin/import" />
            {data.run_missing.then(|| view! {
                <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-3w" role="status" data-form-error="">
                    <p>"Cette vérification n'existe pas ou plus (elles sont gardées sept jours) : envoyez le fichier de nouveau."</p>
                </div>
            })}
            {data.run.map(|run| view! { <ImportRunView run /> })}
            <h2 class="fr-h4" class:fr-mt-6w=run_heading id="import-titre">"Importer des événements (CSV)"</h2>
            <p>
                "L'import se fait en deux temps : le fichier est d'abord vérifié, ligne par ligne, sans rien enregistrer ; "
                "le compte rendu dit ce que chaque ligne créera ou mettra à jour, puis vous confirmez l'import."
            </p>
            <form method="post" action=upload_path enctype="multipart/form-data" novalidate=true aria-labelledby="import-titre" data-import-form>
                <ErrorSummary errors=summary />
                <FormAlert message=general />
                <div class=move || if file_error.with(Option::is_some) { "fr-upload-group fr-input-group--error fr-mb-3w" } else { "fr-upload-group fr-mb-3w" }>
                    <label class="fr-label" for="fichier">
                        "Fichier CSV"
                        <span class="fr-hint-text">{format!("Encodé en UTF-8 (avec ou sans BOM), {} Mo au plus ; séparateur virgule ou point-virgule.", IMPORT_MAX_BYTES / (1024 * 1024))}</span>
                    </label>
                    <input
                        class="fr-upload"
                        type="file"
                        id="fichier"
                        name="fichier"
                        accept=".csv,text/csv"
                        aria-describedby="fichier-messages"
                        aria-invalid=move || file_error.with(Option::is_some).then_some("true")
                    />
                    <div class="fr-messages-group" id="fichier-messages" aria-live="polite">
                        {move || file_error.get().map(|m| view! { <p class="fr-message fr-message--error">{m}</p> })}
                    </div>
                </div>
                <Field id="csv" label="Ou collez le contenu du fichier" hint="Copié depuis un tableur ou un éditeur de texte, ligne d'en-tête comprise." rows=8 value=pasted error=paste_error />
                <button class="fr-btn" type="submit">"Vérifier le fichier"</button>
            </form>
            <ImportFormatHelp year />
            <h2 class="fr-h4 fr-mt-6w">"Exports"</h2>
            <ul>
                <li><a class="fr-link" href="/admin/export/evenements.csv">"Tous les événements (CSV, au format de l'import)"</a></li>
                <li><a class="fr-link" href="/admin/export/tout.json">"Toutes les données (JSON : éditions, vocabulaires, labs, événements, comptes sans mots de passe)"</a></li>
            </ul>
        </div>
    }
}

/// The error of the upload form, when the page comes back with it (`__path` and `__err`).
fn upload_error() -> Option<AppError> {
    use leptos::server_fn::{error::ServerFnUrlError, ServerFn};
    use_query_map().with_untracked(|q| {
        (q.get("__path").as_deref() == Some(<ImportEvents as ServerFn>::PATH))
            .then(|| q.get("__err"))
            .flatten()
            .map(|err| ServerFnUrlError::<AppError>::decode_err(&err))
    })
}

/// A checked run: what it found, then its confirmation, or what the import did.
#[component]
fn ImportRunView(run: ImportRun) -> impl IntoView {
    let confirm = ServerAction::<ConfirmImport>::new();
    let report = run.report;
    let done = run.imported.is_some();
    let count = |n: usize, one: &str, many: &str| fr::count(n as i64, one, many);
    let source = if run.file_name.is_empty() {
        "Texte collé".to_string()
    } else {
        format!("Fichier « {} »", run.file_name)
    };
    let lines = count(report.rows.len(), "ligne", "lignes");
    let (class, text) = match &run.imported {
        Some((at, s)) => (
            "fr-alert fr-alert--success fr-mb-3w",
            format!(
                "Import fait le {at} : {} créé{}, {} mis à jour, {} inchangé{}.",
                count(s.created, "événement", "événements"),
                if s.created > 1 { "s" } else { "" },
                s.updated,
                s.unchanged,
                if s.unchanged > 1 { "s" } else { "" },
            ),
        ),
        None if report.invalid > 0 => (
            "fr-alert fr-alert--error fr-mb-3w",
            format!(
                "{} sur {} : rien ne peut être importé. Corrigez le fichier, puis envoyez-le de nouveau.",
                count(report.invalid, "ligne en erreur", "lignes en erreur"),
                report.rows.len(),
            ),
        ),
        None => (
            "fr-alert fr-alert--info fr-mb-3w",
            format!(
                "{lines} sans erreur : {} à créer, {} à mettre à jour, {} inchangée{}. Rien n'est encore importé.",
                report.to_create,
                report.to_update,
                report.unchanged,
                if report.unchanged > 1 { "s" } else { "" },
            ),
        ),
    };
    let to_write = report.to_create + report.to_update;
    let can_confirm = !done && report.invalid == 0 && to_write > 0;
    let button = format!(
        "Confirmer l'import de {} ({} créé{}, {} mis à jour)",
        count(to_write, "événement", "événements"),
        report.to_create,
        if report.to_create > 1 { "s" } else { "" },
        report.to_update,
    );
    let nothing_to_do = !done && report.invalid == 0 && to_write == 0;
    // With errors, the rows in error; otherwise every row and what it does.
    let shown: Vec<ImportRow> = if report.invalid > 0 {
        report
            .rows
            .iter()
            .filter(|r| !r.errors.is_empty())
            .cloned()
            .collect()
    } else {
        report.rows.clone()
    };
    let hidden = report.rows.len() - shown.len();
    let action_label = move |action: Option<RowAction>| match (action, done) {
        (Some(RowAction::Create), false) => "à créer",
        (Some(RowAction::Create), true) => "créé",
        (Some(RowAction::Update), false) => "à mettre à jour",
        (Some(RowAction::Update), true) => "mis à jour",
        (Some(RowAction::Unchanged), _) => "inchangé",
        (None, _) => "",
    };
    view! {
        <section class="fr-mb-4w" aria-labelledby="essai-titre" data-import-run=run.id>
            <h2 class="fr-h4" id="essai-titre">{if done { "Compte rendu de l'import" } else { "Vérification du fichier" }}</h2>
            <p class="fr-text--sm">{format!("{source}, vérifié le {} : {lines}.", run.checked_at)}</p>
            <div class=class role="status"><p data-import-summary>{text}</p></div>
            {if can_confirm {
                view! {
                    <PageForm action=confirm>
                        <input type="hidden" name="essai" value=run.id />
                        <button class="fr-btn" type="submit" data-import-confirm>{button}</button>
                    </PageForm>
                }
                .into_any()
            } else {
                // A confirmation refused (already imported…) still says why.
                view! { <FormAlert message=action_general_error(confirm.value()) /> }.into_any()
            }}
            {nothing_to_do.then(|| view! { <p>"Rien à importer : tous les événements du fichier sont déjà à jour."</p> })}
            <div class="fr-table fr-mt-3w">
                <table data-import-rows>
                    <caption>{if report.invalid > 0 { "Lignes en erreur, par colonne" } else { "Ce que fait chaque ligne" }}</caption>
                    <thead><tr><th scope="col">"Ligne"</th><th scope="col">"Identifiant"</th><th scope="col">"Titre"</th><th scope="col">{if report.invalid > 0 { "Erreurs par colonne" } else { "Résultat" }}</th></tr></thead>
                    <tbody>
                        {shown.into_iter().map(|r| view! {
                            <tr data-line=r.line>
                                <td>{r.line}</td>
                                <td>{r.key.clone()}</td>
                                <td>{r.title.clone()}</td>
                                <td>
                                    {if r.errors.is_empty() {
                                        view! { <span data-action=action_label(r.action)>{action_label(r.action)}</span> }.into_any()
                                    } else {
                                        view! { <ul>{r.errors.into_iter().map(|(c, m)| view! { <li data-column=c.clone()><strong>{c.clone()}</strong>" : "{m}</li> }).collect_view()}</ul> }.into_any()
                                    }}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(hidden > 0).then(|| view! { <p class="fr-text--sm">{format!("Les {} du fichier sont sans erreur.", count(hidden, "autre ligne", "autres lignes"))}</p> })}
        </section>
    }
}

/// What the file holds: its columns, the values each takes, the date formats, and an example
/// file that imports as is into the current edition.
#[component]
fn ImportFormatHelp(year: i32) -> impl IntoView {
    let columns: [(&str, &str); 15] = [
        ("identifiant", "La clé stable de la ligne, un texte de votre choix (par exemple « dreal-ara-2026-03 »). Importer de nouveau un fichier met à jour les événements créés par ses lignes au lieu de les créer une seconde fois ; l'export écrit cette clé (ou l'adresse de l'événement). Sans identifiant, une ligne met à jour l'événement de même édition, même titre et même début, s'il existe."),
        ("edition", "Obligatoire : l'année d'une édition existante, par exemple 2026."),
        ("statut", "publié (si vide), soumis, brouillon, annulé, refusé ou modifications demandées."),
        ("titre, resume, description", "Textes de l'événement (la description accepte le Markdown)."),
        ("themes", "De 1 à 3 thèmes de la liste, séparés par « | »."),
        ("format, public, type_structure", "Un libellé des vocabulaires (majuscules et accents indifférents)."),
        ("modalite", "présentiel, en ligne ou hybride."),
        ("structure, laboratoire", "La structure organisatrice ; un laboratoire de l'Atlas (nom), facultatif."),
        ("region, departement", "Code INSEE (84) ou nom de la région ; code du département."),
        ("commune, lieu, adresse, code_postal", "Le lieu d'un événement en présentiel ou hybride."),
        ("lien_en_ligne", "Le lien d'un événement en ligne ou hybride (https://…)."),
        ("debut, fin", "Voir les formats de date ci-dessous. Une date seule dans debut, fin vide : l'événement dure la journée."),
        ("hors_periode", "Vide pour un événement pendant le Mois. Sinon, la raison pour laquelle il a lieu avant ou après (le public la lit), par exemple « Forum annuel tenu chaque année début décembre » ; « oui » ne suffit pas, « non » vaut vide."),
        ("inscription, places, contact_nom, contact_email, accessibilite", "Lien d'inscription, nombre de places, contact et informations d'accessibilité, facultatifs."),
        ("organisateur_email", "L'adresse d'un compte existant, qui devient l'organisateur. Vide : vous, pour un événement créé ; l'organisateur actuel, pour un événement mis à jour."),
    ];
    view! {
        <h3 class="fr-h5 fr-mt-4w" id="format-titre">"Le fichier"</h3>
        <p>
            <a class="fr-link fr-icon-download-line fr-link--icon-left" href="/admin/import/exemple.csv" download="exemple-import.csv" data-import-example>
                {format!("Télécharger un fichier d'exemple (3 événements de l'édition {year})")}
            </a>
        </p>
        <p>"Une ligne d'en-tête qui nomme les colonnes (dans n'importe quel ordre ; seules edition, titre et debut sont indispensables), puis un événement par ligne. Colonnes :"</p>
        <div class="fr-table fr-table--no-caption">
            <table>
                <caption>"Colonnes du fichier d'import"</caption>
                <thead><tr><th scope="col">"Colonne"</th><th scope="col">"Valeur attendue"</th></tr></thead>
                <tbody>
                    {columns.into_iter().map(|(c, v)| view! { <tr><td><code>{c}</code></td><td>{v}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="fr-text--sm">"Dans une édition d'archive (reprise de l'historique), le résumé, le public, la structure, l'adresse, le lien et les heures peuvent rester vides : ils sont affichés « non renseigné », jamais inventés."</p>
        <h4 class="fr-h6" id="formats-dates">"Formats de date (debut, fin)"</h4>
        <p>"À l'heure du lieu de l'événement (Guadeloupe, La Réunion… à leur heure locale) :"</p>
        <ul data-date-formats>
            <li><code>"2026-11-10 14:00"</code>" ou "<code>"2026-11-10T14:00"</code>" (ISO 8601 sans décalage) ;"</li>
            <li><code>"10/11/2026 14:00"</code>" (JJ/MM/AAAA HH:MM) ;"</li>
            <li><code>"2026-11-10T14:00:00+01:00"</code>" (ISO 8601 avec décalage horaire, ou "<code>"Z"</code>" pour l'heure universelle) : l'instant est converti à l'heure du lieu ;"</li>
            <li><code>"2026-11-10"</code>" ou "<code>"10/11/2026"</code>" (une date seule) : un événement sur la journée entière."</li>
        </ul>
    }
}
