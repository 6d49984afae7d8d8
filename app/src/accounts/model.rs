//! Account types sent to the browser.
use serde::{Deserialize, Serialize};

use crate::reference::Role;

/// The signed-in person, as pages need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentAccount {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub structure: String,
    pub role: Role,
    pub organizer_type_id: Option<i64>,
    pub region_code: Option<String>,
}

/// Where a moderator or an administrator types their second factor after the password.
pub const SECOND_FACTOR_PATH: &str = "/connexion/code";

/// What the second factor's page shows: nothing but the code field once enrolled; at
/// enrolment, the new secret (as a QR code and as text) and the recovery codes, this once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorSetup {
    pub enrolling: bool,
    pub qr_svg: crate::html::Html,
    pub secret: String,
    pub recovery_codes: Vec<String>,
}

/// A local path to go back to after signing in (never another site).
pub fn safe_return_path(path: &str) -> Option<&str> {
    // A path of this site and nothing a browser could read otherwise: no second slash or
    // backslash after the first (`//host`, `/\host`), no whitespace or control character
    // (browsers drop a TAB or a new line, so `/\t/host` is `//host`), no percent-encoding
    // (decoded later, by someone else), ASCII only.
    let mut bytes = path.bytes();
    let ok = bytes.next() == Some(b'/')
        && !matches!(path.as_bytes().get(1), Some(b'/' | b'\\'))
        && path.len() <= 500
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.~?=&,;:+!*'()@$#".contains(&b));
    ok.then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_return_path("/organisateur"), Some("/organisateur"));
        assert_eq!(
            safe_return_path("/organisateur/evenements/3?x=1"),
            Some("/organisateur/evenements/3?x=1")
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "organisateur",
            "",
            "/\t/evil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/\\/evil.example",
            "/organisateur\u{0}",
            "/organisateur\r\nSet-Cookie: x=1",
            "/\u{1}x",
            "/ /evil.example",
            "/é",
            "\\evil.example",
            "/x\u{202e}",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad}");
        }
    }
}
