//! The cells of every CSV the platform writes or reads: safe from formula injection, with
//! the byte order mark Excel needs, and the file decoded as UTF-8.
use crate::error::AppError;

/// Put before the admin export and the report CSV: the byte order mark by which Excel reads
/// the file as UTF-8 (accents); the import skips it.
pub const BOM: &str = "\u{feff}";

/// OWASP's rule against CSV (formula) injection: a cell that a spreadsheet would read as a
/// formula (it begins with `=`, `+`, `-`, `@`, TAB or CR) is written after a single quote.
/// Quotes already in front of such a cell count for nothing, so that every written value
/// maps back to exactly one value (`formula_restored`): `'=x` is written `''=x`.
pub(super) fn reads_as_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The cell as every CSV of the platform writes it (see `reads_as_formula`).
pub fn formula_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if reads_as_formula(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The value of a cell written by `formula_safe` (the import reads the export back).
pub fn formula_restored(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(value) if reads_as_formula(value) => value,
        _ => cell,
    }
}

/// Writes one record, every cell through `formula_safe`: the only way the platform writes
/// CSV (open data, admin export, edition report).
pub fn write_safe_record<W: std::io::Write>(
    out: &mut csv::Writer<W>,
    cells: impl IntoIterator<Item = impl AsRef<str>>,
) -> csv::Result<()> {
    for cell in cells {
        out.write_field(formula_safe(cell.as_ref()).as_bytes())?;
    }
    out.write_record(None::<&[u8]>)
}

/// A character that no cell may hold: a control character other than TAB and line breaks.
pub(super) fn has_control_character(text: &str) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let forbidden = match c {
            '\t' | '\n' => false,
            '\r' => chars.peek() != Some(&'\n'),
            c => c.is_control(),
        };
        if forbidden {
            return true;
        }
    }
    false
}

/// The file as text: UTF-8, with or without a byte order mark.
pub fn decode(bytes: &[u8], field: &str) -> Result<String, AppError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        AppError::field(
            field,
            "Ce fichier n'est pas encodé en UTF-8 : dans votre tableur, enregistrez-le au format \
             « CSV UTF-8 » (Excel : Fichier › Enregistrer sous › CSV UTF-8), puis réessayez.",
        )
    })
}
