//! Moderation: the queue of submitted events and of published events edited since their
//! last review, the readable diff, publish / request changes / refuse, bulk publish, likely
//! duplicates, and the audit log.
pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod db;
