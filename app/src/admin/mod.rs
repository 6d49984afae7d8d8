//! Administration (admins only): editions, vocabularies, accounts, CSV import and exports.
pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod import;
