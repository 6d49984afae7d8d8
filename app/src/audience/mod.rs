//! Audience figures per event and per day (issue 28), without tracking anyone: views of the
//! event's page, saves to « Mon programme », calendar downloads and clicks on its registration
//! link, kept as aggregated counters only (no cookie, no identifier, no address). The server
//! counts in memory (`counter.rs`) and writes in batches (`db::flush`, called by
//! `server/src/audience.rs`); organizers see their events' figures, staff the edition's.
pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod counter;
#[cfg(feature = "ssr")]
pub mod db;

pub use model::{Figures, Kind};
