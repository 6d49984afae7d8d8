//! Editions of the Mois: dates, referencing window, theme of the year.
pub mod archive;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod report;
pub mod server;

pub use model::{Edition, EditionState};
