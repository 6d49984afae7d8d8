//! The event's stored fields, each column beside the value bound to it, in one list (server
//! only). The INSERT and the UPDATE of an event are built from it (`sqlx::QueryBuilder`), so a
//! value cannot land in its neighbour's column: before, 26 values were bound by position
//! against a column list written twice more.
use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Sqlite};

use super::validation::ValidEvent;

/// A value bound to a column.
#[derive(Clone, Copy)]
pub enum Value<'a> {
    Text(&'a str),
    MaybeText(Option<&'a str>),
    Int(i64),
    MaybeInt(Option<i64>),
    Flag(bool),
}

/// A column and its value.
pub type Column<'a> = (&'static str, Value<'a>);

/// The event's form fields as stored: what the organizer writes (the instants already in
/// UTC, `starts` and `ends` as `crate::time::timestamp` writes them, with the venue's zone).
pub fn event_fields<'a>(
    valid: &'a ValidEvent,
    zone: &'a str,
    starts: &'a str,
    ends: &'a str,
) -> Vec<Column<'a>> {
    use Value::*;
    vec![
        ("title", Text(&valid.title)),
        ("summary", Text(&valid.summary)),
        ("description", Text(&valid.description)),
        ("format_id", Int(valid.format_id)),
        ("mode", Text(valid.mode.as_str())),
        ("audience_id", MaybeInt(valid.audience_id)),
        ("structure_name", Text(&valid.structure_name)),
        ("organizer_type_id", Int(valid.organizer_type_id)),
        ("lab_id", MaybeInt(valid.lab_id)),
        ("region_code", Text(&valid.region_code)),
        (
            "department_code",
            MaybeText(valid.department_code.as_deref()),
        ),
        ("city", MaybeText(valid.city.as_deref())),
        ("venue_name", MaybeText(valid.venue_name.as_deref())),
        ("venue_address", MaybeText(valid.venue_address.as_deref())),
        ("postal_code", MaybeText(valid.postal_code.as_deref())),
        ("online_url", MaybeText(valid.online_url.as_deref())),
        ("starts_at", Text(starts)),
        ("ends_at", Text(ends)),
        ("time_zone", Text(zone)),
        (
            "out_of_period_reason",
            MaybeText(valid.out_of_period_reason.as_deref()),
        ),
        (
            "registration_url",
            MaybeText(valid.registration_url.as_deref()),
        ),
        ("capacity", MaybeInt(valid.capacity)),
        ("contact_name", MaybeText(valid.contact_name.as_deref())),
        ("contact_email", MaybeText(valid.contact_email.as_deref())),
        ("accessibility", Text(&valid.accessibility)),
        ("all_day", Flag(valid.all_day)),
    ]
}

/// Binds `value` at the builder's place (`unseparated`: after `col = `).
fn bind(list: &mut Separated<'_, Sqlite, &'static str>, value: Value<'_>, unseparated: bool) {
    macro_rules! push {
        ($v:expr) => {
            if unseparated {
                list.push_bind_unseparated($v);
            } else {
                list.push_bind($v);
            }
        };
    }
    match value {
        Value::Text(v) => push!(v.to_string()),
        Value::MaybeText(v) => push!(v.map(str::to_string)),
        Value::Int(v) => push!(v),
        Value::MaybeInt(v) => push!(v),
        Value::Flag(v) => push!(v),
    }
}

/// `INSERT INTO {table} (col, …) VALUES (?, …) ` for these columns, each value bound beside its
/// own column; the caller adds what follows (`RETURNING id`).
pub fn insert(table: &'static str, columns: &[Column<'_>]) -> QueryBuilder<Sqlite> {
    let mut query = QueryBuilder::new(format!("INSERT INTO {table} ("));
    let mut names = query.separated(", ");
    for (name, _) in columns {
        names.push(*name);
    }
    query.push(") VALUES (");
    let mut values = query.separated(", ");
    for (_, value) in columns {
        bind(&mut values, *value, false);
    }
    query.push(") ");
    query
}

/// `UPDATE {table} SET col = ?, … ` for these columns; the caller adds the rest of the SET
/// (starting with `, `) and the WHERE.
pub fn update(table: &'static str, columns: &[Column<'_>]) -> QueryBuilder<Sqlite> {
    let mut query = QueryBuilder::new(format!("UPDATE {table} SET "));
    let mut set = query.separated(", ");
    for (name, value) in columns {
        set.push(format_args!("{name} = "));
        bind(&mut set, *value, true);
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;
    use Value::*;

    #[test]
    fn each_value_is_bound_beside_its_column() {
        let columns = [
            ("title", Text("Atelier")),
            ("capacity", MaybeInt(None)),
            ("all_day", Flag(true)),
        ];
        assert_eq!(
            insert("events", &columns).sql().as_str(),
            "INSERT INTO events (title, capacity, all_day) VALUES (?, ?, ?) "
        );
        assert_eq!(
            update("events", &columns).sql().as_str(),
            "UPDATE events SET title = ?, capacity = ?, all_day = ?"
        );
    }
}
