//! Markup whose escaping is a type (issue 27): [`Html`] is built from literals, escaped text,
//! escaped attribute values and numbers only, so that a runtime string written into a page
//! unescaped does not compile.
//!
//! The markup written as strings (the programme's page, run on the server and again in the
//! browser, the cards, the save buttons) goes through it; Leptos' views escape by themselves.
//!
//! ```
//! use app::html::{attr, text, Html};
//! use app::{html, html_write};
//!
//! let title = String::from("Atelier <b> & « égalité »");
//! let mut page = html!(r#"<a href="/e/{}">{}</a>"#, attr("a\"b"), text(&title));
//! html_write!(page, "<p>{n} {label}</p>", n = 3, label = "événements");
//! assert_eq!(
//!     page.as_str(),
//!     r#"<a href="/e/a&quot;b">Atelier &lt;b&gt; &amp; « égalité »</a><p>3 événements</p>"#
//! );
//! assert_eq!(Html::text("<b>").into_string(), "&lt;b&gt;");
//! ```
//!
//! A `String` is refused, whether given as an argument (E0277, « `String` is not markup »)
//! or captured by its name (E0080, the format is checked at compile time); stable rustdoc
//! does not check the codes, so each refused line has its twin that compiles below:
//!
//! ```compile_fail,E0277
//! let title = String::from("<script>");
//! let _ = app::html!("<h1>{}</h1>", title);
//! ```
//!
//! ```compile_fail,E0080
//! let title = String::from("<script>");
//! let _ = app::html!("<h1>{title}</h1>");
//! ```
//!
//! ```
//! # use app::html::text;
//! let title = String::from("<script>");
//! let _ = app::html!("<h1>{}</h1>", text(&title));
//! let _ = app::html!("<h1>{title}</h1>", title = text(&title));
//! ```
use std::fmt::{self, Write};

use html_escape::{encode_double_quoted_attribute, encode_text};

/// A piece of markup: literals, escaped text and attribute values, numbers.
// Serialized as its text: markup a server function of this site made goes to the browser as
// `Html` (a sanitised description, a QR code). No server function takes `Html` as an argument:
// a visitor's text never becomes `Html` this way.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Html(String);

/// What may be written into [`Html`] as it is: markup (`Html`, literals, [`text`], [`attr`])
/// and numbers. A runtime `String` is not: escape it first.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not markup: escape it with `html::text` or `html::attr`",
    label = "unescaped",
    note = "`Html` takes literals (`&'static str`), `Html`, `text(..)`, `attr(..)` and numbers"
)]
pub trait Markup {
    /// Writes the markup.
    fn write_markup(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl Html {
    pub const fn new() -> Self {
        Html(String::new())
    }

    pub fn with_capacity(capacity: usize) -> Self {
        Html(String::with_capacity(capacity))
    }

    /// Markup written in the code.
    pub fn lit(markup: &'static str) -> Self {
        Html(markup.to_string())
    }

    /// Text, escaped (`&`, `<`, `>`): an element's content.
    pub fn text(text: &str) -> Self {
        Html(encode_text(text).into_owned())
    }

    /// The escape hatch, for markup that is safe already: ammonia's output
    /// (`organizer::markdown`), and markup this program generates without any outside text in
    /// it (the QR code's SVG, `accounts::second_factor::qr_svg`). Nothing else. Grep for it.
    pub fn from_sanitized(html: String) -> Self {
        Html(html)
    }

    /// Appends markup.
    pub fn push(&mut self, part: impl Markup) {
        let _ = write!(self.0, "{}", Piece(&part));
    }

    /// Appends text, escaped.
    pub fn push_text(&mut self, text: &str) {
        self.0.push_str(&encode_text(text));
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The markup, for `inner_html`.
    pub fn into_string(self) -> String {
        self.0
    }

    /// For `html!` and `html_write!` only, whose arguments are [`Markup`] (`check_format`).
    #[doc(hidden)]
    pub fn __push_checked(&mut self, args: fmt::Arguments<'_>) {
        let _ = self.0.write_fmt(args);
    }
}

impl std::ops::Deref for Html {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl From<Html> for String {
    fn from(html: Html) -> String {
        html.0
    }
}

impl Markup for Html {
    fn write_markup(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A literal (`&'static str`): markup written in the code.
impl Markup for &'static str {
    fn write_markup(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl Markup for &Html {
    fn write_markup(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).write_markup(f)
    }
}

/// Text, escaped when written (`&`, `<`, `>`): an element's content.
pub struct Text<'a>(&'a str);

/// `s` as an element's content, escaped.
pub fn text(s: &str) -> Text<'_> {
    Text(s)
}

impl Markup for Text<'_> {
    fn write_markup(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&encode_text(self.0))
    }
}

/// An attribute's value, escaped when written (`&`, `<`, `>`, `"`): between double quotes.
pub struct Attr<'a>(&'a str);

/// `s` as an attribute's value between double quotes, escaped.
pub fn attr(s: &str) -> Attr<'_> {
    Attr(s)
}

