//! Sign-in with ProConnect, the State's identity federation for public agents (OpenID
//! Connect). Shown only when the server is configured for it (`MIP_PROCONNECT_ISSUER`,
//! `MIP_PROCONNECT_CLIENT_ID`, `MIP_PROCONNECT_CLIENT_SECRET`).
//!
//! The way through: the button (`/connexion/proconnect`, a plain link) sends the browser to
//! ProConnect with a fresh `state`, `nonce` and PKCE challenge, kept server-side and bound to
//! the browser by a cookie; ProConnect sends it back to `/connexion/proconnect/retour`, where
//! the code is exchanged and the identity checked (`oidc`). Then:
//! - an identity already linked signs its account in (staff still type their second factor);
//! - an address that already has an account asks for that account's password once, to link
//!   them (`/connexion/proconnect/lier`): an address alone never opens an account;
//! - otherwise the account is created with the name and address from ProConnect, after the
//!   person gives what ProConnect does not know (structure, its type, region:
//!   `/inscription/proconnect`).
//!
//! Every failure (cancelled, refused, a wrong or used `state`, a replayed code, a bad
//! signature, an expired token, ProConnect unreachable) ends on `/connexion` with a French
//! message and no session. Sign-out also ends the ProConnect session (`/connexion/proconnect/fin`
//! sends the browser to ProConnect's end-session endpoint with the ID token as its hint).
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod oidc;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "ssr")]
pub use oidc::ProConnect;

/// The button's target: starts a sign-in (`?retour=` a local path to go back to).
pub const START_PATH: &str = "/connexion/proconnect";
/// Where ProConnect sends the browser back (the registered redirect URI).
pub const CALLBACK_PATH: &str = "/connexion/proconnect/retour";
/// A first sign-in: what ProConnect does not know about the person's structure.
pub const COMPLETE_PATH: &str = "/inscription/proconnect";
/// An address that already has an account: its password links the two.
pub const LINK_PATH: &str = "/connexion/proconnect/lier";
/// Sign-out's way to ProConnect's end-session endpoint.
pub const END_PATH: &str = "/connexion/proconnect/fin";
/// Where ProConnect sends the browser back after its own sign-out (the registered
/// post-logout redirect URI).
pub const SIGNED_OUT_PATH: &str = "/connexion/proconnect/deconnecte";
/// The query parameter of `/connexion` that names what happened (see [`Failure::message`]).
pub const OUTCOME_PARAM: &str = "proconnect";

/// Why a ProConnect sign-in did not sign anybody in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The person cancelled at ProConnect (`access_denied`).
    Cancelled,
    /// ProConnect answered with another error.
    Refused,
    /// No sign-in of this browser waits for this `state`: forged, already used, expired,
    /// or started in another browser.
    State,
    /// The code was refused (already used, or not this client's), or the token is wrong.
    Token,
    /// A signature that does not verify with ProConnect's keys.
    Signature,
    /// A token past its expiry.
    Expired,
    /// The identity lacks a usable e-mail address.
    Identity,
    /// ProConnect could not be reached, or answered nonsense.
    Unavailable,
    /// The linked account is disabled.
    Disabled,
}

impl Failure {
    pub const ALL: [Failure; 9] = [
        Failure::Cancelled,
        Failure::Refused,
        Failure::State,
        Failure::Token,
        Failure::Signature,
        Failure::Expired,
        Failure::Identity,
        Failure::Unavailable,
        Failure::Disabled,
    ];

    /// Its value in `/connexion?proconnect=…`.
    pub fn code(self) -> &'static str {
        match self {
            Failure::Cancelled => "annule",
            Failure::Refused => "refus",
            Failure::State => "session",
            Failure::Token => "jeton",
            Failure::Signature => "signature",
            Failure::Expired => "expire",
            Failure::Identity => "identite",
            Failure::Unavailable => "indisponible",
            Failure::Disabled => "desactive",
        }
    }

    pub fn from_code(code: &str) -> Option<Failure> {
        Failure::ALL.into_iter().find(|f| f.code() == code)
    }

    /// What the sign-in page says.
    pub fn message(self) -> &'static str {
        match self {
            Failure::Cancelled => "Vous avez annulé la connexion avec ProConnect. Vous pouvez réessayer, ou vous connecter avec votre mot de passe.",
            Failure::Refused => "ProConnect a refusé la connexion. Réessayez, ou connectez-vous avec votre mot de passe.",
            Failure::State => "Cette connexion avec ProConnect a expiré ou a déjà servi. Recommencez avec le bouton « S'identifier avec ProConnect ».",
            Failure::Token => "ProConnect n'a pas confirmé votre identité. Recommencez avec le bouton « S'identifier avec ProConnect ».",
            Failure::Signature => "La réponse de ProConnect n'a pas pu être vérifiée : personne n'a été connecté. Recommencez dans un instant.",
            Failure::Expired => "La réponse de ProConnect a expiré avant d'arriver : personne n'a été connecté. Recommencez.",
            Failure::Identity => "ProConnect n'a pas transmis d'adresse électronique utilisable : connectez-vous avec votre mot de passe, ou créez un compte.",
            Failure::Unavailable => "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou connectez-vous avec votre mot de passe.",
            Failure::Disabled => "Ce compte a été désactivé. Écrivez à l'équipe du Mois pour le réactiver.",
        }
    }
}

/// `/connexion?proconnect=deconnecte`: signed out of the site and of ProConnect.
pub const SIGNED_OUT_CODE: &str = "deconnecte";

/// A checked ProConnect identity (the claims of its pivot the platform uses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// ProConnect's stable identifier of the person.
    pub sub: String,
    pub email: String,
    /// `given_name` and `usual_name`.
    pub name: String,
    pub siret: Option<String>,
    /// The raw ID token, kept as the end-session hint.
    pub id_token: String,
}

/// What the pages of a pending ProConnect identity show.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingIdentity {
    pub name: String,
    pub email: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_has_its_own_code_and_a_french_message() {
        let mut codes: Vec<_> = Failure::ALL.iter().map(|f| f.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Failure::ALL.len());
        for failure in Failure::ALL {
            assert_eq!(Failure::from_code(failure.code()), Some(failure));
            assert!(failure.message().ends_with('.'));
        }
        assert_eq!(Failure::from_code(SIGNED_OUT_CODE), None);
        assert_eq!(Failure::from_code("<script>"), None);
    }
}
