//! How the edition catalogue reaches the browser: apart from the page, as one cacheable file.
//!
//! The programme page is rendered on the server from the catalogue, but its HTML carries only
//! a reference to it (`{year, version}`): the catalogue itself is served by
//! `/api/v1/editions/{year}/catalogue.json?v={version}`, a URL that names one version of the
//! data and is therefore cached for good by the browser (and kept by an offline copy). The
//! page stays the size of its first cards whatever the size of the edition (17 MB of HTML at
//! 35,000 events before), and a second page of the programme, or a visit the next day with
//! unchanged data, does not download the catalogue again.
//!
//! In the browser, the entry point loads the catalogues the page names
//! ([`prefetch_named_in_page`]) before it hydrates the islands, so that the programme's island
//! finds its catalogue at once when its props are read ([`SharedCatalog`]'s `Deserialize`) and
//! hydrates the very DOM the server wrote. (Every page is loaded from the server: the browser
//! never runs the page's resource, whose browser side [`load`] only keeps the code
//! compiling for both targets.)
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::catalog::Catalog;
#[cfg(not(feature = "ssr"))]
use crate::error::AppError;

/// The attribute of the element that names the page's catalogue (its URL).
pub const PAGE_ATTRIBUTE: &str = "data-mip-catalogue";

/// The catalogue of one edition at one data version, shared (never copied) by the pages that
/// show it. Serialized as a reference only; see the module's documentation.
#[derive(Clone, Debug)]
pub struct SharedCatalog(pub Arc<Catalog>);

/// What a page's serialized data says of its catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogRef {
    pub year: i32,
    pub version: i64,
}

impl SharedCatalog {
    pub fn reference(&self) -> CatalogRef {
        CatalogRef {
            year: self.0.year,
            version: self.0.version,
        }
    }
}

/// The catalogue's URL: of one version, or (without one) of the current data.
pub fn url(year: i32, version: Option<i64>) -> String {
    match version {
        Some(version) => format!("/api/v1/editions/{year}/catalogue.json?v={version}"),
        None => format!("/api/v1/editions/{year}/catalogue.json"),
    }
}

impl Serialize for SharedCatalog {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.reference().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for SharedCatalog {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wanted = CatalogRef::deserialize(deserializer)?;
        store::get(wanted).map(SharedCatalog).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "the catalogue {} v{} was not loaded",
                wanted.year, wanted.version
            ))
        })
    }
}

/// The catalogues this browser tab has loaded (one per edition, the last version loaded).
/// Empty on the server, which never deserializes a `SharedCatalog`.
pub mod store {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::sync::Arc;

    use super::{Catalog, CatalogRef};

    thread_local! {
        static LOADED: RefCell<HashMap<i32, Arc<Catalog>>> = RefCell::new(HashMap::new());
    }

    pub fn get(wanted: CatalogRef) -> Option<Arc<Catalog>> {
        LOADED.with(|loaded| {
            loaded
                .borrow()
                .get(&wanted.year)
                .filter(|c| c.version == wanted.version)
                .cloned()
        })
    }

    pub fn put(catalog: Arc<Catalog>) {
        LOADED.with(|loaded| {
            loaded.borrow_mut().insert(catalog.year, catalog);
        });
    }
}

/// The catalogue of an edition (the current one when `year` is `None`) for the programme page.
#[cfg(feature = "ssr")]
pub async fn load(year: Option<i32>) -> Result<SharedCatalog, crate::error::AppError> {
    // The page's HTTP status follows (404 for an edition that does not exist).
    crate::server_fn::public(crate::server_fn::Reply::Data, async |state| {
        let year = match year {
            Some(year) => year,
            None => crate::editions::db::current_year(&state.pool).await?,
        };
        Ok(SharedCatalog(state.catalogs.get(&state.pool, year).await?))
    })
    .await
}

/// The catalogue of an edition (the current one when `year` is `None`) for the programme page:
/// fetched from its cacheable URL (revalidated by the browser's HTTP cache).
#[cfg(not(feature = "ssr"))]
pub async fn load(year: Option<i32>) -> Result<SharedCatalog, AppError> {
    let address = match year {
        Some(year) => url(year, None),
        None => "/api/v1/catalogue.json".to_string(),
    };
    fetch(&address).await.map(SharedCatalog)
}

/// [`load`] as a page resource's fetcher, which must be `Send`: in the browser (one thread)
/// the fetch's JavaScript values are wrapped.
pub fn load_for_resource(
    year: Option<i32>,
) -> impl std::future::Future<Output = Result<SharedCatalog, crate::error::AppError>> + Send + 'static
{
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        send_wrapper::SendWrapper::new(load(year))
    }
    #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
    {
        load(year)
    }
}

