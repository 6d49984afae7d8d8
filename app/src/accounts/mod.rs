//! Organizer accounts: sign-up with e-mail confirmation, sign-in with sessions stored in
//! SQLite, password reset and changes. Server-only parts sit behind `ssr`.
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
pub mod proconnect;
pub mod rules;
pub mod server;

#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod second_factor;
#[cfg(feature = "ssr")]
pub mod session;

pub use model::CurrentAccount;
