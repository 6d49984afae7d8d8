//! The public programme: filters in the URL, the edition catalogue, the one filter engine,
//! and the pages that show it (list, calendar, map).
pub mod catalog;
#[cfg(feature = "hydrate")]
mod client;
pub mod client_logic;
pub mod contract;
#[cfg(feature = "ssr")]
pub mod db;
pub mod engine;
pub mod filters;
pub mod fold;
pub mod map_data;
pub mod pages;
pub mod render;
pub mod server;
pub mod shared;
pub mod text;
mod views;