/// Loads the catalogues the page's HTML names (the `data-mip-catalogue` attributes), before
/// the page is hydrated. A catalogue that cannot be loaded is left out: its page then shows
/// its error instead of hydrating a programme it cannot filter.
#[cfg(feature = "hydrate")]
pub async fn prefetch_named_in_page() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(named) = document.query_selector_all(&format!("[{PAGE_ATTRIBUTE}]")) else {
        return;
    };
    let mut addresses = Vec::new();
    for i in 0..named.length() {
        let address = named
            .item(i)
            .and_then(|node| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node).ok())
            .and_then(|element| element.get_attribute(PAGE_ATTRIBUTE));
        if let Some(address) = address {
            if !addresses.contains(&address) {
                addresses.push(address);
            }
        }
    }
    for address in addresses {
        match fetch(&address).await {
            Err(error) => leptos::logging::warn!("catalogue {address}: {error}"),
            // The data changed between this page and its catalogue: the server only has the
            // newer version, which this page's HTML was not rendered from. The page is loaded
            // again (once: a flag in this tab's session) and names the version the data has now.
            Ok(catalog) if named_version(&address).is_some_and(|v| v != catalog.version) => {
                reload_once(&address);
                return;
            }
            Ok(_) => {}
        }
    }
}

/// The `v` of a catalogue's address, if it names one.
#[cfg(feature = "hydrate")]
fn named_version(address: &str) -> Option<i64> {
    let query = address.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "v")
        .and_then(|(_, value)| value.parse().ok())
}

#[cfg(feature = "hydrate")]
fn reload_once(address: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let key = format!("mip.rechargee.{address}");
    if let Ok(Some(storage)) = window.session_storage() {
        if storage.get_item(&key).ok().flatten().is_some() {
            return;
        }
        let _ = storage.set_item(&key, "1");
    }
    let _ = window.location().reload();
}

/// Parses a catalogue. Lazy: its code (the catalogue's deserialization) is split out of the
/// main wasm with the programme's, and fetched only by a page that names a catalogue.
#[cfg(feature = "hydrate")]
#[leptos::prelude::lazy]
fn parse(text: String) -> Option<Catalog> {
    serde_json::from_str(&text).ok()
}

/// Fetches, parses and keeps a catalogue.
#[cfg(not(feature = "ssr"))]
async fn fetch(address: &str) -> Result<Arc<Catalog>, AppError> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        let window = web_sys::window().ok_or(AppError::Network)?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str(address))
            .await
            .map_err(|_| AppError::Network)?
            .dyn_into()
            .map_err(|_| AppError::Network)?;
        if !response.ok() {
            return Err(if response.status() == 404 {
                AppError::NotFound("Cette édition n'existe pas.".into())
            } else {
                AppError::Network
            });
        }
        let text = JsFuture::from(response.text().map_err(|_| AppError::Network)?)
            .await
            .map_err(|_| AppError::Network)?
            .as_string()
            .ok_or(AppError::Network)?;
        let catalog = parse(text).await.ok_or(AppError::Internal)?;
        let catalog = Arc::new(catalog);
        store::put(catalog.clone());
        Ok(catalog)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = address;
        Err(AppError::Network)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(year: i32, version: i64) -> Catalog {
        Catalog {
            year,
            starts_on: chrono::NaiveDate::from_ymd_opt(year, 11, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(year, 11, 30).unwrap(),
            version,
            themes: Vec::new(),
            formats: Vec::new(),
            audiences: Vec::new(),
            organizer_types: Vec::new(),
            regions: Vec::new(),
            events: Vec::new(),
        }
    }

    #[test]
    fn a_page_carries_a_reference_not_the_catalogue() {
        let shared = SharedCatalog(Arc::new(catalog(2026, 42)));
        let json = serde_json::to_string(&shared).unwrap();
        assert_eq!(json, r#"{"year":2026,"version":42}"#);
        assert_eq!(
            url(2026, Some(42)),
            "/api/v1/editions/2026/catalogue.json?v=42"
        );
    }

    #[test]
    fn the_reference_reads_back_only_the_version_loaded() {
        let json = r#"{"year":2031,"version":7}"#;
        // Nothing loaded: the page cannot be hydrated from it.
        assert!(serde_json::from_str::<SharedCatalog>(json).is_err());
        store::put(Arc::new(catalog(2031, 6)));
        assert!(
            serde_json::from_str::<SharedCatalog>(json).is_err(),
            "another version"
        );
        store::put(Arc::new(catalog(2031, 7)));
        let back = serde_json::from_str::<SharedCatalog>(json).unwrap();
        assert_eq!(
            back.reference(),
            CatalogRef {
                year: 2031,
                version: 7
            }
        );
    }
}
