//! What a person typed in a form posted without JavaScript, kept for the page that shows the
//! form again with its error (issue 24: « nothing typed is lost »).
//!
//! A plain HTML form's post that fails is answered by a redirect to its page (`__path`,
//! `__err`: Leptos' own mechanism). The server's `carry_form_input` layer puts the submitted
//! fields here, minus secrets (passwords, codes, tokens: [`is_secret_field`]), and adds the
//! entry's key to that redirect (`__input`); the page's form ([`super::PageForm`]) reads the
//! entry back while it renders and its fields show those values.
//!
//! Kept on the server rather than in the URL: what was typed (an address, a refusal's reason,
//! a lab's description) stays out of the browser's history, the logs and length limits of
//! URLs. An entry lives [`KEPT_FOR`], under an unguessable key; the store is bounded in
//! entries and bytes (the oldest go first), so that posting mistakes cannot fill the memory.

/// The query parameter that names the kept entry in the redirect.
pub const INPUT_PARAM: &str = "__input";
/// The query parameter (and hidden field) that tells apart the forms of one page that post
/// the same server function (moderation's three decisions, a table's rows).
pub const FORM_PARAM: &str = "__form";

/// A field whose value is never kept nor shown again: passwords (whatever their name on
/// this site: `password`, `mot_de_passe`, `actuel`, `nouveau`), second-factor codes and
/// tokens. `server/tests/suite/forms_in_page.rs` checks that every `type="password"` input of the
/// site has such a name.
pub fn is_secret_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    const NAMES: &[&str] = &["actuel", "nouveau", "code", "jeton", "secret"];
    const PARTS: &[&str] = &["password", "passe", "token", "totp", "otp"];
    NAMES.contains(&name.as_str()) || PARTS.iter().any(|part| name.contains(part))
}

/// Longest value kept (a pasted CSV file may be longer: it is then named in `dropped`, and
/// its field says that it must be pasted again).
pub const MAX_VALUE_BYTES: usize = 256 * 1024;

/// The fields of one submission, as the form sent them (repeated names included), without
/// secrets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeptInput {
    pub pairs: Vec<(String, String)>,
    /// Fields not kept because they were too long.
    pub dropped: Vec<String>,
}

impl KeptInput {
    /// From an `application/x-www-form-urlencoded` body: secrets left out, invisible control
    /// characters (which the server refuses) taken out of what is shown again.
    pub fn from_form_body(body: &[u8]) -> Self {
        let mut kept = KeptInput::default();
        for (name, value) in form_urlencoded::parse(body) {
            if is_secret_field(&name) || name == FORM_PARAM {
                continue;
            }
            if value.len() > MAX_VALUE_BYTES {
                kept.dropped.push(name.into_owned());
                continue;
            }
            let value: String = value
                .chars()
                .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
                .collect();
            kept.pairs.push((name.into_owned(), value));
        }
        kept
    }

    /// The first value sent for `name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether `name` was sent with `value` (a ticked checkbox, a chosen option).
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.pairs.iter().any(|(n, v)| n == name && v == value)
    }

    #[cfg(feature = "ssr")]
    fn bytes(&self) -> usize {
        self.pairs
            .iter()
            .map(|(n, v)| n.len() + v.len())
            .sum::<usize>()
            + 64
    }
}

#[cfg(feature = "ssr")]
pub use store::*;

#[cfg(feature = "ssr")]
mod store {
    use super::KeptInput;
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    /// How long a kept submission can be read back.
    pub const KEPT_FOR: Duration = Duration::from_secs(30 * 60);
    const MAX_ENTRIES: usize = 512;
    const MAX_BYTES: usize = 16 * 1024 * 1024;

    struct Entry {
        key: String,
        at: Instant,
        input: Arc<KeptInput>,
    }

    /// The kept submissions of the process (in `AppState`).
    #[derive(Clone, Default)]
    pub struct KeptInputs {
        entries: Arc<Mutex<VecDeque<Entry>>>,
    }

    impl KeptInputs {
        /// Keeps a submission; returns its key (128 random bits, hex).
        pub fn keep(&self, input: KeptInput) -> String {
            use rand::RngCore;
            let mut bytes = [0u8; 16];
            rand::rng().fill_bytes(&mut bytes);
            let key = hex::encode(bytes);
            let now = Instant::now();
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            entries.retain(|e| now.duration_since(e.at) < KEPT_FOR);
            entries.push_back(Entry {
                key: key.clone(),
                at: now,
                input: Arc::new(input),
            });
            let mut total: usize = entries.iter().map(|e| e.input.bytes()).sum();
            while entries.len() > MAX_ENTRIES || (total > MAX_BYTES && entries.len() > 1) {
                if let Some(old) = entries.pop_front() {
                    total -= old.input.bytes();
                }
            }
            key
        }

        /// The submission kept under `key`, if it is still there. Read as often as the page
        /// is (a reload shows the same values), until it expires.
        pub fn get(&self, key: &str) -> Option<Arc<KeptInput>> {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            entries
                .iter()
                .find(|e| e.key == key && e.at.elapsed() < KEPT_FOR)
                .map(|e| e.input.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_never_kept() {
        let kept = KeptInput::from_form_body(
            b"email=a%40b.fr&password=hunter2&mot_de_passe=x&actuel=y&nouveau=z&code=123456\
              &jeton=t&name=Ana%01s&__form=refus",
        );
        assert_eq!(
            kept.pairs,
            vec![
                ("email".to_string(), "a@b.fr".to_string()),
                ("name".to_string(), "Anas".to_string())
            ]
        );
        for name in [
            "password",
            "new_password",
            "mot_de_passe",
            "totp_code",
            "code",
            "csrf_token",
        ] {
            assert!(is_secret_field(name), "{name}");
        }
        for name in [
            "email",
            "name",
            "description",
            "message",
            "libelle",
            "postal_code",
        ] {
            assert!(!is_secret_field(name), "{name}");
        }
    }

    #[test]
    fn a_value_too_long_is_named_not_kept() {
        let body = format!("csv={}&dry_run=oui", "a".repeat(MAX_VALUE_BYTES + 1));
        let kept = KeptInput::from_form_body(body.as_bytes());
        assert_eq!(kept.dropped, vec!["csv".to_string()]);
        assert_eq!(kept.value("dry_run"), Some("oui"));
        assert!(kept.has("dry_run", "oui"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn kept_entries_are_found_by_their_key_and_bounded() {
        let store = KeptInputs::default();
        let key = store.keep(KeptInput::from_form_body(b"name=Ana"));
        assert_eq!(key.len(), 32);
        assert_eq!(store.get(&key).unwrap().value("name"), Some("Ana"));
        assert!(store.get("0123").is_none());
        for _ in 0..600 {
            store.keep(KeptInput::default());
        }
        assert!(store.get(&key).is_none(), "the oldest entry goes first");
    }
}
