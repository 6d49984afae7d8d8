//! The communication kit of an event: its poster, one A4 page to print
//! (`/evenements/{slug}/affiche`), and its sharing image, a 1200 × 630 PNG
//! (`/evenements/{slug}/partage.png`) that the event page names as its `og:image`, so that a
//! link pasted on a social network shows the event.
//!
//! Both exist for the events whose page is public (published, or cancelled after being
//! published), and only for them: anything else is a 404, as for the event page. Both say the
//! time at the venue (an event in Guadeloupe at 9 h is at 9 h on its poster).
//!
//! The poster is a plain HTML page with a print stylesheet (`@page { size: A4; margin: 0 }` and
//! a sheet of exactly 210 × 297 mm): printed, or saved as PDF by the browser, it fills one
//! sheet. On a narrower screen the sheet is shown zoomed out (no sideways scrolling on a
//! phone); printing is unaffected. Its QR code (the `qrcode` crate, as inline SVG) leads to the
//! event's page.
//!
//! The sharing image is an SVG written here and rasterised by `resvg`. resvg does not wrap
//! text: the title is cut into lines by the widths of the font's own glyphs (`skrifa`, which
//! resvg uses to read fonts), its size chosen so that it fits, an ellipsis beyond the last line.
//! The face is the DSFR's Marianne, from the `@gouvfr/dsfr` package's WOFF files (the only
//! formats it ships), unpacked to TrueType at first use ([`woff_to_sfnt`]): resvg reads only
//! TrueType/OpenType. Rendering takes tens of milliseconds: the PNG is kept in memory, keyed by
//! the digest of its SVG (so a change of the event, of the edition or of this code makes a new
//! one), and sent with a strong ETag.
use std::sync::LazyLock;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use app::error::AppError;
use app::events::model::EventDetail;
use app::html::{attr, text, Html};
use app::reference::{EventStatus, Mode, PARIS_TZ};
use app::state::AppState;
use app::{html, html_write};

use crate::router::error_response_to;

mod woff;
pub use woff::woff_to_sfnt;

/// Width and height of the sharing image, in pixels (what social networks show in full).
pub const IMAGE_WIDTH: u32 = 1200;
pub const IMAGE_HEIGHT: u32 = 630;

/// The DSFR's colours: blue France, red Marianne, and its text grey.
const BLUE_FRANCE: &str = "#000091";
const RED_MARIANNE: &str = "#e1000f";
const TEXT_GREY: &str = "#161616";
const WHITE: &str = "#ffffff";

// ---------------------------------------------------------------- what both say

/// What the poster and the image say about an event, ready to write.
struct Facts {
    /// « Mois de l'innovation publique 2026 ».
    edition: String,
    title: String,
    /// The date and time at the venue, with its zone named when it is not Paris time.
    when: String,
    /// The same start in Paris time, for an overseas venue (the poster only).
    paris: Option<String>,
    /// The address, « En ligne », or both.
    place: String,
    organizer: Option<String>,
    url: String,
    cancelled: bool,
}

fn facts(detail: &EventDetail) -> Facts {
    let card = &detail.card;
    let mut when = card.when();
    if card.time_zone != PARIS_TZ && !card.all_day {
        // The region names the zone, as moderation says it: « (heure de La Réunion) ».
        when = format!("{when} (heure de {})", card.region);
    }
    let address = [
        detail.venue_name.clone(),
        detail.venue_address.clone(),
        match (&detail.postal_code, &card.city) {
            (Some(code), Some(city)) => Some(format!("{code} {city}")),
            (None, Some(city)) => Some(city.clone()),
            _ => None,
        },
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let venue = if address.is_empty() {
        card.place()
    } else {
        address
    };
    let place = match card.mode {
        Mode::EnLigne => "En ligne".to_string(),
        Mode::Presentiel => venue,
        Mode::Hybride => format!("{venue}, et en ligne"),
    };
    Facts {
        edition: format!("{} {}", app::SITE_NAME, detail.edition_year),
        title: card.title.clone(),
        when,
        paris: detail
            .starts_paris
            .filter(|_| !card.all_day)
            .map(|at| format!("Soit {} à Paris", app::fr::date_time(at))),
        place,
        organizer: Some(card.structure.trim().to_string()).filter(|s| !s.is_empty()),
        url: detail.url.clone(),
        cancelled: card.status == EventStatus::Cancelled,
    }
}

async fn public_event(state: &AppState, slug: &str) -> Result<EventDetail, AppError> {
    app::events::db::public_by_slug(&state.pool, slug, &state.public_url)
        .await?
        .ok_or_else(|| AppError::NotFound("Cet événement n'existe pas ou n'est pas publié.".into()))
}

// ---------------------------------------------------------------- the poster

/// `/evenements/{slug}/affiche`: the poster, an HTML page that prints on one A4 sheet.
pub async fn poster(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let detail = match public_event(&state, &slug).await {
        Ok(detail) => detail,
        Err(error) => return error_response_to(&headers, error),
    };
    match poster_html(&detail) {
        Ok(html) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html.into_string(),
        )
            .into_response(),
        Err(error) => error_response_to(&headers, error),
    }
}

