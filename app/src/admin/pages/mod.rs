//! Admin pages: `/admin` (editions), `/admin/vocabulaires`, `/admin/comptes`,
//! `/admin/import` (and the exports). Plain forms posted to server functions.
//! The import page is `import.rs`.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use super::model::{AccountLine, AdminHome, VocabularyEntry, VOCABULARIES};
use super::server::{
    admin_accounts, admin_lab_options, admin_overview, admin_vocabulary, ChangeVocabulary,
    FreezeReport, SaveEdition, SaveLab, UpdateAccount,
};
use crate::forms::{action_field_error, kept_checked, kept_value, Field, PageForm, SelectField};
use crate::fr;
use crate::pages::ErrorNotice;

mod import;

pub use import::ImportPage;

/// The hidden field that sends back the version a form was rendered with.
fn version_field(version: Option<i64>) -> impl IntoView {
    version.map(|v| view! { <input type="hidden" name="version" value=v /> })
}

#[component]
pub(crate) fn AdminNav(current: &'static str) -> impl IntoView {
    let links = [
        ("/admin", "Éditions"),
        ("/admin/vocabulaires", "Vocabulaires"),
        ("/admin/comptes", "Comptes"),
        ("/admin/import", "Import et exports"),
        ("/admin/labs", "Labs"),
        ("/admin/courriels", "Courriels"),
        ("/moderation", "Modération"),
    ];
    view! {
        <nav class="fr-mb-4w" aria-label="Administration">
            <ul class="fr-tags-group">
                {links.into_iter().map(|(href, label)| view! {
                    <li>
                        <a class="fr-tag" href=href aria-current=(href == current).then_some("page")>{label}</a>
                    </li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

fn done_notice(done: Option<String>) -> impl IntoView {
    done.map(|d| {
        let text = if d.starts_with("edition-") {
            format!("Édition {} enregistrée.", d.trim_start_matches("edition-"))
        } else if d.starts_with("bilan-") {
            format!("Bilan {} mis à jour.", d.trim_start_matches("bilan-"))
        } else {
            match d.as_str() {
                "ajoutee" => "Valeur ajoutée.".to_string(),
                "renommee" => "Valeur renommée.".to_string(),
                "deplacee" => "Ordre modifié.".to_string(),
                "retiree" => "Valeur retirée : elle reste sur les événements qui l'utilisent, elle n'est plus proposée.".to_string(),
                "supprimee" => "Valeur supprimée (aucun événement ne l'utilisait).".to_string(),
                "retablie" => "Valeur de nouveau proposée.".to_string(),
                "compte" => "Compte mis à jour.".to_string(),
                _ => "Enregistré.".to_string(),
            }
        };
        view! {
            <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status"><p>{text}</p></div>
        }
    })
}

#[component]
pub fn EditionsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_overview());
    let query = use_query_map();
    view! {
        <Title text="Administration : éditions" />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(home) => {
                        let edit = query.with_untracked(|q| q.get("annee"));
                        let done = query.with_untracked(|q| q.get("fait"));
                        view! { <EditionsView home edit done /> }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditionsView(home: AdminHome, edit: Option<String>, done: Option<String>) -> impl IntoView {
    let action = ServerAction::<SaveEdition>::new();
    let value = action.value();
    let freeze = ServerAction::<FreezeReport>::new();
    let editing = edit.and_then(|y| {
        home.editions
            .iter()
            .find(|e| e.year.to_string() == y)
            .cloned()
    });
    let text = |v: Option<String>| RwSignal::new(v.unwrap_or_default());
    let e = editing.as_ref();
    let year = text(e.map(|e| e.year.to_string()));
    let ordinal = text(
        e.map(|e| e.ordinal.to_string())
            .or_else(|| home.editions.first().map(|l| (l.ordinal + 1).to_string())),
    );
    let theme = text(e.and_then(|e| e.theme_of_year.clone()).and_then(|label| {
        home.themes
            .iter()
            .find(|t| t.label == label)
            .map(|t| t.id.to_string())
    }));
    // A theme of the year that is none of the vocabulary's was written as free text.
    let theme_text = text(
        e.and_then(|e| e.theme_of_year.clone())
            .filter(|label| !home.themes.iter().any(|t| t.label == *label)),
    );
    let archive = e.map(|e| e.archive).unwrap_or(false);
    let tagline = text(e.map(|e| e.tagline.clone()));
    let starts = text(e.map(|e| e.starts_on.to_string()));
    let ends = text(e.map(|e| e.ends_on.to_string()));
    let opens = text(e.map(|e| e.referencing_opens_on.to_string()));
    let closes = text(e.map(|e| e.referencing_closes_on.to_string()));
    // A new edition (often a past one brought in from the archives) is not the site's
    // current one unless the administrator says so.
    let current = e.map(|e| e.is_current).unwrap_or(false);
    // The edited edition's version; a new edition's form has none (409 if its year exists).
    let version = e.and_then(|e| home.version_of(e.year));
    // An edition's year is its key: an edited edition keeps it (a new year is a new edition).
    // Built inside the form (a closure), where its field is one of the form's.
    let edited = e.is_some();
    let year_field = move || {
        if edited {
            view! {
            <div class="fr-input-group">
                <label class="fr-label" for="year">"Année"<span class="fr-hint-text">"L'année d'une édition ne change pas : pour une autre année, ouvrez une nouvelle édition."</span></label>
                <input class="fr-input" id="year" name="year" type="text" readonly=true value=year.get_untracked() />
            </div>
        }
        .into_any()
        } else {
            view! { <Field id="year" label="Année" value=year required=true error=action_field_error(value, "year") /> }.into_any()
        }
    };
    let themes: Vec<(String, String)> = home
        .themes
        .iter()
        .map(|t| (t.id.to_string(), t.label.clone()))
        .collect();
    let heading = match &editing {
        Some(e) => format!("Modifier l'édition {}", e.year),
        None => "Ouvrir une nouvelle édition".to_string(),
    };
    view! {
        <div class="fr-container fr-py-6w">
            <h1>"Administration"</h1>
            <AdminNav current="/admin" />
            {done_notice(done)}
            <h2 class="fr-h4">"Éditions"</h2>
            <div class="fr-table">
                <table>
                    <caption class="fr-sr-only">"Éditions"</caption>
                    <thead><tr><th scope="col">"Année"</th><th scope="col">"Édition"</th><th scope="col">"Dates"</th><th scope="col">"Référencement"</th><th scope="col">"Thème de l'année"</th><th scope="col">"Bilan"</th><th scope="col">"Action"</th></tr></thead>
                    <tbody>
                        {home.editions.iter().map(|e| view! {
                            <tr data-edition=e.year>
                                <td>{e.year}{e.is_current.then(|| view! { " " <span class="fr-badge fr-badge--sm fr-badge--success">"en cours"</span> })}{e.archive.then(|| view! { " " <span class="fr-badge fr-badge--sm">"archive"</span> })}</td>
                                <td>{e.ordinal_label()}</td>
                                <td>{fr::date_range(e.starts_on, e.ends_on)}</td>
                                <td>{fr::date_range(e.referencing_opens_on, e.referencing_closes_on)}</td>
                                <td>{e.theme_of_year.clone().unwrap_or_default()}</td>
                                <td>{report_freeze(freeze, e.year, home.frozen_reports.iter().find(|(y, _)| *y == e.year).map(|(_, at)| at.clone()))}</td>
                                <td><a class="fr-link" href=format!("/admin?annee={}", e.year)>"Modifier"<span class="fr-sr-only">{format!(" l'édition {}", e.year)}</span></a></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h2 class="fr-h4 fr-mt-4w" id="edition-form-titre">{heading}</h2>
            <PageForm action=action attr:novalidate=true attr:aria-labelledby="edition-form-titre">
                {version_field(version)}
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-6 fr-col-md-3">{year_field()}</div>
                    <div class="fr-col-6 fr-col-md-3"><Field id="ordinal" label="Numéro d'édition" value=ordinal required=true error=action_field_error(value, "ordinal") /></div>
                    <div class="fr-col-12 fr-col-md-6"><SelectField id="theme_of_year" label="Thème de l'année" options=themes value=theme placeholder="Aucun" error=action_field_error(value, "theme_of_year") /></div>
                    <div class="fr-col-12"><Field id="theme_of_year_text" label="Ou thème de l'année en texte libre" hint="Pour une édition passée dont le thème n'est pas dans la liste : écrivez-le tel qu'il était." value=theme_text error=action_field_error(value, "theme_of_year_text") /></div>
                    <div class="fr-col-12"><Field id="tagline" label="Accroche" value=tagline error=action_field_error(value, "tagline") /></div>
                    <div class="fr-col-6 fr-col-md-3"><Field id="starts_on" label="Premier jour du Mois" kind="date" value=starts required=true error=action_field_error(value, "starts_on") /></div>
                    <div class="fr-col-6 fr-col-md-3"><Field id="ends_on" label="Dernier jour du Mois" kind="date" value=ends required=true error=action_field_error(value, "ends_on") /></div>
                    <div class="fr-col-6 fr-col-md-3"><Field id="referencing_opens_on" label="Ouverture du référencement" kind="date" value=opens required=true error=action_field_error(value, "referencing_opens_on") /></div>
                    <div class="fr-col-6 fr-col-md-3"><Field id="referencing_closes_on" label="Clôture du référencement" kind="date" value=closes required=true error=action_field_error(value, "referencing_closes_on") /></div>
                </div>
                <div class="fr-checkbox-group fr-mb-3w">
                    <input type="checkbox" id="is_current" name="is_current" value="oui" checked=kept_checked("is_current", "oui").unwrap_or(current) />
                    <label class="fr-label" for="is_current">"Édition en cours du site (une seule à la fois)"</label>
                </div>
                <div class="fr-checkbox-group fr-mb-3w">
                    <input type="checkbox" id="archive" name="archive" value="oui" checked=kept_checked("archive", "oui").unwrap_or(archive) aria-describedby="archive-hint" />
                    <label class="fr-label" for="archive">
                        "Édition d'archive"
                        <span class="fr-hint-text" id="archive-hint">"Édition passée reprise de l'historique : le résumé, le public, la structure, l'adresse, le lien et les horaires de ses événements peuvent rester vides. Ils sont affichés « non renseigné » et comptés à part dans le bilan."</span>
                    </label>
                </div>
                <button class="fr-btn" type="submit">"Enregistrer l'édition"</button>
            </PageForm>
        </div>
    }
}

/// The report's state in the editions table, and the form that freezes it (« Figer »,
/// « Recalculer ») or lets it follow the data again.
fn report_freeze(
    action: ServerAction<FreezeReport>,
    year: i32,
    frozen_at: Option<String>,
) -> impl IntoView {
    let state = match &frozen_at {
        Some(at) => format!("Figé le {}", at.get(..10).unwrap_or(at)),
        None => "Calculé sur les données".to_string(),
    };
    let buttons = if frozen_at.is_some() {
        view! {
            <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit" name="action" value="figer">"Recalculer"<span class="fr-sr-only">{format!(" le bilan {year}")}</span></button>
            " "
            <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit" name="action" value="suivre">"Ne plus figer"<span class="fr-sr-only">{format!(" le bilan {year}")}</span></button>
        }
        .into_any()
    } else {
        view! {
            <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit" name="action" value="figer">"Figer"<span class="fr-sr-only">{format!(" le bilan {year}")}</span></button>
        }
        .into_any()
    };
    view! {
        <p class="fr-text--sm fr-mb-1w" data-report-state=year>{state}</p>
        <PageForm action=action key=year.to_string()>
            <input type="hidden" name="year" value=year />
            {buttons}
        </PageForm>
    }
}

#[component]
pub fn VocabulariesPage() -> impl IntoView {
    let query = use_query_map();
    let kind = move || {
        query
            .with(|q| q.get("v"))
            .filter(|k| VOCABULARIES.iter().any(|(v, _)| v == k))
            .unwrap_or_else(|| "themes".into())
    };
    let data = Resource::new(kind, admin_vocabulary);
    view! {
        <Title text="Administration : vocabulaires" />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let kind = kind();
                let done = query.with_untracked(|q| q.get("fait"));
                match data.await {
                    Ok(entries) => view! { <VocabularyView kind entries done /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn VocabularyView(
    kind: String,
    entries: Vec<VocabularyEntry>,
    done: Option<String>,
) -> impl IntoView {
    let change = ServerAction::<ChangeVocabulary>::new();
    let value = change.value();
    let title = VOCABULARIES
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, t)| *t)
        .unwrap_or("");
    let k = StoredValue::new(kind.clone());
    let button = move |id: i64, version: i64, action: &'static str, label: String| {
        view! {
            <PageForm action=change key=format!("{action}-{id}") attr:class="mip-inline-form">
                <input type="hidden" name="kind" value=k.get_value() />
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="version" value=version />
                <input type="hidden" name="action" value=action />
                <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">{label}</button>
            </PageForm>
        }
    };
    view! {
        <div class="fr-container fr-py-6w">
            <h1>"Administration"</h1>
            <AdminNav current="/admin/vocabulaires" />
            <ul class="fr-tags-group fr-mb-2w">
                {VOCABULARIES.iter().map(|(v, label)| view! {
                    <li><a class="fr-tag fr-tag--sm" href=format!("/admin/vocabulaires?v={v}") aria-current=(*v == kind).then_some("page")>{*label}</a></li>
                }).collect_view()}
            </ul>
            {done_notice(done)}
            <h2 class="fr-h4" id="vocab-titre">{title}</h2>
            <div class="fr-table">
                <table>
                    <caption class="fr-sr-only">{title}</caption>
                    <thead><tr><th scope="col">"Libellé"</th><th scope="col">"Utilisations"</th><th scope="col">"Actions"</th></tr></thead>
                    <tbody>
                        {entries.into_iter().map(|e| {
                            let id = e.item.id;
                            let version = e.version;
                            let label = e.item.label.clone();
                            view! {
                                <tr data-value=e.item.slug.clone()>
                                    <td>
                                        {label.clone()}
                                        {e.retired.then(|| view! { " " <span class="fr-badge fr-badge--sm">"retiré"</span> })}
                                    </td>
                                    <td>{e.uses}</td>
                                    <td class="mip-vocab-actions">
                                        {button(id, version, "monter", "Monter".into())}
                                        {button(id, version, "descendre", "Descendre".into())}
                                        {if e.retired { button(id, version, "retablir", "Rétablir".into()) } else { button(id, version, "retirer", if e.uses > 0 { "Retirer".into() } else { "Supprimer".into() }) }}
                                        <PageForm action=change key=format!("renommer-{id}") attr:class="mip-inline-form">
                                            <input type="hidden" name="kind" value=k.get_value() />
                                            <input type="hidden" name="id" value=id />
                                            <input type="hidden" name="version" value=version />
                                            <input type="hidden" name="action" value="renommer" />
                                            <label class="fr-sr-only" for=format!("renommer-{id}")>{format!("Nouveau libellé pour « {label} »")}</label>
                                            <input class="fr-input fr-input--sm mip-rename" id=format!("renommer-{id}") name="libelle" value=kept_value("libelle").unwrap_or(label.clone()) />
                                            <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">"Renommer"</button>
                                        </PageForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <PageForm action=change key="ajouter" attr:aria-label="Ajouter une valeur">
                <input type="hidden" name="kind" value=k.get_value() />
                <input type="hidden" name="action" value="ajouter" />
                <Field id="libelle" label="Nouvelle valeur" error=action_field_error(value, "libelle") />
                <button class="fr-btn" type="submit">"Ajouter"</button>
            </PageForm>
        </div>
    }
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|q| q.get("q")).unwrap_or_default();
    let data = Resource::new(q, admin_accounts);
    view! {
        <Title text="Administration : comptes" />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let q = q();
                let done = query.with_untracked(|q| q.get("fait"));
                match data.await {
                    Ok(accounts) => view! { <AccountsView q accounts done /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountsView(q: String, accounts: Vec<AccountLine>, done: Option<String>) -> impl IntoView {
    let update = ServerAction::<UpdateAccount>::new();
    view! {
        <div class="fr-container fr-py-6w">
            <h1>"Administration"</h1>
            <AdminNav current="/admin/comptes" />
            {done_notice(done)}
            <form method="get" action="/admin/comptes" class="mip-queue-filters fr-mb-3w" aria-label="Rechercher un compte">
                <div class="fr-input-group">
                    <label class="fr-label" for="q">"Adresse, nom ou structure"</label>
                    <input class="fr-input" id="q" name="q" type="search" value=q />
                </div>
                <button class="fr-btn fr-btn--secondary" type="submit">"Rechercher"</button>
            </form>
            <div class="fr-table">
                <table>
                    <caption class="fr-sr-only">"Comptes"</caption>
                    <thead><tr><th scope="col">"Compte"</th><th scope="col">"Structure"</th><th scope="col">"Événements"</th><th scope="col">"Rôle et accès"</th></tr></thead>
                    <tbody>
                        {accounts.into_iter().map(|a| {
                            let role_id = format!("role-{}", a.id);
                            let disabled_id = format!("desactive-{}", a.id);
                            view! {
                                <tr data-account=a.email.clone()>
                                    <td>{a.name.clone()}<br /><span class="fr-text--xs">{a.email.clone()}</span>
                                        {(!a.confirmed).then(|| view! { " " <span class="fr-badge fr-badge--sm">"non confirmé"</span> })}
                                    </td>
                                    <td>{a.structure.clone()}</td>
                                    <td>{a.events}</td>
                                    <td>
                                        <PageForm action=update key=a.id.to_string() attr:class="mip-inline-form">
                                            <input type="hidden" name="id" value=a.id />
                                            <input type="hidden" name="version" value=a.version />
                                            <label class="fr-sr-only" for=role_id.clone()>{format!("Rôle de {}", a.name)}</label>
                                            <select class="fr-select fr-select--sm" id=role_id name="role">
                                                {[("organizer", "Organisateur"), ("moderator", "Modérateur"), ("admin", "Administrateur")].into_iter().map(|(v, l)| view! {
                                                    <option value=v selected=kept_value("role").map_or(a.role.as_str() == v, |kept| kept == v)>{l}</option>
                                                }).collect_view()}
                                            </select>
                                            <div class="fr-checkbox-group fr-checkbox-group--sm">
                                                <input type="checkbox" id=disabled_id.clone() name="disabled" value="oui" checked=kept_checked("disabled", "oui").unwrap_or(a.disabled) />
                                                <label class="fr-label" for=disabled_id>"Désactivé"</label>
                                            </div>
                                            <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">"Enregistrer"<span class="fr-sr-only">{format!(" le compte de {}", a.name)}</span></button>
                                        </PageForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}

#[component]
pub fn LabsAdminPage() -> impl IntoView {
    let query = use_query_map();
    let slug = move || query.with(|q| q.get("lab")).unwrap_or_default();
    let data = Resource::new(slug, |slug| async move {
        // The options (with the lab's version) first, then the lab's values: the form may
        // carry an older version than its values (a needless conflict), never a newer one.
        let options = admin_lab_options((!slug.is_empty()).then(|| slug.clone())).await?;
        let lab = if slug.is_empty() {
            None
        } else {
            Some(crate::labs::server::get_lab(slug).await?.lab)
        };
        Ok::<_, crate::error::AppError>((options, lab))
    });
    view! {
        <Title text="Administration : labs" />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((options, lab)) => view! { <LabsAdminView options lab /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LabsAdminView(
    options: super::model::LabOptions,
    lab: Option<crate::labs::LabCard>,
) -> impl IntoView {
    let save = ServerAction::<SaveLab>::new();
    let value = save.value();
    let l = lab.as_ref();
    let text = |v: Option<String>| RwSignal::new(v.unwrap_or_default());
    let name = text(l.map(|l| l.name.clone()));
    let host = text(l.map(|l| l.host.clone()));
    let lab_type = text(l.and_then(|l| {
        options
            .lab_types
            .iter()
            .find(|t| t.label == l.lab_type)
            .map(|t| t.id.to_string())
    }));
    let region = text(l.map(|l| l.region_code.clone()));
    let city = text(l.map(|l| l.city.clone()));
    let latitude = text(l.and_then(|l| l.latitude).map(|v| v.to_string()));
    let longitude = text(l.and_then(|l| l.longitude).map(|v| v.to_string()));
    let website = text(l.and_then(|l| l.website.clone()));
    let description = text(l.map(|l| l.description.clone()));
    let created = text(l.and_then(|l| l.created_year).map(|v| v.to_string()));
    let types: Vec<(String, String)> = options
        .lab_types
        .iter()
        .map(|t| (t.id.to_string(), t.label.clone()))
        .collect();
    let heading = match &lab {
        Some(l) => format!("Modifier « {} »", l.name),
        None => "Ajouter un laboratoire".to_string(),
    };
    let slug = lab.as_ref().map(|l| l.slug.clone()).unwrap_or_default();
    let version = lab.as_ref().and(options.version);
    view! {
        <div class="fr-container fr-py-6w">
            <h1>"Administration"</h1>
            <AdminNav current="/admin/labs" />
            <h2 class="fr-h4" id="lab-form-titre">{heading}</h2>
            <PageForm action=save attr:novalidate=true attr:aria-labelledby="lab-form-titre">
                <input type="hidden" name="slug" value=slug />
                {version_field(version)}
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-12 fr-col-md-6"><Field id="name" label="Nom" value=name required=true error=action_field_error(value, "name") /></div>
                    <div class="fr-col-12 fr-col-md-6"><Field id="host_structure" label="Structure porteuse" value=host required=true error=action_field_error(value, "host_structure") /></div>
                    <div class="fr-col-12 fr-col-md-6"><SelectField id="lab_type" label="Type" options=types value=lab_type required=true error=action_field_error(value, "lab_type") /></div>
                    <div class="fr-col-12 fr-col-md-6"><SelectField id="region" label="Région" options=options.regions.clone() value=region required=true error=action_field_error(value, "region") /></div>
                    <div class="fr-col-12 fr-col-md-4"><Field id="city" label="Commune" value=city error=action_field_error(value, "city") /></div>
                    <div class="fr-col-6 fr-col-md-4"><Field id="latitude" label="Latitude" hint="Degrés décimaux, ex. 45.76" value=latitude error=action_field_error(value, "latitude") /></div>
                    <div class="fr-col-6 fr-col-md-4"><Field id="longitude" label="Longitude" hint="Degrés décimaux, ex. 4.83" value=longitude error=action_field_error(value, "longitude") /></div>
                    <div class="fr-col-12 fr-col-md-8"><Field id="website" label="Site web" kind="url" value=website error=action_field_error(value, "website") /></div>
                    <div class="fr-col-12 fr-col-md-4"><Field id="created_year" label="Année de création" value=created error=action_field_error(value, "created_year") /></div>
                    <div class="fr-col-12"><Field id="description" label="Description" rows=4 value=description error=action_field_error(value, "description") /></div>
                </div>
                <button class="fr-btn" type="submit">"Enregistrer le laboratoire"</button>
            </PageForm>
            <h2 class="fr-h4 fr-mt-6w">"Tous les laboratoires"</h2>
            <p><a class="fr-link" href="/admin/labs">"Ajouter un laboratoire"</a></p>
            <ul class="mip-admin-labs">
                {options.labs.into_iter().map(|(slug, name)| view! {
                    <li><a class="fr-link" href=format!("/admin/labs?lab={slug}")>{name}</a></li>
                }).collect_view()}
            </ul>
        </div>
    }
}
