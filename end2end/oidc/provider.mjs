#!/usr/bin/env node
// Fake ProConnect: a real OpenID Connect provider (oidc-provider 9) on loopback,
// for the end-to-end tests of the "Mois de l'innovation publique" platform.
// TEST FIXTURE ONLY: plain http, in-memory storage, well-known passwords.
// See README.md in this folder for the env vars, flows and the /__test control API.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import querystring from 'node:querystring';

import Provider, { interactionPolicy } from 'oidc-provider';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';

// ---------------------------------------------------------------- config
const env = process.env;
const PORT = Number(env.OIDC_PORT || 3120);
const HOST = '127.0.0.1';
const ISSUER = `http://${HOST}:${PORT}`;
const CLIENT_ID = env.OIDC_CLIENT_ID || 'mip-local';
const CLIENT_SECRET = env.OIDC_CLIENT_SECRET || 'mip-local-secret';
const list = (v, dflt) => (v || dflt).split(',').map((s) => s.trim()).filter(Boolean);
const REDIRECT_URIS = list(env.OIDC_REDIRECT_URIS, 'http://127.0.0.1:3000/auth/proconnect/callback');
const POST_LOGOUT_REDIRECT_URIS = list(env.OIDC_POST_LOGOUT_REDIRECT_URIS, 'http://127.0.0.1:3000/');
const AUTO_LOGIN = env.OIDC_AUTO_LOGIN === '1';
const LINK_EMAIL = env.OIDC_LINK_EMAIL || 'organisation001@example.org';
const DEFAULT_PASSWORD = 'proconnect';
// ProConnect: authorization code valid 30 s, access token 60 s.
const CODE_TTL = Number(env.OIDC_CODE_TTL || 30);
const ACCESS_TOKEN_TTL = Number(env.OIDC_ACCESS_TOKEN_TTL || 60);

// Routes named like ProConnect's (/api/v2/authorize, /token, /userinfo, /session/end, /jwks),
// without the /api/v2 prefix: the issuer is exactly http://127.0.0.1:$OIDC_PORT.
const ROUTES = {
  authorization: '/authorize',
  token: '/token',
  userinfo: '/userinfo',
  end_session: '/session/end',
  jwks: '/jwks',
  revocation: '/token/revocation',
  introspection: '/token/introspection',
};

const MISCHIEF_MODES = new Set(['none', 'bad_userinfo_signature', 'expired_id_token', 'bad_id_token_signature', 'cancel']);

// ---------------------------------------------------------------- users
function loadUsers() {
  if (env.OIDC_USERS_FILE) {
    const arr = JSON.parse(fs.readFileSync(env.OIDC_USERS_FILE, 'utf8'));
    if (!Array.isArray(arr) || arr.length === 0) throw new Error('OIDC_USERS_FILE must hold a non-empty JSON array');
    return arr;
  }
  return [
    {
      sub: 'f4c1b5d2-0a1e-4c55-9a51-camille-martin',
      given_name: 'Camille',
      usual_name: 'Martin',
      email: 'agent.nouveau@example.gouv.fr',
      uid: '1001',
      siret: '13002526500013',
    },
    {
      sub: '7a9e3c10-5b2f-4d0e-8f3a-dominique-bernard',
      given_name: 'Dominique',
      usual_name: 'Bernard',
      email: LINK_EMAIL,
      uid: '1002',
      siret: '21750001600019',
    },
  ];
}
const USERS = loadUsers().map((u) => ({ password: DEFAULT_PASSWORD, ...u }));
for (const u of USERS) {
  for (const k of ['sub', 'given_name', 'usual_name', 'email', 'uid', 'siret']) {
    if (typeof u[k] !== 'string' || !u[k]) throw new Error(`user ${JSON.stringify(u.email || u.sub)}: "${k}" must be a non-empty string`);
  }
}
const userBySub = (sub) => USERS.find((u) => u.sub === sub);
const userByEmail = (email) => USERS.find((u) => u.email.toLowerCase() === String(email || '').trim().toLowerCase());