impl Markup for Attr<'_> {
    fn write_markup(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&encode_double_quoted_attribute(self.0))
    }
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl Markup for $t {
            fn write_markup(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(self, f)
            }
        }
    )*};
}
numbers!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize, bool, f32, f64);

/// A [`Markup`] argument of `html!`, written by `format_args!` (keeping its width and fill).
#[doc(hidden)]
pub struct Piece<'a, T: ?Sized>(&'a T);

/// The only way `html!` passes an argument: one that is not [`Markup`] does not compile.
#[doc(hidden)]
pub fn piece<T: Markup + ?Sized>(value: &T) -> Piece<'_, T> {
    Piece(value)
}

impl<T: Markup + ?Sized> fmt::Display for Piece<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write_markup(f)
    }
}

/// Whether every `{…}` of `format` names a given argument: positional (`{}`, `{0}`) or one of
/// `names`, with no width or precision taken from a variable (`{:w$}`). `format_args!` would
/// otherwise capture a variable of the caller by its name, unchecked.
#[doc(hidden)]
pub const fn check_format(format: &str, names: &[&str]) -> bool {
    let b = format.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' && i + 1 < b.len() && b[i + 1] == b'{' {
            i += 2;
            continue;
        }
        if b[i] != b'{' {
            i += 1;
            continue;
        }
        // The argument: up to `:` or `}`.
        let start = i + 1;
        let mut end = start;
        while end < b.len() && b[end] != b':' && b[end] != b'}' {
            end += 1;
        }
        if !(end == start || is_digits(b, start, end) || is_one_of(b, start, end, names)) {
            return false;
        }
        i = end;
        while i < b.len() && b[i] != b'}' {
            if b[i] == b'$' {
                return false;
            }
            i += 1;
        }
    }
    true
}

const fn is_digits(b: &[u8], start: usize, end: usize) -> bool {
    let mut i = start;
    while i < end {
        if !b[i].is_ascii_digit() {
            return false;
        }
        i += 1;
    }
    true
}

const fn is_one_of(b: &[u8], start: usize, end: usize, names: &[&str]) -> bool {
    let mut k = 0;
    while k < names.len() {
        let name = names[k].as_bytes();
        if name.len() == end - start {
            let mut j = 0;
            while j < name.len() && name[j] == b[start + j] {
                j += 1;
            }
            if j == name.len() {
                return true;
            }
        }
        k += 1;
    }
    false
}

/// Markup from a format string and [`Markup`] arguments, all positional or all named:
/// `html!(r#"<a href="{}">{}</a>"#, attr(&href), text(&label))`. A `String` does not compile,
/// nor does a variable captured by its name (`{title}` without `title = …`).
#[macro_export]
macro_rules! html {
    ($($args:tt)*) => {{
        let mut out = $crate::html::Html::new();
        $crate::html_write!(out, $($args)*);
        out
    }};
}

/// [`html!`] appended to an `Html`.
#[macro_export]
macro_rules! html_write {
    ($out:expr, $format:literal $(, $name:ident = $arg:expr)+ $(,)?) => {{
        const _: () = assert!(
            $crate::html::check_format($format, &[$(stringify!($name)),+]),
            "html!: every {{…}} must name an argument (no variable captured by its name)"
        );
        $out.__push_checked(format_args!($format $(, $name = $crate::html::piece(&$arg))+))
    }};
    ($out:expr, $format:literal $(, $arg:expr)* $(,)?) => {{
        const _: () = assert!(
            $crate::html::check_format($format, &[]),
            "html!: every {{…}} must name an argument (no variable captured by its name)"
        );
        $out.__push_checked(format_args!($format $(, $crate::html::piece(&$arg))*))
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_names_its_arguments_or_is_refused() {
        assert!(check_format("<p>{}{0}{:02}</p>", &[]));
        assert!(check_format("<p>{{x}} {a}{b:>3}</p>", &["a", "b"]));
        assert!(!check_format("<p>{x}</p>", &[]));
        assert!(!check_format("<p>{a}{x}</p>", &["a", "ab"]));
        assert!(!check_format("<p>{:w$}</p>", &[]));
        assert!(!check_format("<p>{:.p$}</p>", &["p"]));
    }

    #[test]
    fn text_and_attributes_are_escaped_numbers_keep_their_format() {
        let evil = r#"<script>"&'"#;
        let mut html = crate::html!(
            r#"<a title="{t}">{c}</a>{n:02}{b}"#,
            t = attr(evil),
            c = text(evil),
            n = 7u32,
            b = true,
        );
        html.push_text(evil);
        let amp = Html::text("&");
        html.push(&amp);
        html.push(amp);
        assert_eq!(
            html.as_str(),
            r#"<a title="&lt;script&gt;&quot;&amp;'">&lt;script&gt;"&amp;'</a>07true&lt;script&gt;"&amp;'&amp;&amp;"#
        );
    }
}
