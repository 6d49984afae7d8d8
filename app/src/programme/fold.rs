//! French-aware text folding for the free-text search: case- and accent-insensitive,
//! ligatures expanded, elisions split, plurals matched. « Égalité » is found by "egalite",
//! « Ateliers » by "atelier", « l'accueil » by "accueil", « œuvre » by "oeuvre".

/// Folds one character to its unaccented lowercase form (possibly two letters for ligatures).
fn fold_char(c: char, out: &mut String) {
    let folded = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' | 'À' | 'Â' | 'Ä' | 'Á' | 'Ã' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'î' | 'ï' | 'í' | 'ì' | 'Î' | 'Ï' | 'Í' | 'Ì' => 'i',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' => 'o',
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' | 'Ú' => 'u',
        'ÿ' | 'Ÿ' | 'ý' | 'Ý' => 'y',
        'ñ' | 'Ñ' => 'n',
        'œ' | 'Œ' => {
            out.push_str("oe");
            return;
        }
        'æ' | 'Æ' => {
            out.push_str("ae");
            return;
        }
        c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
        c if c.is_alphanumeric() => {
            push_lowercase(c, out);
            return;
        }
        // Apostrophes, hyphens, punctuation and spaces all separate words.
        _ => ' ',
    };
    out.push(folded);
}

/// `c`, not ASCII, in lowercase or uppercase. On the server by Rust's Unicode tables; in the
/// browser by its own (`String.prototype.toLowerCase`/`toUpperCase`, the same Unicode default
/// case mapping), so that the wasm carries neither of core's case tables (≈ 24 kB raw,
/// 6.7 kB brotli of its data segment, which wasm-split cannot move into the programme's lazy
/// chunk).
fn push_case(c: char, upper: bool, out: &mut String) {
    #[cfg(all(target_arch = "wasm32", feature = "hydrate"))]
    {
        let c = js_sys::JsString::from(c);
        out.push_str(&String::from(if upper {
            c.to_upper_case()
        } else {
            c.to_lower_case()
        }));
    }
    #[cfg(not(all(target_arch = "wasm32", feature = "hydrate")))]
    if upper {
        out.extend(c.to_uppercase());
    } else {
        out.extend(c.to_lowercase());
    }
}

/// A letter other than ASCII and French accented Latin, in lowercase.
fn push_lowercase(c: char, out: &mut String) {
    push_case(c, false, out);
}

/// `s` with its first letter in uppercase.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out = String::with_capacity(s.len());
    if first.is_ascii() {
        out.push(first.to_ascii_uppercase());
    } else {
        push_case(first, true, &mut out);
    }
    out.push_str(chars.as_str());
    out
}

/// The folded text: lowercase ASCII-ish words separated by single spaces.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words of a query, folded, with the French plural mark dropped so that "ateliers" also
/// finds « atelier ». Elided articles (« l' », « d' ») become one-letter words and are dropped.
pub fn query_terms(query: &str) -> Vec<String> {
    fold(query)
        .split(' ')
        .filter(|w| w.chars().count() > 1)
        .map(|w| {
            if w.len() > 3 && (w.ends_with('s') || w.ends_with('x')) {
                w[..w.len() - 1].to_string()
            } else {
                w.to_string()
            }
        })
        .collect()
}

/// The folded words of a searchable text, ready for prefix matching.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Haystack {
    folded: String,
}

impl Haystack {
    pub fn new(parts: &[&str]) -> Self {
        let mut folded = String::new();
        for part in parts {
            folded.push(' ');
            folded.push_str(&fold(part));
        }
        folded.push(' ');
        Haystack { folded }
    }

    /// The folded words, each after a space, the last followed by one.
    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// Every term begins a word of the text.
    pub fn matches(&self, terms: &[String]) -> bool {
        terms.iter().all(|term| {
            let bytes = self.folded.as_bytes();
            self.folded
                .match_indices(term.as_str())
                .any(|(at, _)| at > 0 && bytes[at - 1] == b' ')
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(query: &str, text: &str) -> bool {
        Haystack::new(&[text]).matches(&query_terms(query))
    }

    #[test]
    fn folding_removes_case_accents_and_ligatures() {
        assert_eq!(fold("Égalité"), "egalite");
        assert_eq!(fold("ŒUVRE Æsthétique"), "oeuvre aesthetique");
        assert_eq!(fold("l'accueil des usagers"), "l accueil des usagers");
        assert_eq!(fold("Île-de-France   Ça"), "ile de france ca");
        assert_eq!(
            fold("ŁÓDŹ ΣΟΦΊΑ 2026"),
            "łodź σοφία 2026",
            "other letters: lowercase only"
        );
    }

    #[test]
    fn capitalize_uppercases_the_first_letter_only() {
        assert_eq!(capitalize("lundi 10 novembre"), "Lundi 10 novembre");
        assert_eq!(capitalize("été"), "Été");
        assert_eq!(capitalize("œuvre"), "Œuvre");
        assert_eq!(capitalize(""), "");
    }

    #[test]
    fn search_is_french_aware() {
        assert!(finds("egalite", "Égalité femmes-hommes"));
        assert!(finds("atelier", "Ateliers participatifs"));
        assert!(finds("ateliers", "Atelier participatif"));
        assert!(finds("accueil", "Repenser l'accueil"));
        assert!(finds("l'accueil", "Repenser l'accueil"));
        assert!(finds("oeuvre", "Mise en œuvre"));
        assert!(finds("REUNION", "La Réunion"));
        assert!(finds("ile france", "Île-de-France"));
        assert!(finds("données ia", "Données, numérique et IA"));
    }

    #[test]
    fn every_term_must_begin_a_word() {
        assert!(!finds("lier", "Ateliers"), "inside a word is not a match");
        assert!(!finds("atelier visite", "Atelier participatif"));
        assert!(finds("", "anything"), "an empty query matches everything");
        assert!(finds("  ", "anything"));
    }
}