// ---------------------------------------------------------------- test state
let mischief = 'none';
let lastLogout = null;

// ---------------------------------------------------------------- helpers
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const b64u = {
  dec: (s) => Buffer.from(s, 'base64url'),
  enc: (b) => Buffer.from(b).toString('base64url'),
};
// Flip bits in the signature part of a compact JWS: same header, same payload, invalid signature.
function corruptSignature(jws) {
  const [h, p, s] = jws.split('.');
  const sig = b64u.dec(s);
  for (let i = 0; i < Math.min(8, sig.length); i += 1) sig[i] ^= 0x5a;
  return `${h}.${p}.${b64u.enc(sig)}`;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
function sendJson(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
function sendHtml(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}
function page(title, body) {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – ProConnect (simulé)</title>
<style>
 body{font-family:Marianne,Arial,sans-serif;background:#f6f6f6;margin:0;color:#161616}
 header{background:#fff;border-bottom:1px solid #ddd;padding:1rem 2rem;font-weight:700}
 header span{color:#000091}
 main{max-width:28rem;margin:2rem auto;background:#fff;padding:2rem;border:1px solid #ddd}
 label{display:block;margin:1rem 0 .25rem;font-weight:600}
 input,select{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:0;border-bottom:2px solid #3a3a3a;background:#eee}
 button{margin-top:1.5rem;background:#000091;color:#fff;border:0;padding:.6rem 1.2rem;font-size:1rem;cursor:pointer}
 a{color:#000091;margin-left:1rem}
 .error{background:#ffe9e9;color:#ce0500;padding:.5rem;margin-bottom:1rem}
 .hint{color:#666;font-size:.85rem}
</style>
</head>
<body>
<header><span>ProConnect</span> — fournisseur d'identité simulé (tests)</header>
<main>
${body}
</main>
</body>
</html>`;
}

// ---------------------------------------------------------------- keys
const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
const privateJwk = { ...(await exportJWK(privateKey)), kid: `fake-proconnect-${crypto.randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };

// ---------------------------------------------------------------- provider
// Default policy + one check: a login_hint naming another known user than the one signed in at
// the provider asks for login again (so tests switching users need no cookie clean-up); mischief
// "cancel" always asks, so that it applies even over an existing provider session.
const policy = interactionPolicy.base();
policy.get('login').checks.add(new interactionPolicy.Check(
  'login_hint_mismatch',
  'login_hint names another End-User than the one signed in',
  (ctx) => {
    const { oidc } = ctx;
    if (mischief === 'cancel' && !oidc.result) return interactionPolicy.Check.REQUEST_PROMPT;
    const hinted = userByEmail(oidc.params.login_hint);
    if (hinted && oidc.session.accountId && hinted.sub !== oidc.session.accountId && !oidc.result?.login) {
      return interactionPolicy.Check.REQUEST_PROMPT;
    }
    return interactionPolicy.Check.NO_NEED_TO_PROMPT;
  },
));

const configuration = {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    client_name: 'Mois de l’innovation publique (local)',
    redirect_uris: REDIRECT_URIS,
    post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    // oidc-provider accepts exactly one registered method; client_secret_post requests are
    // converted to client_secret_basic by the front server below (see README).
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [privateJwk] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  routes: ROUTES,
  // ProConnect names its scopes after the claims they release.
  claims: {
    openid: ['sub'],
    amr: null, // ProConnect RPs may ask claims={"id_token":{"amr":{"essential":true}}}
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    email: ['email', 'email_verified'],
    uid: ['uid'],
    siret: ['siret'],
    profile: ['given_name', 'usual_name'],
  },
  scopes: ['openid', 'given_name', 'usual_name', 'email', 'uid', 'siret', 'profile'],
  acrValues: ['eidas1'],
  responseTypes: ['code'],
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  // ProConnect-specific hints are accepted (and ignored) instead of being dropped silently.
  extraParams: ['idp_hint', 'siret_hint'],
  pkce: { required: () => true }, // S256 is the only method oidc-provider 9 supports
  features: {
    devInteractions: { enabled: false },
    jwtUserinfo: { enabled: true },
    claimsParameter: { enabled: true },
    resourceIndicators: { enabled: false },
    pushedAuthorizationRequests: { enabled: false },
    revocation: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // Only reached if the front server's auto-confirmation is bypassed (it is not, normally):
      // the form is submitted by script, "logout=yes" = sign out of the whole session.
      async logoutSource(ctx, form) {
        ctx.body = page('Déconnexion', `<h1>Déconnexion…</h1>${form.replace('</form>', '<input type="hidden" name="logout" value="yes"/><noscript><button type="submit">Se déconnecter</button></noscript></form>')}
<script>document.getElementById('op.logoutForm').submit()</script>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Déconnecté', '<h1>Vous êtes déconnecté.</h1>');
      },
    },
  },
  ttl: {
    AccessToken: ACCESS_TOKEN_TTL,
    AuthorizationCode: CODE_TTL,
    IdToken: 3600,
    Interaction: 3600,
    Session: 24 * 3600,
    Grant: 24 * 3600,
  },
  interactions: { policy, url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, sub) {
    const u = userBySub(sub);
    if (!u) return undefined;
    return {
      accountId: u.sub,
      async claims() {
        return {
          sub: u.sub,
          given_name: u.given_name,
          usual_name: u.usual_name,
          email: u.email,
          email_verified: u.email_verified ?? true,
          uid: u.uid,
          siret: u.siret,
        };
      },
    };
  },
  // Consent is auto-granted: every OIDC scope/claim the client requests is added to its grant.
  async loadExistingGrant(ctx) {
    const { oidc } = ctx;
    if (!oidc.session?.accountId) return undefined;
    const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
    let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
    if (!grant) grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
    const scopes = [...(oidc.requestParamOIDCScopes || [])];
    if (scopes.length) grant.addOIDCScope(scopes.join(' '));
    const claims = [...(oidc.requestParamClaims || [])];
    if (claims.length) grant.addOIDCClaims(claims);
    await grant.save();
    return grant;
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Erreur', `<h1>Erreur</h1><p><code>${esc(out.error)}</code></p><p>${esc(out.error_description)}</p>`);
  },
};

const provider = new Provider(ISSUER, configuration);
provider.proxy = false;

// Mischief on responses produced by the real provider (token + userinfo).
provider.use(async (ctx, next) => {
  await next();
  if (mischief === 'none' || ctx.status !== 200) return;
  if (ctx.method === 'POST' && ctx.path === ROUTES.token && ctx.body && typeof ctx.body.id_token === 'string') {
    if (mischief === 'bad_id_token_signature') {
      ctx.body.id_token = corruptSignature(ctx.body.id_token);
    } else if (mischief === 'expired_id_token') {
      const [h, p] = ctx.body.id_token.split('.');
      const header = JSON.parse(b64u.dec(h));
      const payload = JSON.parse(b64u.dec(p));
      const now = Math.floor(Date.now() / 1000);
      const shift = (payload.exp - now) + 3600; // exp ends up one hour in the past, lifetime unchanged
      payload.iat -= shift;
      payload.exp -= shift;
      if (typeof payload.auth_time === 'number') payload.auth_time -= shift;
      ctx.body.id_token = await new CompactSign(Buffer.from(JSON.stringify(payload)))
        .setProtectedHeader(header)
        .sign(privateKey);
    }
  } else if (ctx.path === ROUTES.userinfo && typeof ctx.body === 'string' && mischief === 'bad_userinfo_signature') {
    ctx.body = corruptSignature(ctx.body);
  }
});

provider.on('server_error', (ctx, err) => console.error('server_error', ctx.path, err));

const providerCallback = provider.callback();

// Internal listener (Unix socket, no TCP port) used by the front server to auto-confirm logouts.
const SOCKET = path.join(os.tmpdir(), `fake-proconnect-${process.pid}-${PORT}.sock`);
try { fs.unlinkSync(SOCKET); } catch { /* none */ }
const internal = http.createServer(providerCallback);

function internalRequest({ method, url, headers, body }) {
  return new Promise((resolve, reject) => {
    const r = http.request({ socketPath: SOCKET, method, path: url, headers }, (resp) => {
      const chunks = [];
      resp.on('data', (c) => chunks.push(c));
      resp.on('end', () => resolve({ status: resp.statusCode, headers: resp.headers, body: Buffer.concat(chunks) }));
      resp.on('error', reject);
    });
    r.on('error', reject);
    if (body && body.length) r.write(body);
    r.end();
  });
}

function parseCookieHeader(h) {
  const jar = new Map();
  for (const part of String(h || '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) jar.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return jar;
}
function applySetCookies(jar, setCookies) {
  for (const sc of setCookies || []) {
    const [pair, ...attrs] = sc.split(';');
    const i = pair.indexOf('=');
    const name = pair.slice(0, i).trim();
    const value = pair.slice(i + 1).trim();
    const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now())
      || attrs.some((a) => /^\s*max-age=\s*0\s*$/i.test(a));
    if (!value || expired) jar.delete(name); else jar.set(name, value);
  }
}

// Requests that may end on oidc-provider's sign-out confirmation go through the internal socket:
// - GET/POST /session/end (RP-initiated logout): the "do you want to sign out?" form is
//   submitted server-side with logout=yes, so the user agent gets the final 303 redirect to
//   post_logout_redirect_uri?state=… directly, like ProConnect does;
// - GET /authorize/:uid (resume after the login page): when another user signs in over an
//   existing provider session, oidc-provider first ends that session through a script-submitted
//   form; it is submitted server-side too, so clients without JavaScript get plain redirects.
async function forwardWithAutoConfirm(req, res, body) {
  const headers = { ...req.headers };
  delete headers['content-length'];
  delete headers['transfer-encoding'];
  if (body.length) headers['content-length'] = String(body.length);
  const first = await internalRequest({ method: req.method, url: req.url, headers, body });
  const html = first.status === 200 ? first.body.toString() : '';
  const confirmAction = `${ISSUER}${ROUTES.end_session}/confirm`;
  const xsrf = html.includes(`action="${confirmAction}"`) && /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  let final = first;
  const setCookies = [...(first.headers['set-cookie'] || [])];
  if (xsrf) {
    const jar = parseCookieHeader(req.headers.cookie);
    applySetCookies(jar, first.headers['set-cookie']);
    const confirmBody = Buffer.from(querystring.stringify({ xsrf, logout: 'yes' }));
    final = await internalRequest({
      method: 'POST',
      url: `${ROUTES.end_session}/confirm`,
      headers: {
        host: req.headers.host || `${HOST}:${PORT}`,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(confirmBody.length),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: confirmBody,
    });
    setCookies.push(...(final.headers['set-cookie'] || []));
  }
  const outHeaders = { ...final.headers };
  delete outHeaders['set-cookie'];
  delete outHeaders.connection;
  delete outHeaders['keep-alive'];
  delete outHeaders['transfer-encoding'];
  outHeaders['content-length'] = String(final.body.length);
  if (setCookies.length) outHeaders['set-cookie'] = setCookies;
  res.writeHead(final.status, outHeaders);
  res.end(final.body);
  return { status: final.status, location: final.headers.location ?? null };
}

async function handleEndSession(req, res, url) {
  const body = req.method === 'POST' ? await readBody(req) : Buffer.alloc(0);
  const params = req.method === 'POST' ? querystring.parse(body.toString()) : Object.fromEntries(url.searchParams);
  const record = {
    received: true,
    at: new Date().toISOString(),
    method: req.method,
    id_token_hint_present: typeof params.id_token_hint === 'string' && params.id_token_hint.length > 0,
    post_logout_redirect_uri: params.post_logout_redirect_uri ?? null,
    state: params.state ?? null,
    client_id: params.client_id ?? null,
    outcome: null,
  };
  lastLogout = record;
  record.outcome = await forwardWithAutoConfirm(req, res, body);
}

// client_secret_post -> client_secret_basic (oidc-provider accepts a single registered method).
async function handleTokenLike(req, res) {
  const body = await readBody(req);
  let out = body;
  const ct = String(req.headers['content-type'] || '');
  if (!req.headers.authorization && ct.startsWith('application/x-www-form-urlencoded')) {
    const p = querystring.parse(body.toString());
    if (typeof p.client_id === 'string' && typeof p.client_secret === 'string') {
      req.headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(p.client_id)}:${encodeURIComponent(p.client_secret)}`).toString('base64')}`;
      delete p.client_id;
      delete p.client_secret;
      out = Buffer.from(querystring.stringify(p));
    }
  }
  // Hand the (re)encoded body to oidc-provider's parser through its documented fallback.
  req.body = out.toString();
  req.headers['content-length'] = String(out.length);
  return providerCallback(req, res);
}

// ---------------------------------------------------------------- interactions
function loginPage(uid, details, { error, email } = {}) {
  const { params } = details;
  const options = USERS.map((u) => `<option value="${esc(u.email)}">${esc(`${u.given_name} ${u.usual_name}`)} — SIRET ${esc(u.siret)}</option>`).join('');
  return page('Connexion', `
<h1>Connexion avec ProConnect</h1>
<p>Le service <strong>${esc(params.client_id)}</strong> demande : <code>${esc(params.scope)}</code></p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
  <label for="email">Adresse e-mail professionnelle</label>
  <input id="email" name="email" type="email" list="known-users" required value="${esc(email ?? params.login_hint ?? '')}">
  <datalist id="known-users">${options}</datalist>
  <label for="password">Mot de passe</label>
  <input id="password" name="password" type="password" required>
  <p class="hint">Comptes de test : ${USERS.map((u) => esc(u.email)).join(', ')} — mot de passe « ${DEFAULT_PASSWORD} ».</p>
  <button type="submit" id="submit">Se connecter</button>
  <a href="/interaction/${esc(uid)}/abort" id="cancel">Annuler</a>
</form>`);
}

const loginResult = (user) => ({
  login: { accountId: user.sub, acr: 'eidas1', amr: ['pwd'], remember: true },
});
const denied = (description) => ({ error: 'access_denied', error_description: description });

// Consent prompt fallback (normally skipped thanks to loadExistingGrant).
async function grantConsent(details) {
  const { prompt: { details: d }, params, session } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
  if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
  return { consent: { grantId: await grant.save() } };
}

async function handleInteraction(req, res, url) {
  const m = /^\/interaction\/([^/]+)(?:\/(login|abort))?$/.exec(url.pathname);
  if (!m) return sendHtml(res, 404, page('Introuvable', '<h1>Page introuvable</h1>'));
  const [, uid, action] = m;
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (err) {
    return sendHtml(res, 400, page('Erreur', `<h1>Session d'authentification expirée ou invalide</h1><p>${esc(err.message)}</p>`));
  }
  if (details.uid !== uid) return sendHtml(res, 400, page('Erreur', '<h1>Interaction invalide</h1>'));

  if (action === 'abort' || mischief === 'cancel') {
    return provider.interactionFinished(req, res, denied('End-User aborted interaction'), { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === 'consent') {
    return provider.interactionFinished(req, res, await grantConsent(details), { mergeWithLastSubmission: true });
  }
  if (details.prompt.name !== 'login') {
    return sendHtml(res, 400, page('Erreur', `<h1>Étape non gérée : ${esc(details.prompt.name)}</h1>`));
  }
  if (action === 'login') {
    if (req.method !== 'POST') return sendHtml(res, 405, page('Erreur', '<h1>Méthode non autorisée</h1>'));
    const form = querystring.parse((await readBody(req)).toString());
    const user = userByEmail(form.email);
    if (!user || form.password !== user.password) {
      return sendHtml(res, 200, loginPage(uid, details, { error: 'Adresse e-mail ou mot de passe incorrect.', email: form.email }));
    }
    return provider.interactionFinished(req, res, loginResult(user), { mergeWithLastSubmission: false });
  }
  // GET /interaction/:uid
  const hinted = userByEmail(details.params.login_hint);
  if (AUTO_LOGIN && hinted) {
    return provider.interactionFinished(req, res, loginResult(hinted), { mergeWithLastSubmission: false });
  }
  return sendHtml(res, 200, loginPage(uid, details));
}

// ---------------------------------------------------------------- /__test control API
function isLoopback(req) {
  const a = req.socket.remoteAddress || '';
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1' || a.startsWith('127.');
}
async function handleTest(req, res, url) {
  if (!isLoopback(req)) return sendJson(res, 403, { error: 'loopback only' });
  if (url.pathname === '/__test/mischief') {
    if (req.method === 'GET') return sendJson(res, 200, { mode: mischief });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'GET or POST' });
    let mode;
    try { ({ mode } = JSON.parse((await readBody(req)).toString() || '{}')); } catch { /* bad json */ }
    if (!MISCHIEF_MODES.has(mode)) return sendJson(res, 400, { error: `mode must be one of ${[...MISCHIEF_MODES].join(', ')}` });
    mischief = mode;
    console.log(`mischief ${mode}`);
    return sendJson(res, 200, { mode });
  }
  if (url.pathname === '/__test/last-logout' && req.method === 'GET') {
    return sendJson(res, 200, lastLogout ?? { received: false });
  }
  if (url.pathname === '/__test/reset' && req.method === 'POST') {
    mischief = 'none';
    lastLogout = null;
    return sendJson(res, 200, { mode: mischief });
  }
  if (url.pathname === '/__test/users' && req.method === 'GET') {
    return sendJson(res, 200, USERS.map(({ password, ...u }) => u));
  }
  return sendJson(res, 404, { error: 'unknown control endpoint' });
}

// ---------------------------------------------------------------- front server
const front = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, ISSUER);
    if (url.pathname.startsWith('/__test/')) return await handleTest(req, res, url);
    if (url.pathname.startsWith('/interaction/')) return await handleInteraction(req, res, url);
    if (url.pathname === ROUTES.end_session && (req.method === 'GET' || req.method === 'POST')) return await handleEndSession(req, res, url);
    if (req.method === 'GET' && url.pathname.startsWith(`${ROUTES.authorization}/`)) return await forwardWithAutoConfirm(req, res, Buffer.alloc(0));
    if (req.method === 'POST' && !req.headers.authorization && [ROUTES.token, ROUTES.revocation, ROUTES.introspection].includes(url.pathname)) return await handleTokenLike(req, res);
    return providerCallback(req, res);
  } catch (err) {
    console.error('front error', err);
    if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(err.message) });
    else res.destroy();
  }
});

await new Promise((resolve) => internal.listen(SOCKET, resolve));
front.listen(PORT, HOST, () => {
  console.log(`ready ${ISSUER}`);
});

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  front.closeAllConnections?.();
  internal.closeAllConnections?.();
  front.close();
  internal.close(() => {
    try { fs.unlinkSync(SOCKET); } catch { /* gone */ }
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 2000).unref();
}
// A test that stopped reading our output must not stop the provider (EPIPE).
process.stdout.on('error', () => {});
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
