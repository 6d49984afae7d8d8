//! The OpenID Connect exchange with ProConnect (server only), through the `openidconnect`
//! crate: discovery, the authorization request (code flow with PKCE, `state` and `nonce`),
//! the code exchange, the ID token's checks (signature, issuer, audience, expiry, nonce), the
//! signed userinfo (a JWT whose signature, issuer, audience and subject are checked) and the
//! end-session address.
use std::str::FromStr;

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod, CoreErrorResponseType,
    CoreGenderClaim, CoreIdToken,
};
use openidconnect::{
    AdditionalClaims, AuthType, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret,
    CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, RequestTokenError, Scope,
    TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};

use super::{Failure, Identity, CALLBACK_PATH, SIGNED_OUT_PATH};

/// ProConnect's scopes are named after the claims of its identity pivot.
pub const SCOPES: [&str; 5] = ["given_name", "usual_name", "email", "uid", "siret"];

/// How long ProConnect may take to answer one request.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The claims of ProConnect's identity pivot beside the standard ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PivotClaims {
    pub usual_name: Option<String>,
    pub uid: Option<String>,
    pub siret: Option<String>,
}
impl AdditionalClaims for PivotClaims {}

/// The relying party's settings (MIP_PROCONNECT_ISSUER, _CLIENT_ID, _CLIENT_SECRET).
pub struct ProConnect {
    issuer: IssuerUrl,
    client_id: String,
    client_secret: String,
    /// The site's public address: the callback and the address after sign-out.
    public_url: String,
    http: reqwest::Client,
}

impl std::fmt::Debug for ProConnect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProConnect")
            .field("issuer", &self.issuer.as_str())
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// What the authorization request leaves to check the answer with.
pub struct Started {
    pub url: String,
    pub state: String,
    pub pkce_verifier: String,
    pub nonce: String,
}

type Metadata = ProviderMetadataWithLogout;

impl ProConnect {
    pub fn new(
        issuer: &str,
        client_id: &str,
        client_secret: &str,
        public_url: &str,
    ) -> Result<Self, String> {
        let issuer = IssuerUrl::new(issuer.trim_end_matches('/').to_string())
            .map_err(|e| format!("MIP_PROCONNECT_ISSUER : {e}"))?;
        let http = reqwest::Client::builder()
            // Following redirects would let the provider's answers send us elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            // A few requests per sign-in, minutes apart: a connection kept idle would mostly
            // be closed by the other side meanwhile, and fail the next sign-in.
            .pool_max_idle_per_host(0)
            .build()
            .map_err(|e| format!("client HTTP ProConnect : {e}"))?;
        Ok(ProConnect {
            issuer,
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            public_url: public_url.trim_end_matches('/').to_string(),
            http,
        })
    }

    /// The provider's identifier, as its answers name it (`iss`).
    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    /// The provider's metadata and keys, read at each sign-in (one request each, at a
    /// moment when the person waits for a redirect anyway): a key rotation is seen at once.
    async fn discover(&self) -> Result<Metadata, Failure> {
        Metadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "ProConnect : découverte impossible");
                Failure::Unavailable
            })
    }

    fn client(
        &self,
        metadata: &Metadata,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        Failure,
    > {
        let redirect = RedirectUrl::new(format!("{}{CALLBACK_PATH}", self.public_url))
            .map_err(|_| Failure::Unavailable)?;
        // HTTP Basic unless the provider only takes the secret in the body (ProConnect
        // lists `client_secret_post`).
        let basic = metadata
            .token_endpoint_auth_methods_supported()
            .is_none_or(|methods| methods.contains(&CoreClientAuthMethod::ClientSecretBasic));
        let auth = if basic {
            AuthType::BasicAuth
        } else {
            AuthType::RequestBody
        };
        Ok(CoreClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(self.client_id.clone()),
            Some(ClientSecret::new(self.client_secret.clone())),
        )
        .set_redirect_uri(redirect)
        .set_auth_type(auth))
    }

    /// The authorization request's address, and what to keep to check its answer.
    pub async fn start(&self) -> Result<Started, Failure> {
        let metadata = self.discover().await?;
        let client = self.client(&metadata)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in SCOPES {
            request = request.add_scope(Scope::new(scope.to_string()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok(Started {
            url: url.to_string(),
            state: state.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            nonce: nonce.secret().clone(),
        })
    }

    /// The identity behind an authorization code: the code exchanged (with the PKCE
    /// verifier), the ID token checked (with the nonce), then the signed userinfo.
    pub async fn finish(
        &self,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
    ) -> Result<Identity, Failure> {
        let metadata = self.discover().await?;
        let client = self.client(&metadata)?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|_| Failure::Unavailable)?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                let refused = matches!(&e, RequestTokenError::ServerResponse(r)
                    if *r.error() == CoreErrorResponseType::InvalidGrant);
                tracing::warn!(error = %e, "ProConnect : échange du code refusé");
                if refused {
                    Failure::Token
                } else {
                    Failure::Unavailable
                }
            })?;
        let id_token = tokens.id_token().ok_or(Failure::Token)?;
        let verifier = client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(nonce.to_string()))
            .map_err(|e| {
                tracing::warn!(error = %e, "ProConnect : jeton d'identité refusé");
                claims_failure(&e)
            })?;
        let subject = claims.subject().clone();
        let userinfo: UserInfoClaims<PivotClaims, CoreGenderClaim> = client
            .user_info(tokens.access_token().clone(), Some(subject.clone()))
            .map_err(|_| Failure::Unavailable)?
            .require_signed_response(true)
            .request_async(&self.http)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "ProConnect : informations d'identité refusées");
                match &e {
                    openidconnect::UserInfoError::ClaimsVerification(c) => claims_failure(c),
                    _ => Failure::Token,
                }
            })?;
        let given = userinfo
            .given_name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().trim().to_string())
            .unwrap_or_default();
        let extra = userinfo.additional_claims();
        let usual = extra.usual_name.as_deref().unwrap_or("").trim().to_string();
        let email = userinfo
            .email()
            .map(|e| e.as_str().trim().to_string())
            .ok_or(Failure::Identity)?;
        Ok(Identity {
            sub: subject.as_str().to_string(),
            email,
            name: format!("{given} {usual}").trim().to_string(),
            siret: extra.siret.clone().filter(|s| !s.trim().is_empty()),
            id_token: id_token.to_string(),
        })
    }

    /// Where to send the browser to end its ProConnect session too, with the ID token as
    /// the hint and the way back to the site; `None` when the provider has no such endpoint.
    pub async fn end_session_url(&self, id_token: &str) -> Option<String> {
        let metadata = self.discover().await.ok()?;
        let endpoint = metadata
            .additional_metadata()
            .end_session_endpoint
            .clone()?;
        let hint = CoreIdToken::from_str(id_token).ok()?;
        let back =
            PostLogoutRedirectUrl::new(format!("{}{SIGNED_OUT_PATH}", self.public_url)).ok()?;
        Some(
            openidconnect::LogoutRequest::from(endpoint)
                .set_id_token_hint(&hint)
                .set_client_id(ClientId::new(self.client_id.clone()))
                .set_post_logout_redirect_uri(back)
                .set_state(CsrfToken::new_random())
                .http_get_url()
                .to_string(),
        )
    }
}

fn claims_failure(error: &ClaimsVerificationError) -> Failure {
    match error {
        ClaimsVerificationError::Expired(_) => Failure::Expired,
        ClaimsVerificationError::SignatureVerification(_) => Failure::Signature,
        _ => Failure::Token,
    }
}
