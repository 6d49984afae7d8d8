//! Event descriptions are Markdown typed by organizers: rendered with `pulldown-cmark`, then
//! cleaned with `ammonia` (an allow-list of tags and attributes; links get
//! `rel="noopener noreferrer"`; only http, https and mailto links survive).
use pulldown_cmark::{html, Options, Parser};

pub fn to_safe_html(markdown: &str) -> crate::html::Html {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    let parser = Parser::new_ext(markdown, options);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    crate::html::Html::from_sanitized(
        ammonia::Builder::default()
            .url_schemes(["http", "https", "mailto"].into())
            .link_rel(Some("noopener noreferrer"))
            // Headings start at h3: the page has its h1 and section h2s.
            .rm_tags(["h1", "h2", "img"])
            .clean(&unsafe_html)
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered() {
        let html = to_safe_html(
            "**Programme** :\n\n- accueil\n- atelier\n\n[Inscription](https://exemple.gouv.fr)",
        );
        assert!(html.contains("<strong>Programme</strong>"));
        assert!(html.contains("<li>atelier</li>"));
        assert!(
            html.contains(
                r#"<a href="https://exemple.gouv.fr" rel="noopener noreferrer">Inscription</a>"#
            ),
            "{html}"
        );
    }

    #[test]
    fn scripts_and_dangerous_links_are_removed() {
        let html = to_safe_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <a href=\"https://a.fr\" onclick=\"steal()\">a</a>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
    }
}