/// The title's size on the poster, by its length: large when short, smaller as it grows (a
/// title of 200 characters takes six lines at 26 pt).
fn poster_title_size(title: &str) -> u32 {
    match title.chars().count() {
        0..=40 => 48,
        41..=80 => 38,
        81..=140 => 30,
        _ => 26,
    }
}

fn poster_html(detail: &EventDetail) -> Result<Html, AppError> {
    let facts = facts(detail);
    let qr = app::accounts::second_factor::qr_svg(&facts.url)?;
    let page = format!("/evenements/{}", detail.card.slug);
    let mut rows = html!(
        r#"<dt>Quand</dt><dd data-kit="when">{when}{paris}</dd><dt>Où</dt><dd data-kit="place">{place}</dd>"#,
        when = text(&facts.when),
        paris = facts
            .paris
            .as_deref()
            .map(|p| html!(r#"<span class="paris">{}</span>"#, text(p)))
            .unwrap_or_default(),
        place = text(&facts.place),
    );
    if let Some(organizer) = &facts.organizer {
        html_write!(
            rows,
            r#"<dt>Organisé par</dt><dd data-kit="organizer">{}</dd>"#,
            text(organizer)
        );
    }
    let cancelled = if facts.cancelled {
        r#"<p class="cancelled">Événement annulé</p>"#
    } else {
        ""
    };
    Ok(html!(
        r#"<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Affiche – {title} – {site}</title>
<link rel="canonical" href="{url}">
<style>{css}</style>
</head>
<body>
<div class="notice">
<p><strong>Affiche au format A4.</strong> Imprimez cette page (Ctrl+P, ou ⌘+P) sur une feuille A4, sans marges ; ou choisissez « Enregistrer au format PDF » pour l'envoyer.</p>
<p><a href="{page}">Retour à la page de l'événement</a></p>
</div>
<main class="sheet">
<header class="band"><p class="edition">{edition}</p></header>
<div class="stripe" aria-hidden="true"><span></span><span></span><span></span></div>
<div class="content">
{cancelled}<h1 style="font-size:{size}pt">{title}</h1>
<dl class="facts">{rows}</dl>
</div>
<footer class="foot">
<div class="qr" role="img" aria-label="QR code menant à la page de l'événement">{qr}</div>
<p class="cta">Programme, inscription et informations pratiques&nbsp;:<span class="url">{url_text}</span></p>
</footer>
</main>
</body>
</html>
"#,
        title = text(&facts.title),
        site = app::SITE_NAME,
        url = attr(&facts.url),
        url_text = text(&facts.url),
        css = POSTER_CSS,
        page = attr(&page),
        edition = text(&facts.edition),
        size = poster_title_size(&facts.title),
        cancelled = cancelled,
        rows = rows,
        qr = qr,
    ))
}

/// The poster's stylesheet: on screen, the sheet on a grey desk with how to print it; printed,
/// the sheet alone, exactly one A4 page (backgrounds printed: the band is the edition's blue).
/// Marianne from the site's own fonts (the core characters first, the others after).
const POSTER_CSS: &str = r#"
@font-face{font-family:Marianne;src:url(/fonts/Marianne-Regular-extra.woff2) format("woff2");font-weight:400;font-display:block}
@font-face{font-family:Marianne;src:url(/fonts/Marianne-Regular.woff2) format("woff2");font-weight:400;font-display:block}
@font-face{font-family:Marianne;src:url(/fonts/Marianne-Bold-extra.woff2) format("woff2");font-weight:700;font-display:block}
@font-face{font-family:Marianne;src:url(/fonts/Marianne-Bold.woff2) format("woff2");font-weight:700;font-display:block}
@page{size:A4;margin:0}
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font-family:Marianne,arial,sans-serif;color:#161616;background:#eee;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.notice{max-width:210mm;margin:1.5rem auto 0;padding:0 1rem;font-size:1rem;line-height:1.5}
.notice a{color:#000091}
.sheet{width:210mm;height:297mm;overflow:hidden;background:#fff;display:flex;flex-direction:column;margin:1.5rem auto;box-shadow:0 2px 12px rgba(0,0,0,.2)}
.band{background:#000091;color:#fff;padding:13mm 16mm 11mm}
.edition{margin:0;font-size:24pt;font-weight:700;line-height:1.15}
.stripe{display:flex;height:3mm}
.stripe span{flex:1;background:#000091}
.stripe span+span{background:#fff}
.stripe span+span+span{background:#e1000f}
.content{flex:1;min-height:0;overflow:hidden;padding:14mm 16mm 6mm}
.cancelled{display:inline-block;margin:0 0 6mm;padding:1mm 3mm;background:#e1000f;color:#fff;font-weight:700;font-size:14pt;text-transform:uppercase}
h1{margin:0 0 10mm;color:#000091;font-weight:700;line-height:1.15;overflow-wrap:anywhere}
.facts{margin:0;font-size:15pt;line-height:1.35}
.facts dt{margin:5mm 0 1mm;color:#e1000f;font-size:10.5pt;font-weight:700;text-transform:uppercase;letter-spacing:.06em}
.facts dt:first-child{margin-top:0}
.facts dd{margin:0;overflow-wrap:anywhere}
.paris{display:block;font-size:12pt;color:#3a3a3a}
.foot{display:flex;align-items:center;gap:9mm;margin:0 16mm;padding:8mm 0 14mm;border-top:.6mm solid #000091}
.qr{flex:none;width:52mm;height:52mm}
.qr svg{display:block;width:52mm;height:52mm}
.cta{margin:0;font-size:13pt;line-height:1.4}
.url{display:block;margin-top:2mm;font-weight:700;color:#000091;overflow-wrap:anywhere}
@media print{body{background:#fff}.notice{display:none}.sheet{margin:0;box-shadow:none}}
@media screen and (max-width:840px){.sheet{zoom:.75}}
@media screen and (max-width:640px){.sheet{zoom:.55}}
@media screen and (max-width:460px){.sheet{zoom:.45}}
@media screen and (max-width:360px){.sheet{zoom:.37}}
"#;

// ---------------------------------------------------------------- the sharing image

/// `/evenements/{slug}/partage.png`: the sharing image, rendered once per content.
pub async fn sharing_image(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let detail = match public_event(&state, &slug).await {
        Ok(detail) => detail,
        Err(error) => return error_response_to(&headers, error),
    };
    let svg = match sharing_svg(&facts(&detail), &state.public_url) {
        Ok(svg) => svg,
        Err(error) => return error_response_to(&headers, error),
    };
    let digest: [u8; 32] = Sha256::digest(svg.as_bytes()).into();
    let etag = format!(
        "\"{}\"",
        digest[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let png = match RENDERED.get(&digest).await {
            Some(png) => png,
            None => {
                let rendered = tokio::task::spawn_blocking(move || render_png(&svg)).await;
                match rendered {
                    Ok(Ok(png)) => {
                        let png = Bytes::from(png);
                        RENDERED.insert(digest, png.clone()).await;
                        png
                    }
                    Ok(Err(error)) => return error_response_to(&headers, error),
                    Err(error) => {
                        return error_response_to(
                            &headers,
                            AppError::internal("sharing image", error),
                        )
                    }
                }
            }
        };
        ([(header::CONTENT_TYPE, "image/png")], png).into_response()
    };
    let response_headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response_headers.insert(header::ETAG, value);
    }
    // Social networks and browsers may keep it an hour; the ETag makes a later check cheap.
    response_headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

/// The rendered images, by the digest of their SVG (about 60 kB each).
static RENDERED: LazyLock<moka::future::Cache<[u8; 32], Bytes>> = LazyLock::new(|| {
    moka::future::Cache::builder()
        .weigher(|_, png: &Bytes| u32::try_from(png.len()).unwrap_or(u32::MAX))
        .max_capacity(32 * 1024 * 1024)
        .build()
});

/// The faces the image is written in, read once: for resvg, and for measuring lines.
struct Fonts {
    regular: Vec<u8>,
    bold: Vec<u8>,
    options: resvg::usvg::Options<'static>,
}

static FONTS: LazyLock<Result<Fonts, String>> = LazyLock::new(|| {
    let regular = woff_to_sfnt(include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../node_modules/@gouvfr/dsfr/dist/fonts/Marianne-Regular.woff"
    )))?;
    let bold = woff_to_sfnt(include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../node_modules/@gouvfr/dsfr/dist/fonts/Marianne-Bold.woff"
    )))?;
    let mut options = resvg::usvg::Options {
        font_family: "Marianne".to_string(),
        ..Default::default()
    };
    let database = options.fontdb_mut();
    database.load_font_data(regular.clone());
    database.load_font_data(bold.clone());
    Ok(Fonts {
        regular,
        bold,
        options,
    })
});

fn fonts() -> Result<&'static Fonts, AppError> {
    FONTS
        .as_ref()
        .map_err(|error| AppError::internal("fonts of the sharing image", error))
}

fn render_png(svg: &str) -> Result<Vec<u8>, AppError> {
    let fonts = fonts()?;
    let tree = resvg::usvg::Tree::from_str(svg, &fonts.options)
        .map_err(|e| AppError::internal("sharing image SVG", e))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(IMAGE_WIDTH, IMAGE_HEIGHT)
        .ok_or_else(|| AppError::internal("sharing image", "no pixmap"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| AppError::internal("sharing image PNG", e))
}

/// Width of `text` in pixels at `size` in `font`, by the advances of its glyphs (without
/// kerning: a little wider than drawn, which errs on the side of fitting).
fn text_width(font: &[u8], text: &str, size: f32) -> f32 {
    use skrifa::instance::{LocationRef, Size};
    use skrifa::MetadataProvider;
    let Ok(font) = skrifa::FontRef::new(font) else {
        return text.chars().count() as f32 * size * 0.6;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            metrics
                .advance_width(charmap.map(c).unwrap_or_default())
                .unwrap_or(size * 0.6)
        })
        .sum()
}

/// `text` cut into lines no wider than `max_width` (by `measure`), at most `max_lines`: the
/// last one ends with an ellipsis when the text goes on (then `true`). A word wider than a line
/// is cut where it overflows.
fn wrap(
    text: &str,
    max_width: f32,
    max_lines: usize,
    measure: impl Fn(&str) -> f32,
) -> (Vec<String>, bool) {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if measure(&candidate) <= max_width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        let mut rest = word;
        while measure(rest) > max_width {
            let mut cut = 0;
            for (at, c) in rest.char_indices() {
                let end = at + c.len_utf8();
                if measure(&rest[..end]) > max_width {
                    break;
                }
                cut = end;
            }
            if cut == 0 {
                cut = rest.chars().next().map_or(rest.len(), char::len_utf8);
            }
            lines.push(rest[..cut].to_string());
            rest = &rest[cut..];
        }
        current = rest.to_string();
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() <= max_lines {
        return (lines, false);
    }
    lines.truncate(max_lines.max(1));
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && measure(&format!("{last}…")) > max_width {
            last.pop();
        }
        let kept = last.trim_end().len();
        last.truncate(kept);
        last.push('…');
    }
    (lines, true)
}

/// Text for an SVG text node, escaped (`&`, `<`, `>`), control characters made spaces: they
/// have no place in XML (the site refuses them anyway).
fn xml(value: &str) -> Html {
    let cleaned: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    Html::text(&cleaned)
}

/// The title's sizes, largest first, with the lines each may take: the first that holds the
/// whole title is used; the last one cuts it (a title of 200 characters fits in five lines at
/// 40 px: it is never cut by the site's own limit).
const TITLE_SIZES: [(f32, usize); 4] = [(64.0, 3), (56.0, 3), (48.0, 4), (40.0, 5)];

/// The sharing image's lines under the title: when (up to two lines), where and who (one line
/// each), from `baseline` down, 40 px apart.
fn info_lines(
    facts: &Facts,
    fonts: &Fonts,
    text_width_max: f32,
    info_size: f32,
    left: f32,
    mut baseline: f32,
) -> Html {
    let mut info = Html::new();
    let organizer = facts
        .organizer
        .as_ref()
        .map(|o| format!("Organisé par {o}"))
        .unwrap_or_default();
    let rows: [(&str, usize, &'static str); 3] = [
        (&facts.when, 2, "700"),
        (&facts.place, 1, "400"),
        (&organizer, 1, "400"),
    ];
    let mut first = true;
    for (line_text, max_lines, weight) in rows {
        if line_text.is_empty() {
            continue;
        }
        let font: &[u8] = if weight == "700" {
            &fonts.bold
        } else {
            &fonts.regular
        };
        let (wrapped, _) = wrap(line_text, text_width_max, max_lines, |t| {
            text_width(font, t, info_size)
        });
        for line in wrapped {
            if !first {
                baseline += 40.0;
            }
            first = false;
            html_write!(
                info,
                r#"<tspan x="{left}" y="{baseline}" font-weight="{weight}">{line}</tspan>"#,
                left = left,
                baseline = baseline,
                weight = weight,
                line = xml(&line),
            );
        }
    }
    info
}

/// The SVG of the sharing image: the edition's band with the site's address, the title as
/// large as it fits (wrapped, an ellipsis beyond its last line), when, where, who.
fn sharing_svg(facts: &Facts, public_url: &str) -> Result<Html, AppError> {
    let fonts = fonts()?;
    let (width, height) = (IMAGE_WIDTH as f32, IMAGE_HEIGHT as f32);
    let left = 64.0_f32;
    let text_width_max = width - 2.0 * left;
    let mut svg = Html::with_capacity(4096);
    html_write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Marianne">"#,
        w = width,
        h = height,
    );
    html_write!(
        svg,
        r#"<rect width="{w}" height="{h}" fill="{white}"/><rect width="{w}" height="104" fill="{blue}"/>"#,
        w = width,
        h = height,
        white = WHITE,
        blue = BLUE_FRANCE,
    );
    html_write!(
        svg,
        r#"<text x="{left}" y="66" font-size="34" font-weight="700" fill="{white}">{edition}</text>"#,
        left = left,
        white = WHITE,
        edition = xml(&facts.edition),
    );
    // The site's address at the right of the band, when there is room for it.
    let host = public_url
        .split("://")
        .nth(1)
        .unwrap_or(public_url)
        .trim_end_matches('/');
    let edition_width = text_width(&fonts.bold, &facts.edition, 34.0);
    if edition_width + 48.0 + text_width(&fonts.regular, host, 22.0) <= text_width_max {
        html_write!(
            svg,
            r#"<text x="{x}" y="64" font-size="22" text-anchor="end" fill="{white}">{host}</text>"#,
            x = width - left,
            white = WHITE,
            host = xml(host),
        );
    }
    // A red accent above the title, or the word that matters when the event is cancelled.
    if facts.cancelled {
        html_write!(
            svg,
            r#"<text x="{left}" y="150" font-size="26" font-weight="700" fill="{red}">ÉVÉNEMENT ANNULÉ</text>"#,
            left = left,
            red = RED_MARIANNE,
        );
    } else {
        html_write!(
            svg,
            r#"<rect x="{left}" y="136" width="80" height="6" fill="{red}"/>"#,
            left = left,
            red = RED_MARIANNE,
        );
    }
    let (mut size, mut lines) = (TITLE_SIZES[0].0, Vec::new());
    for (candidate, max_lines) in TITLE_SIZES {
        let (wrapped, cut) = wrap(&facts.title, text_width_max, max_lines, |t| {
            text_width(&fonts.bold, t, candidate)
        });
        size = candidate;
        lines = wrapped;
        if !cut {
            break;
        }
    }
    let line_height = (size * 1.15).round();
    let mut baseline = 160.0 + size;
    html_write!(
        svg,
        r#"<text font-size="{size}" font-weight="700" fill="{blue}">"#,
        size = size,
        blue = BLUE_FRANCE,
    );
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            baseline += line_height;
        }
        html_write!(
            svg,
            r#"<tspan x="{left}" y="{baseline}">{line}</tspan>"#,
            left = left,
            baseline = baseline,
            line = xml(line),
        );
    }
    svg.push("</text>");
    // When (up to two lines), where and who (one line each), in the text grey.
    let info_size = 28.0_f32;
    baseline += (size * 0.45 + 40.0).round();
    let info = info_lines(facts, fonts, text_width_max, info_size, left, baseline);
    html_write!(
        svg,
        r#"<text font-size="{size}" fill="{grey}">{info}</text>"#,
        size = info_size,
        grey = TEXT_GREY,
        info = info,
    );
    // The edition's colours along the bottom edge.
    html_write!(
        svg,
        r#"<rect y="{y}" width="{blue_width}" height="14" fill="{blue}"/><rect x="{blue_width}" y="{y}" width="{red_width}" height="14" fill="{red}"/></svg>"#,
        y = height - 14.0,
        blue_width = width * 2.0 / 3.0,
        red_width = width / 3.0,
        blue = BLUE_FRANCE,
        red = RED_MARIANNE,
    );
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_with_title(title: &str) -> Facts {
        Facts {
            edition: "Mois de l'innovation publique 2026".into(),
            title: title.into(),
            when: "dimanche 8 novembre 2026, 9\u{a0}h\u{a0}00 – 11\u{a0}h\u{a0}00 (heure de Guadeloupe)".into(),
            paris: None,
            place: "Médiathèque, 1 rue Frébault, 97110 Pointe-à-Pitre".into(),
            organizer: Some("Préfecture de la Guadeloupe".into()),
            url: "http://127.0.0.1:3000/evenements/atelier".into(),
            cancelled: false,
        }
    }

    #[test]
    fn the_dsfr_woff_files_unpack_to_fonts_with_glyphs() {
        let fonts = fonts().unwrap();
        for face in [&fonts.regular, &fonts.bold] {
            use skrifa::MetadataProvider;
            let font = skrifa::FontRef::new(face).unwrap();
            assert!(font.charmap().map('é').is_some());
            assert!(font.charmap().map('«').is_some());
        }
        assert!(text_width(&fonts.bold, "Mois", 40.0) > text_width(&fonts.regular, "Mois", 40.0));
        assert_eq!(fonts.options.fontdb.len(), 2);
    }

    #[test]
    fn lines_are_wrapped_by_width_and_cut_with_an_ellipsis() {
        // Every character 10 px wide.
        let measure = |t: &str| t.chars().count() as f32 * 10.0;
        let (lines, cut) = wrap("un deux trois quatre cinq", 100.0, 3, measure);
        assert_eq!(lines, ["un deux", "trois", "quatre…"]);
        assert!(cut);
        let (lines, cut) = wrap("un deux trois", 100.0, 3, measure);
        assert_eq!(
            (lines, cut),
            (vec!["un deux".into(), "trois".into()], false)
        );
        // A word longer than a line is cut where it overflows.
        let (lines, cut) = wrap("anticonstitutionnellement", 100.0, 5, measure);
        assert_eq!(lines, ["anticonsti", "tutionnell", "ement"]);
        assert!(!cut);
        for line in wrap(&"mot ".repeat(300), 100.0, 4, measure).0 {
            assert!(measure(&line) <= 100.0, "{line}");
        }
    }

    #[test]
    fn a_title_of_200_characters_fits_the_image_whole() {
        let fonts = fonts().unwrap();
        let title: String = "Atelier participatif sur la simplification des démarches \
            administratives des usagers ultramarins, avec les agents des préfectures, les \
            caisses et les associations du territoire, pour co-construire ensemble des services"
            .chars()
            .take(200)
            .collect();
        let (size, lines) = TITLE_SIZES[3];
        let (wrapped, cut) = wrap(&title, 1072.0, lines, |t| text_width(&fonts.bold, t, size));
        assert!(!cut, "{wrapped:?}");
        let svg = sharing_svg(&facts_with_title(&title), "https://mip.example.gouv.fr").unwrap();
        assert!(!svg.contains('…'), "{svg}");
        assert!(svg.contains("mip.example.gouv.fr"));
        // Far longer (the database allows 200): cut, with its ellipsis.
        let svg = sharing_svg(&facts_with_title(&"Atelier ".repeat(60)), "http://x").unwrap();
        assert!(svg.contains('…'));
        let png = render_png(&svg).unwrap();
        assert_eq!(&png[..4], b"\x89PNG");
    }

    #[test]
    fn what_organizers_typed_is_escaped_in_the_svg_and_the_poster() {
        let svg = sharing_svg(
            &facts_with_title("<script>alert(1)</script> & \"cité\""),
            "http://x",
        )
        .unwrap();
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        resvg::usvg::Tree::from_str(&svg, &fonts().unwrap().options).unwrap();
    }
}
