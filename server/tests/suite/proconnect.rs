//! Sign-in with ProConnect against a real OpenID provider: `oidc-provider` (the certified
//! Node library) configured as ProConnect (its scopes and claims, a signed userinfo, an
//! end-session endpoint), started on loopback by each test (end2end/oidc/provider.mjs). Its
//! control API breaks answers on purpose (a bad signature, an expired token, a cancel); a
//! replayed code is refused by the provider itself.
use crate::common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use sqlx::SqlitePool;

use common::{send, test_now, Reply, SITE};
use server::db::MIGRATOR;

const CLIENT_ID: &str = "mip-test";
const CLIENT_SECRET: &str = "mip-test-secret";
const NEW_AGENT: &str = "agent.nouveau@example.gouv.fr";
const EXISTING: &str = "dominique.bernard@example.gouv.fr";
const EXISTING_PASSWORD: &str = "une phrase de passe solide";

/// The provider, stopped when dropped.
struct Provider {
    child: Child,
    issuer: String,
    http: reqwest::Client,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Provider {
    fn start() -> Provider {
        let port = free_port();
        let mut child = Command::new("node")
            .arg("../end2end/oidc/provider.mjs")
            .env("OIDC_PORT", port.to_string())
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env(
                "OIDC_REDIRECT_URIS",
                format!("{SITE}{}", app::accounts::proconnect::CALLBACK_PATH),
            )
            .env(
                "OIDC_POST_LOGOUT_REDIRECT_URIS",
                format!("{SITE}{}", app::accounts::proconnect::SIGNED_OUT_PATH),
            )
            .env("OIDC_AUTO_LOGIN", "1")
            .env("OIDC_LINK_EMAIL", EXISTING)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node end2end/oidc/provider.mjs (run `npm ci --prefix end2end/oidc`)");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while stdout.read_line(&mut line).unwrap() > 0 {
            if line.starts_with("ready ") {
                break;
            }
            line.clear();
        }
        assert!(line.starts_with("ready "), "the provider did not start");
        // What it prints later is read (and dropped): a closed pipe would stop it.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Provider {
            child,
            issuer: format!("http://127.0.0.1:{port}"),
            http,
        }
    }

    fn relying_party(&self) -> app::accounts::proconnect::ProConnect {
        app::accounts::proconnect::ProConnect::new(&self.issuer, CLIENT_ID, CLIENT_SECRET, SITE)
            .unwrap()
    }

    async fn mischief(&self, mode: &str) {
        let status = self
            .http
            .post(format!("{}/__test/mischief", self.issuer))
            .header("content-type", "application/json")
            .body(format!(r#"{{"mode":"{mode}"}}"#))
            .send()
            .await
            .unwrap()
            .status();
        assert!(status.is_success(), "mischief {mode}: {status}");
    }

    /// Follows the provider's redirects (with its cookies) from `url` until the browser is
    /// sent back to the site; returns that address.
    async fn follow(&self, url: &str, jar: &mut HashMap<String, String>) -> String {
        let mut url = url.to_string();
        for _ in 0..10 {
            if url.starts_with(SITE) {
                return url;
            }
            let cookies: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let response = self
                .http
                .get(&url)
                .header("cookie", cookies.join("; "))
                .send()
                .await
                .unwrap();
            for value in response.headers().get_all("set-cookie") {
                let pair = value.to_str().unwrap().split(';').next().unwrap();
                if let Some((k, v)) = pair.split_once('=') {
                    jar.insert(k.trim().to_string(), v.to_string());
                }
            }
            let location = response
                .headers()
                .get("location")
                .unwrap_or_else(|| panic!("{url}: {} without a redirect", response.status()))
                .to_str()
                .unwrap()
                .to_string();
            url = if location.starts_with('/') {
                format!("{}{location}", self.issuer)
            } else {
                location
            };
        }
        panic!("too many redirects");
    }
}

/// A browser on the site: its cookies, its requests through the router.
struct Browser {
    app: Router,
    cookies: HashMap<String, String>,
    provider_cookies: HashMap<String, String>,
}

impl Browser {
    fn new(app: &Router) -> Browser {
        Browser {
            app: app.clone(),
            cookies: HashMap::new(),
            provider_cookies: HashMap::new(),
        }
    }

    fn request(&self, method: &str, uri: &str, body: Option<(String, &str)>) -> Request<Body> {
        let path = uri.strip_prefix(SITE).unwrap_or(uri);
        let cookies: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, cookies.join("; "));
        if let Some((_, from)) = &body {
            // A form posted from its page, which it comes back to with its mistake.
            builder = builder
                .header(header::ORIGIN, SITE)
                .header(header::REFERER, format!("{SITE}{from}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let mut request = builder
            .body(body.map(|(b, _)| Body::from(b)).unwrap_or_else(Body::empty))
            .unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [127, 0, 0, 1],
                40000,
            ))));
        request
    }

    fn keep(&mut self, reply: &Reply) {
        for value in reply.headers.get_all(header::SET_COOKIE) {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
    }

    async fn get(&mut self, uri: &str) -> Reply {
        let reply = send(&self.app, self.request("GET", uri, None)).await;
        self.keep(&reply);
        reply
    }

    async fn post(&mut self, from: &str, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let reply = send(&self.app, self.request("POST", path, Some((body, from)))).await;
        self.keep(&reply);
        reply
    }

    /// The site's button, then ProConnect (signed in as `email` at once), up to the address
    /// ProConnect sends the browser back to (not followed).
    async fn via_provider(&mut self, provider: &Provider, email: &str) -> String {
        let start = self.get("/connexion/proconnect?retour=/organisateur").await;
        assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
        let authorize = location(&start);
        assert!(authorize.starts_with(&provider.issuer), "{authorize}");
        for expected in [
            "code_challenge_method=S256",
            "nonce=",
            "state=",
            "scope=openid+given_name+usual_name+email+uid+siret",
        ] {
            assert!(authorize.contains(expected), "{expected} in {authorize}");
        }
        let hint: String = form_urlencoded::byte_serialize(email.as_bytes()).collect();
        let mut jar = std::mem::take(&mut self.provider_cookies);
        let back = provider
            .follow(&format!("{authorize}&login_hint={hint}"), &mut jar)
            .await;
        self.provider_cookies = jar;
        back
    }

    /// The whole way: to ProConnect and back through the callback.
    async fn proconnect(&mut self, provider: &Provider, email: &str) -> Reply {
        let back = self.via_provider(provider, email).await;
        self.get(&back).await
    }

    fn session(&self) -> Option<&String> {
        self.cookies.get("mip_session")
    }
}

