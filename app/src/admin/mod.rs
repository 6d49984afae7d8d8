//! Administration (admins only): editions, vocabularies, accounts, CSV import and exports,
//! the outbox (`/admin/courriels`).
pub mod mail_queue;
pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod import;
