//! Events: what the public browses and organizers reference.
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod feed;
#[cfg(feature = "ssr")]
pub mod lifecycle;
pub mod model;
pub mod pages;
pub mod server;
#[cfg(feature = "ssr")]
pub mod tz;