fn location(reply: &Reply) -> String {
    reply
        .headers
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn setup(pool: &SqlitePool) -> (Provider, Router) {
    // The relying party's warnings (why a sign-in failed) in the test's output.
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let provider = Provider::start();
    common::load_demo(pool).await;
    let router = common::app_with_proconnect(pool.clone(), provider.relying_party());
    (provider, router)
}

async fn count(pool: &SqlitePool, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// The accounts of the new agent's address.
async fn new_agents(pool: &SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM accounts WHERE email = ?")
        .bind(NEW_AGENT)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The failure's message on `/connexion`, and no session.
async fn ends_on_sign_in_page(browser: &mut Browser, reply: &Reply, code: &str) {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(location(reply), format!("/connexion?proconnect={code}"));
    assert!(browser.session().is_none(), "no session after {code}");
    let page = browser.get(&location(reply)).await;
    assert_eq!(page.status, StatusCode::OK);
    let failure = app::accounts::proconnect::Failure::from_code(code).unwrap();
    let message = html_escape::encode_text(failure.message()).replace('\'', "&#x27;");
    assert!(
        page.body.contains(failure.message()) || page.body.contains(&message),
        "the message of {code} on /connexion"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn a_first_sign_in_creates_the_account_and_the_second_signs_in(pool: SqlitePool) {
    let (provider, app) = setup(&pool).await;
    let mut browser = Browser::new(&app);
    let page = browser.get("/connexion").await;
    assert!(page.body.contains("fr-connect"), "the ProConnect button");

    let back = browser.proconnect(&provider, NEW_AGENT).await;
    assert_eq!(location(&back), "/inscription/proconnect");
    assert!(browser.session().is_none());
    let form = browser.get("/inscription/proconnect").await;
    assert!(form.body.contains("Camille Martin"), "{}", form.body);
    assert!(form.body.contains(NEW_AGENT));

    // What is missing is asked, and a mistake comes back on its field.
    let path = "/api/compte/proconnect/inscription";
    let wrong = browser
        .post(
            "/inscription/proconnect",
            path,
            &[("structure", ""), ("organizer_type", "1"), ("region", "11")],
        )
        .await;
    assert!(browser.session().is_none());
    let again = browser.get(&location(&wrong)).await;
    assert!(
        again.body.contains("Indiquez votre structure"),
        "{}",
        again.body
    );
    assert_eq!(new_agents(&pool).await, 0);
    let done = browser
        .post(
            "/inscription/proconnect",
            path,
            &[
                ("structure", "Préfecture de la Gironde"),
                ("organizer_type", "1"),
                ("region", "75"),
            ],
        )
        .await;
    assert_eq!(location(&done), "/organisateur", "{}", done.body);
    assert!(browser.session().is_some());
    let (name, confirmed, siret): (String, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT a.name, a.email_confirmed_at, p.siret FROM accounts a \
         JOIN proconnect_identities p ON p.account_id = a.id WHERE a.email = ?",
    )
    .bind(NEW_AGENT)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(name, "Camille Martin");
    assert!(confirmed.is_some());
    assert_eq!(siret.as_deref(), Some("13002526500013"));
    let dashboard = browser.get("/organisateur").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.body.contains("Camille Martin"));

    // The second time: signed in at once, nothing asked, no second account.
    let mut other = Browser::new(&app);
    let second = other.proconnect(&provider, NEW_AGENT).await;
    assert_eq!(location(&second), "/organisateur");
    assert!(other.session().is_some());
    assert_eq!(new_agents(&pool).await, 1);
}

/// A double click on « Créer mon compte » without JavaScript: the browser sends both posts
/// with the cookies it had, and shows the second's answer (the first's session cookie is
/// lost). The second finds the identity linked and signs in as the first did: one account, a
/// session, never the link page with nothing pending. Later, the identity is gone.
#[sqlx::test(migrator = "MIGRATOR")]
async fn a_double_click_on_create_signs_in_once(pool: SqlitePool) {
    let (provider, app) = setup(&pool).await;
    let mut browser = Browser::new(&app);
    let back = browser.proconnect(&provider, NEW_AGENT).await;
    assert_eq!(location(&back), "/inscription/proconnect");
    let fields = [
        ("structure", "Préfecture de la Gironde"),
        ("organizer_type", "1"),
        ("region", "75"),
    ];
    let path = "/api/compte/proconnect/inscription";
    let mut second_click = Browser {
        app: app.clone(),
        cookies: browser.cookies.clone(),
        provider_cookies: HashMap::new(),
    };
    let first = browser.post("/inscription/proconnect", path, &fields).await;
    assert_eq!(location(&first), "/organisateur", "{}", first.body);
    let second = second_click
        .post("/inscription/proconnect", path, &fields)
        .await;
    assert_eq!(location(&second), "/organisateur", "{}", second.body);
    assert!(
        second_click.session().is_some(),
        "the second post signs in too"
    );
    assert_eq!(new_agents(&pool).await, 1);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM proconnect_identities").await,
        1
    );
    let dashboard = second_click.get("/organisateur").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.body.contains("Camille Martin"));

    // The identity was kept for the double click only: two minutes after the link, nothing.
    let (expires,): (String,) = sqlx::query_as("SELECT max(expires_at) FROM proconnect_pending")
        .fetch_one(&pool)
        .await
        .unwrap();
    let expires: chrono::DateTime<chrono::Utc> = expires.parse().unwrap();
    assert!(
        expires <= test_now() + chrono::Duration::minutes(2),
        "{expires}"
    );
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn an_existing_address_is_linked_only_with_its_password(pool: SqlitePool) {
    let (provider, app) = setup(&pool).await;
    let hash = app::accounts::password::hash_sync(EXISTING_PASSWORD).unwrap();
    server::accounts::insert(
        &pool,
        &server::accounts::NewAccount {
            email: EXISTING,
            password_hash: &hash,
            name: "Dominique Bernard",
            structure: "Ville de Lyon",
            organizer_type_id: None,
            region_code: None,
            role: app::reference::Role::Organizer,
        },
        test_now(),
    )
    .await
    .unwrap();
    let mut browser = Browser::new(&app);
    let back = browser.proconnect(&provider, EXISTING).await;
    assert_eq!(location(&back), "/connexion/proconnect/lier");
    let page = browser.get("/connexion/proconnect/lier").await;
    assert!(page.body.contains(EXISTING));

    let path = "/api/compte/proconnect/lier";
    let wrong = browser
        .post(
            "/connexion/proconnect/lier",
            path,
            &[("mot_de_passe", "pas le bon mot de passe")],
        )
        .await;
    assert!(browser.session().is_none());
    let again = browser.get(&location(&wrong)).await;
    assert!(
        again.body.contains("Mot de passe incorrect"),
        "{}",
        again.body
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM proconnect_identities").await,
        0
    );

    let linked = browser
        .post(
            "/connexion/proconnect/lier",
            path,
            &[("mot_de_passe", EXISTING_PASSWORD)],
        )
        .await;
    assert_eq!(location(&linked), "/organisateur", "{}", linked.body);
    assert!(browser.session().is_some());
    assert_eq!(
        count(&pool, "SELECT count(*) FROM proconnect_identities").await,
        1
    );

    // Then ProConnect alone signs in, and the password still works.
    let mut other = Browser::new(&app);
    let second = other.proconnect(&provider, EXISTING).await;
    assert_eq!(location(&second), "/organisateur");
    let mut by_password = common::Client::new(&app);
    let signed = by_password
        .form(
            "/api/compte/connexion",
            &[("email", EXISTING), ("password", EXISTING_PASSWORD)],
        )
        .await;
    assert!(signed.status.is_success() || signed.status.is_redirection());
    assert!(by_password.cookie.is_some());
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn every_failed_sign_in_ends_on_the_sign_in_page_without_a_session(pool: SqlitePool) {
    let (provider, app) = setup(&pool).await;
    let sessions = || count(&pool, "SELECT count(*) FROM sessions");
    let before = sessions().await;

    // A state nobody sent, and the right state from another browser.
    let mut browser = Browser::new(&app);
    let back = browser.via_provider(&provider, NEW_AGENT).await;
    let forged = back.replace("state=", "state=x");
    let reply = browser.get(&forged).await;
    ends_on_sign_in_page(&mut browser, &reply, "session").await;
    let mut thief = Browser::new(&app);
    let back = browser.via_provider(&provider, NEW_AGENT).await;
    let reply = thief.get(&back).await;
    ends_on_sign_in_page(&mut thief, &reply, "session").await;
    // …and the owner's own answer is spent with it.
    let reply = browser.get(&back).await;
    assert_eq!(location(&reply), "/connexion?proconnect=session");

    // An answer that names another provider (RFC 9207's `iss`).
    let mut browser = Browser::new(&app);
    let back = browser.via_provider(&provider, NEW_AGENT).await;
    assert!(back.contains("iss="), "{back}");
    let reply = browser
        .get(&back.replace("iss=", "iss=https%3A%2F%2Fautre.example&was="))
        .await;
    ends_on_sign_in_page(&mut browser, &reply, "refus").await;

    // A replayed code: used once, then brought back with a fresh sign-in's state.
    let mut first = Browser::new(&app);
    let used = first.via_provider(&provider, NEW_AGENT).await;
    let reply = first.get(&used).await;
    assert_eq!(location(&reply), "/inscription/proconnect");
    let code = used
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let fresh = first.via_provider(&provider, NEW_AGENT).await;
    let state = fresh
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let replay = format!(
        "{}?code={code}&state={state}",
        app::accounts::proconnect::CALLBACK_PATH
    );
    let reply = first.get(&replay).await;
    ends_on_sign_in_page(&mut first, &reply, "jeton").await;

    for (mode, code) in [
        ("bad_userinfo_signature", "signature"),
        ("bad_id_token_signature", "signature"),
        ("expired_id_token", "expire"),
        ("cancel", "annule"),
    ] {
        provider.mischief(mode).await;
        let mut browser = Browser::new(&app);
        let reply = browser.proconnect(&provider, NEW_AGENT).await;
        ends_on_sign_in_page(&mut browser, &reply, code).await;
    }
    provider.mischief("none").await;
    assert_eq!(sessions().await, before, "no session written");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM proconnect_identities").await,
        0
    );
    assert_eq!(new_agents(&pool).await, 0);
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn sign_out_ends_the_proconnect_session_too(pool: SqlitePool) {
    let (provider, app) = setup(&pool).await;
    let mut browser = Browser::new(&app);
    let back = browser.proconnect(&provider, NEW_AGENT).await;
    assert_eq!(location(&back), "/inscription/proconnect");
    browser
        .post(
            "/inscription/proconnect",
            "/api/compte/proconnect/inscription",
            &[
                ("structure", "Préfecture de la Gironde"),
                ("organizer_type", "1"),
                ("region", "75"),
            ],
        )
        .await;
    assert!(browser.session().is_some());
    let hinted = count(
        &pool,
        "SELECT count(*) FROM sessions WHERE id_token IS NOT NULL",
    )
    .await;
    assert_eq!(hinted, 1);

    let out = browser
        .post("/organisateur", "/api/compte/deconnexion", &[])
        .await;
    let end = location(&out);
    assert!(end.starts_with("/connexion/proconnect/fin?jeton="), "{end}");
    assert!(browser.session().is_none());
    let page = browser.get(&end).await;
    assert_eq!(page.status, StatusCode::OK);
    let refresh = page
        .body
        .split("url=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|url| html_escape::decode_html_entities(url).into_owned())
        .expect("a meta refresh to ProConnect");
    assert!(refresh.starts_with(&format!("{}/session/end", provider.issuer)));
    assert!(refresh.contains("id_token_hint="));
    // The page serves once.
    assert_eq!(location(&browser.get(&end).await), "/");

    let mut jar = std::mem::take(&mut browser.provider_cookies);
    let returned = provider.follow(&refresh, &mut jar).await;
    assert!(
        returned.starts_with(&format!(
            "{SITE}{}",
            app::accounts::proconnect::SIGNED_OUT_PATH
        )),
        "{returned}"
    );
    let logout = provider
        .http
        .get(format!("{}/__test/last-logout", provider.issuer))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let logout: serde_json::Value = serde_json::from_str(&logout).unwrap();
    assert_eq!(logout["received"], true);
    assert_eq!(logout["id_token_hint_present"], true);
    let landing = browser.get(&returned).await;
    assert_eq!(location(&landing), "/connexion?proconnect=deconnecte");
    let page = browser.get(&location(&landing)).await;
    assert!(page
        .body
        .contains("déconnecté de la plateforme et de ProConnect"));
}

#[sqlx::test(migrator = "MIGRATOR")]
async fn without_configuration_there_is_no_button_and_no_route(pool: SqlitePool) {
    common::load_demo(&pool).await;
    let app = common::app(pool);
    let page = common::get(&app, "/connexion").await;
    assert!(!page.body.contains("fr-connect"));
    for path in [
        "/connexion/proconnect",
        "/connexion/proconnect/retour?code=x&state=y",
        "/connexion/proconnect/fin?jeton=x",
        "/connexion/proconnect/deconnecte",
    ] {
        assert_eq!(
            common::get(&app, path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}
