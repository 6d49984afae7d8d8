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

/// A local path to go back to after signing in (never another site).
pub fn safe_return_path(path: &str) -> Option<&str> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.contains(['\r', '\n'])
        && path.len() <= 500;
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
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad}");
        }
    }
}
