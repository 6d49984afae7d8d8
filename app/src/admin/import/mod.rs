//! CSV import and export of events (server only). The same columns both ways, so that an
//! export can be imported again. The import runs in two steps: a dry run checks the file and
//! keeps it with its report (every row with its errors by column, or what importing it would
//! create or update); the administrator then confirms that very run, imported all-or-nothing
//! in one transaction. Each row's `identifiant` is a stable key: importing a file again
//! updates the events it created.
//!
//! - `cells.rs`: the CSV cells (formula safety, the byte order mark, decoding the file);
//! - `parse.rs`: the file's words and dates (columns, statuses, vocabularies, `debut`/`fin`);
//! - `plan.rs`: a row read into the event's form and checked, and what it would do;
//! - `check.rs`: the whole file checked, and the dry run that keeps it with its report;
//! - `confirm.rs`: a kept run, as its page shows it and imported.
mod cells;
mod check;
mod confirm;
mod parse;
mod plan;
#[cfg(test)]
mod tests;

pub use super::export::{example_csv, export_csv};
pub use super::model::IMPORT_COLUMNS as COLUMNS;
pub use cells::{decode, formula_restored, formula_safe, write_safe_record, BOM};
pub use check::dry_run;
pub use confirm::{confirm, load_run};
pub(super) use parse::status_text;
pub use parse::{parse_when, when_local, When, DATE_FORMATS};
