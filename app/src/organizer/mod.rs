//! The organizer's side: dashboard, the event form and its validation (shared by the
//! browser and the server), and the server functions that keep events safe.
mod form;
pub mod model;
pub mod offline;
pub mod pages;
pub mod server;
pub mod validation;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod columns;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod markdown;
