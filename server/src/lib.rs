//! The axum server: configuration, database, router, demo data and command-line tasks.
#![recursion_limit = "512"]
pub mod accounts;
pub mod audience;
pub mod backup;
pub mod config;
pub mod db;
pub mod demo;
pub mod error_page;
pub mod exports;
pub mod feeds;
pub mod form_input;
pub mod health;
pub mod kit;
pub mod metrics;
pub mod page_cache;
pub mod proconnect;
pub mod router;
pub mod security;
pub mod shutdown;
pub mod streamed;

pub use router::router;
