//! The server's database and HTTP tests, in one test binary: each module is one suite (run one
//! with `cargo test -p server --test suite -- admin::`). One binary, not one per file: each
//! links the whole server (about 150 MB in a debug build), and 27 of them filled the disk of a
//! CI machine (the linker died of SIGBUS) and cost a link each.
//!
//! Two suites stay binaries of their own, for they read process-wide counters that the
//! others would move under them: `metrics` (the Prometheus recorder) and `security_throttling`
//! (the count of argon2 computations).
#![allow(clippy::type_complexity)]

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/smtp.rs"]
mod smtp;

mod admin;
mod admin_versions;
mod archives;
mod audience;
mod authorization;
mod database;
mod first_day_admin;
mod first_day_import;
mod first_day_small;
mod forms_in_page;
mod http;
mod kit;
mod labs;
mod lifecycle;
mod mail_queue;
mod migrations;
mod moderation;
mod operations;
mod organizer;
mod page_cache;
mod proconnect;
mod programme;
mod report;
mod second_factor;
mod security;
mod security_outputs;
mod startup;
