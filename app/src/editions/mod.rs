//! Editions of the Mois: dates, referencing window, theme of the year.
pub mod model;
pub mod server;
#[cfg(feature = "ssr")]
pub mod db;

pub use model::{Edition, EditionState};
