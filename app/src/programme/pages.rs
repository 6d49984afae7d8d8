//! `/programme`: the live-filtered programme (list, calendar, map). The server renders the
//! page for the URL's filters; once hydrated, the browser filters the same catalogue itself
//! on every click and keystroke, and keeps the URL in step.
//!
//! The page's markup is written by `render` (HTML strings) on both sides; the browser's side
//! of the island is `client`.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use super::shared;
use crate::pages::ErrorNotice;

#[component]
pub fn ProgrammePage() -> impl IntoView {
    // `/programme` is the current edition; `/editions/{annee}` an archived one, same page.
    let params = leptos_router::hooks::use_params_map();
    let year = move || {
        params
            .read()
            .get("annee")
            .and_then(|y| y.parse::<i32>().ok())
    };
    // The page's data is a reference to the catalogue, which the browser fetches apart (see
    // `shared`): the HTML stays the size of its first cards.
    let catalog = Resource::new(year, shared::load_for_resource);
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <div class="fr-container fr-py-6w">"Chargement du programme…"</div> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(catalog) => {
                        let base = if year().is_some() { format!("/editions/{}", catalog.0.year) } else { "/programme".to_string() };
                        let search = location.search.get_untracked();
                        view! {
                            <Title text=format!("Programme {}", catalog.0.year) />
                            <Programme catalog base search />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The programme's filters and results: the island the browser hydrates, and which filters
/// the catalogue itself from then on (`client`). `catalog` travels as a reference (the
/// browser has loaded the catalogue before hydrating, see `shared`), `search` is the URL's
/// query the server rendered.
#[island(lazy)]
fn Programme(catalog: shared::SharedCatalog, base: String, search: String) -> impl IntoView {
    let catalog = catalog.0;
    let catalogue_url = shared::url(catalog.year, Some(catalog.version));
    // The server writes the page for the URL's filters; the browser keeps the server's DOM
    // (Leptos does not write an `inner_html` again when it hydrates) and takes it over.
    #[cfg(feature = "ssr")]
    let html = {
        use super::engine;
        use super::filters::Filters;
        use super::render;
        use super::server::{now_unix, today};
        let filters = Filters::from_query(&search);
        // The server folds the events' text only when the URL has a free text.
        let haystacks = if engine::needs_haystacks(&filters) {
            catalog.haystacks()
        } else {
            Vec::new()
        };
        let outcome = engine::run(&catalog, &haystacks, &filters, now_unix());
        render::page_html(&render::Screen {
            catalog: &catalog,
            base: &base,
            filters: &filters,
            outcome: &outcome,
            today: today(),
            shown: render::PAGE_SIZE,
            saved: None,
        })
    };
    #[cfg(not(feature = "ssr"))]
    let html = {
        let _ = &search;
        String::new()
    };
    // In the browser the island is no Leptos view: the server's element is taken over as it
    // is by `client` (started at once, not in an effect: the page answers clicks as soon as
    // the island is hydrated, `window.__mipHydrated`). Hydrating even this one element would
    // bring Leptos' generic element and attribute code into the programme's wasm (measured:
    // 4.4 kB brotli). The browser's view is `()`, which hydrates the empty marker (`<!>`) the
    // server writes before the element.
    #[cfg(feature = "hydrate")]
    {
        let _ = (html, catalogue_url);
        super::client::start(catalog, base);
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = &base;
        (
            (),
            view! {
                <div id=super::contract::id::ROOT class="fr-container fr-pt-4w fr-pb-6w" data-mip-catalogue=catalogue_url inner_html=html></div>
            },
        )
    }
}
