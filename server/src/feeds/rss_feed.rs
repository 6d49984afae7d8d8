//! RSS 2.0: `/programme.rss`, the selection's latest publications (the `rss` crate).
use super::*;
use app::events::feed::feed_text;
use app::events::tz;

/// Feed readers render an item's description as HTML: the text is written escaped, so that
/// an organizer's `<script>` or `<svg onload>` is shown as text, never run.
pub(super) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub async fn rss(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    match select(&state, query.as_deref()).await {
        Ok(selection) => {
            cached(
                &headers,
                &selection,
                "rss",
                "application/rss+xml; charset=utf-8",
                async {
                    let rows = selection.rows(&state).await?;
                    let items: Vec<rss::Item> = rows
                        .iter()
                        .map(|r| {
                            let url = event_url(&state, &r.slug);
                            let local = tz::local(r.starts_at, &r.time_zone);
                            let cancelled = if r.status == "cancelled" {
                                "[Annulé] "
                            } else {
                                ""
                            };
                            rss::ItemBuilder::default()
                                .title(Some(format!("{cancelled}{}", r.title)))
                                .link(Some(url.clone()))
                                .guid(Some(
                                    rss::GuidBuilder::default()
                                        .value(url)
                                        .permalink(true)
                                        .build(),
                                ))
                                .description(Some(escape_html(&format!(
                                    "{} — {} — {}",
                                    app::fr::date_time(local),
                                    r.location(),
                                    r.summary
                                ))))
                                .categories(
                                    r.themes()
                                        .into_iter()
                                        .map(|t| rss::CategoryBuilder::default().name(t).build())
                                        .collect::<Vec<_>>(),
                                )
                                .pub_date(r.published_at.map(|p| p.to_rfc2822()))
                                .build()
                        })
                        .collect();
                    let filters = selection.filters.to_query();
                    let channel = rss::ChannelBuilder::default()
                        .title(format!(
                            "Mois de l'innovation publique {}",
                            selection.catalog.year
                        ))
                        .link(format!(
                            "{}{}",
                            state.public_url,
                            selection.filters.href("/programme")
                        ))
                        .description(if filters.is_empty() {
                            "Tous les événements du programme".to_string()
                        } else {
                            feed_text(&format!("Événements du programme ({filters})"), false)
                        })
                        .language(Some("fr-FR".to_string()))
                        .items(items)
                        .build();
                    Ok(channel.to_string())
                },
            )
            .await
        }
        Err(error) => error_response_to(&headers, error),
    }
}
