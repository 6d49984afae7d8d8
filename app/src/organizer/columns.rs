//! The event's stored fields, each column beside the value bound to it, in one list (server
//! only), and the two wide writes built from it: the INSERT and the UPDATE of an event.
//!
//! Both are `sqlx::query!` statements, checked at compile time against the schema that the
//! migrations make (the query data in `.sqlx/`, `scripts/sqlx-prepare.sh`; CONTRIBUTING.md): a
//! renamed or dropped column, or a value missing, breaks the build rather than production. The
//! macros write the SQL's columns and its placeholders from the same list, in the same order
//! as the values, so a value cannot land in its neighbour's column (before: 26 values bound by
//! position against a column list written twice more).

/// Calls `$then! { $($before)* "column" => value, … }` with the event's form fields as stored:
/// what the organizer writes, from `$valid` (a `ValidEvent`), `$zone` (the venue's IANA zone),
/// `$starts` and `$ends` (the instants in UTC, as `crate::time::timestamp` writes them).
/// `$before` are the caller's own columns, each `"column" => value,` (the last comma included).
///
/// A new stored field of the event is one line here (and its migration): the INSERT and the
/// UPDATE follow.
macro_rules! with_event_fields {
    ($then:ident! { $($before:tt)* } $valid:ident, $zone:expr, $starts:expr, $ends:expr $(,)?) => {
        $then! { $($before)*
            "title" => &$valid.title,
            "summary" => &$valid.summary,
            "description" => &$valid.description,
            "format_id" => $valid.format_id,
            "mode" => $valid.mode.as_str(),
            "audience_id" => $valid.audience_id,
            "structure_name" => &$valid.structure_name,
            "organizer_type_id" => $valid.organizer_type_id,
            "lab_id" => $valid.lab_id,
            "region_code" => &$valid.region_code,
            "department_code" => $valid.department_code.as_deref(),
            "city" => $valid.city.as_deref(),
            "venue_name" => $valid.venue_name.as_deref(),
            "venue_address" => $valid.venue_address.as_deref(),
            "postal_code" => $valid.postal_code.as_deref(),
            "online_url" => $valid.online_url.as_deref(),
            "starts_at" => $starts,
            "ends_at" => $ends,
            "time_zone" => $zone,
            "out_of_period_reason" => $valid.out_of_period_reason.as_deref(),
            "registration_url" => $valid.registration_url.as_deref(),
            "capacity" => $valid.capacity,
            "contact_name" => $valid.contact_name.as_deref(),
            "contact_email" => $valid.contact_email.as_deref(),
            "accessibility" => &$valid.accessibility,
            "all_day" => $valid.all_day,
        }
    };
}
pub(crate) use with_event_fields;

/// `INSERT INTO events (…) SELECT ?, … RETURNING id` of these columns and values, checked at
/// compile time; evaluates to the query (`sqlx::query_scalar!`, an `i64`), the caller fetches.
/// (`INSERT … SELECT ? AS column` rather than `VALUES (?, …)`: each placeholder is written
/// with its column, which the macro needs to repeat them.)
macro_rules! insert_event_query {
    ($($column:literal => $value:expr),+ $(,)?) => {
        sqlx::query_scalar!(
            "INSERT INTO events (id" $(+ ", " + $column)+ + ") SELECT NULL"
                $(+ ", ? AS " + $column)+ + " RETURNING id AS \"id!\"",
            $($value),+
        )
    };
}
pub(crate) use insert_event_query;

/// `UPDATE events SET version = version + 1, column = ?, … {tail}` with these columns and
/// values, then the tail's own values (the rest of the SET, the WHERE), checked at compile
/// time; evaluates to the query (`sqlx::query!`), the caller executes.
macro_rules! update_event_query {
    (($tail:literal $(, $arg:expr)* $(,)?) $($column:literal => $value:expr),+ $(,)?) => {
        sqlx::query!(
            "UPDATE events SET version = version + 1" $(+ ", " + $column + " = ?")+ + " " + $tail,
            $($value,)+ $($arg),*
        )
    };
}
pub(crate) use update_event_query;
