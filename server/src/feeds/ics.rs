//! iCalendar: `/programme.ics`, the subscribable calendar of a selection (the `icalendar` crate).
use super::*;
use app::events::tz;

pub(super) fn calendar(state: &AppState, name: &str, rows: &[FeedRow]) -> String {
    use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
    let mut cal = Calendar::new();
    cal.name(name);
    cal.append_property(icalendar::Property::new("X-WR-TIMEZONE", "Europe/Paris"));
    cal.append_property(icalendar::Property::new(
        "REFRESH-INTERVAL;VALUE=DURATION",
        "PT6H",
    ));
    for r in rows {
        let url = event_url(state, &r.slug);
        let mut event = Event::new();
        if r.all_day {
            // Whole days at the venue: DTEND is the day after the last (RFC 5545, 3.6.1).
            event
                .starts(tz::local(r.starts_at, &r.time_zone).date())
                .ends(tz::local(r.ends_at, &r.time_zone).date());
        } else {
            event.starts(r.starts_at).ends(r.ends_at);
        }
        event
            .uid(&format!("{}@mois-innovation-publique", r.slug))
            .summary(&r.title)
            .description(&format!("{}\n\n{}\n{url}", r.summary, r.structure_name))
            .timestamp(r.updated_at)
            .sequence(u32::try_from(r.version).unwrap_or(0))
            .location(&r.location())
            .url(&url)
            .status(if r.status == "cancelled" {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        cal.push(event.done());
    }
    refold(&cal.done().to_string())
}

/// RFC 5545 §3.1: content lines are folded so that none exceeds 75 octets, not counting the
/// line break; a continuation line starts with one space. icalendar 0.17 folds at 75
/// characters and lets continuation lines reach 76 octets, so the text is unfolded and folded
/// again here, on character boundaries.
pub(super) fn refold(ics: &str) -> String {
    let unfolded = ics.replace("\r\n ", "").replace("\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 60);
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let mut budget = 75;
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > budget {
                out.push_str("\r\n ");
                budget = 74;
                used = 0;
            }
            out.push(c);
            used += c.len_utf8();
        }
        out.push_str("\r\n");
    }
    out
}

pub async fn ics(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    match select(&state, query.as_deref()).await {
        Ok(selection) => {
            cached(
                &headers,
                &selection,
                "ics",
                "text/calendar; charset=utf-8",
                async {
                    let rows = selection.rows(&state).await?;
                    let name = format!("Mois de l'innovation publique {}", selection.catalog.year);
                    Ok(calendar(&state, &name, &rows))
                },
            )
            .await
        }
        Err(error) => error_response_to(&headers, error),
    }
}
