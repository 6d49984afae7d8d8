#!/usr/bin/env node
// Self-test of the fake ProConnect provider: starts provider.mjs on a loopback port and plays a
// relying party with plain fetch + manual PKCE (jose for JWT checks), then once more with
// openid-client 6 as an independent conformant RP. Exits non-zero on the first failure.
// Usage: node selftest.mjs   (env SELFTEST_PORT, default 3125)

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';

const here = path.dirname(fileURLToPath(import.meta.url));
const PORT = Number(process.env.SELFTEST_PORT || 3125);
const ISSUER = `http://127.0.0.1:${PORT}`;
const CLIENT_ID = 'selftest-client';
const CLIENT_SECRET = 'selftest-secret';
const REDIRECT_URI = 'http://127.0.0.1:3126/auth/callback';
const POST_LOGOUT = 'http://127.0.0.1:3126/logged-out';
const SCOPE = 'openid given_name usual_name email uid siret';
const CAMILLE = 'agent.nouveau@example.gouv.fr';

let passed = 0;
let failed = 0;
function check(name, cond, extra) {
  if (cond) { passed += 1; console.log(`ok - ${name}`); } else {
    failed += 1;
    console.log(`not ok - ${name}${extra !== undefined ? ` :: ${typeof extra === 'string' ? extra : JSON.stringify(extra)}` : ''}`);
  }
}

// ------------------------------------------------------------------ start the provider
const child = spawn(process.execPath, [path.join(here, 'provider.mjs')], {
  env: {
    ...process.env,
    OIDC_PORT: String(PORT),
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_REDIRECT_URIS: `${REDIRECT_URI},http://127.0.0.1:3126/other`,
    OIDC_POST_LOGOUT_REDIRECT_URIS: POST_LOGOUT,
    OIDC_AUTO_LOGIN: '1',
    OIDC_USERS_FILE: '',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let childOut = '';
child.stderr.on('data', (d) => { childOut += d; });
await new Promise((resolve, reject) => {
  const t = setTimeout(() => reject(new Error(`provider not ready in 15s:\n${childOut}`)), 15000);
  child.stdout.on('data', (d) => {
    childOut += d;
    if (childOut.includes(`ready ${ISSUER}`)) { clearTimeout(t); resolve(); }
  });
  child.on('exit', (code) => reject(new Error(`provider exited ${code}:\n${childOut}`)));
});
console.log(`# provider up at ${ISSUER}`);

// ------------------------------------------------------------------ tiny HTTP helpers
class Jar {
  constructor() { this.c = new Map(); }
  store(res) {
    for (const sc of res.headers.getSetCookie()) {
      const [pair, ...attrs] = sc.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const gone = attrs.some((a) => /expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now());
      if (!value || gone) this.c.delete(name); else this.c.set(name, value);
    }
  }
  header() { return [...this.c].map(([k, v]) => `${k}=${v}`).join('; '); }
}
// Follow redirects by hand (with cookies) until the redirect leaves the provider.
async function follow(startUrl, jar, { stopPrefix = 'http://127.0.0.1:3126/' } = {}) {
  let url = startUrl;
  for (let i = 0; i < 15; i += 1) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(res);
    const loc = res.headers.get('location');
    if (!loc) return { final: url, res, body: await res.text() };
    url = new URL(loc, url).href;
    if (url.startsWith(stopPrefix)) return { final: url, res };
  }
  throw new Error('too many redirects');
}
const b64 = (buf) => Buffer.from(buf).toString('base64url');
function pkce() {
  const verifier = b64(crypto.randomBytes(32));
  return { verifier, challenge: b64(crypto.createHash('sha256').update(verifier).digest()) };
}
function authUrl(disco, { state, nonce, challenge, loginHint, scope = SCOPE }) {
  const u = new URL(disco.authorization_endpoint);
  u.search = new URLSearchParams({
    response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope, state, nonce,
    code_challenge: challenge, code_challenge_method: 'S256', acr_values: 'eidas1',
    ...(loginHint ? { login_hint: loginHint } : {}),
  });
  return u.href;
}
const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
async function tokenRequest(disco, code, verifier, { post = false } = {}) {
  const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
  if (post) Object.assign(form, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
  const res = await fetch(disco.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(post ? {} : { authorization: basic }) },
    body: new URLSearchParams(form),
  });
  return { status: res.status, json: await res.json() };
}
async function mischief(mode) {
  const res = await fetch(`${ISSUER}/__test/mischief`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode }) });
  if (res.status !== 200) throw new Error(`mischief ${mode}: ${res.status}`);
}
// A full auto-login flow up to the token response.
async function codeFlow(disco, { loginHint = CAMILLE, post = false } = {}) {
  const jar = new Jar();
  const { verifier, challenge } = pkce();
  const state = b64(crypto.randomBytes(12));
  const nonce = b64(crypto.randomBytes(12));
  const { final } = await follow(authUrl(disco, { state, nonce, challenge, loginHint }), jar);
  const cb = new URL(final);
  const code = cb.searchParams.get('code');
  const token = code ? await tokenRequest(disco, code, verifier, { post }) : null;
  return { jar, cb, code, state, nonce, verifier, token };
}

try {
  // ---------------------------------------------------------------- discovery
  const disco = await (await fetch(`${ISSUER}/.well-known/openid-configuration`)).json();
  check('discovery: issuer', disco.issuer === ISSUER, disco.issuer);
  for (const k of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'end_session_endpoint']) {
    check(`discovery: ${k}`, typeof disco[k] === 'string' && disco[k].startsWith(`${ISSUER}/`), disco[k]);
  }
  check('discovery: userinfo_signing_alg_values_supported has RS256', disco.userinfo_signing_alg_values_supported?.includes('RS256'), disco.userinfo_signing_alg_values_supported);
  check('discovery: id_token_signing_alg_values_supported has RS256', disco.id_token_signing_alg_values_supported?.includes('RS256'));
  check('discovery: S256 only', JSON.stringify(disco.code_challenge_methods_supported) === '["S256"]', disco.code_challenge_methods_supported);
  check('discovery: ProConnect scopes', ['openid', 'given_name', 'usual_name', 'email', 'uid', 'siret'].every((s) => disco.scopes_supported.includes(s)), disco.scopes_supported);
  const jwks = await (await fetch(disco.jwks_uri)).json();
  check('jwks: one RSA RS256 public key, no private part', jwks.keys.length === 1 && jwks.keys[0].kty === 'RSA' && jwks.keys[0].alg === 'RS256' && !('d' in jwks.keys[0]), jwks.keys);
  const JWKS = createRemoteJWKSet(new URL(disco.jwks_uri));
  const verifyOpts = { issuer: ISSUER, audience: CLIENT_ID, algorithms: ['RS256'] };

  // ---------------------------------------------------------------- PKCE is required
  {
    const u = new URL(authUrl(disco, { state: 's', nonce: 'n', challenge: 'x', loginHint: CAMILLE }));
    u.searchParams.delete('code_challenge');
    u.searchParams.delete('code_challenge_method');
    const { final } = await follow(u.href, new Jar());
    const p = new URL(final).searchParams;
    check('authorize without PKCE -> error=invalid_request', p.get('error') === 'invalid_request', final);
  }

  // ---------------------------------------------------------------- happy path
  const flow = await codeFlow(disco);
  check('auto-login: redirected to redirect_uri with code', flow.cb.href.startsWith(REDIRECT_URI) && !!flow.code, flow.cb.href);
  check('auto-login: state echoed', flow.cb.searchParams.get('state') === flow.state);
  check('auto-login: iss parameter in the authorization response', flow.cb.searchParams.get('iss') === ISSUER, flow.cb.searchParams.get('iss'));
  check('token: 200 with access_token and id_token', flow.token.status === 200 && flow.token.json.access_token && flow.token.json.id_token, flow.token);
  console.log(`# token response: ${JSON.stringify({ ...flow.token.json, access_token: '…', id_token: '…' })}`);
  const idToken = flow.token.json.id_token;
  check('id_token: header alg RS256 + kid', decodeProtectedHeader(idToken).alg === 'RS256' && !!decodeProtectedHeader(idToken).kid, decodeProtectedHeader(idToken));
  const { payload: idt } = await jwtVerify(idToken, JWKS, verifyOpts);
  check('id_token: signature/iss/aud/exp valid, nonce matches', idt.nonce === flow.nonce, idt);
  check('id_token: acr eidas1, sub present', idt.acr === 'eidas1' && typeof idt.sub === 'string', idt);
  console.log(`# id_token payload: ${JSON.stringify(idt)}`);

  const ui = await fetch(disco.userinfo_endpoint, { headers: { authorization: `Bearer ${flow.token.json.access_token}` } });
  const uiBody = await ui.text();
  check('userinfo: 200 application/jwt', ui.status === 200 && ui.headers.get('content-type').startsWith('application/jwt'), `${ui.status} ${ui.headers.get('content-type')}`);
  const { payload: uip } = await jwtVerify(uiBody, JWKS, verifyOpts);
  console.log(`# userinfo payload: ${JSON.stringify(uip)}`);
  check('userinfo: the 5 ProConnect claims', uip.given_name === 'Camille' && uip.usual_name === 'Martin' && uip.email === CAMILLE && uip.uid === '1001' && uip.siret === '13002526500013', uip);
  check('userinfo: sub equals id_token sub', uip.sub === idt.sub);

  const replay = await tokenRequest(disco, flow.code, flow.verifier);
  check('replayed code -> 400 invalid_grant', replay.status === 400 && replay.json.error === 'invalid_grant', replay);

  // second user + client_secret_post
  const flow2 = await codeFlow(disco, { loginHint: 'organisation001@example.org', post: true });
  check('client_secret_post accepted too', flow2.token?.status === 200, flow2.token);
  const ui2 = await (await fetch(disco.userinfo_endpoint, { headers: { authorization: `Bearer ${flow2.token.json.access_token}` } })).text();
  const u2 = decodeJwt(ui2);
  check('second user: Dominique Bernard <organisation001@example.org>', u2.given_name === 'Dominique' && u2.usual_name === 'Bernard' && u2.email === 'organisation001@example.org', u2);

  // same cookie jar (provider session of Camille), login_hint of another user -> that user
  {
    const jar = flow.jar;
    const { verifier, challenge } = pkce();
    const { final } = await follow(authUrl(disco, { state: 's3', nonce: 'n3', challenge, loginHint: 'organisation001@example.org' }), jar);
    const t = await tokenRequest(disco, new URL(final).searchParams.get('code'), verifier);
    const { payload } = await jwtVerify(t.json.id_token, JWKS, verifyOpts);
    check('existing session + login_hint of another user -> that user', payload.sub !== idt.sub && payload.sub.includes('dominique'), payload);
    const { verifier: v4, challenge: c4 } = pkce();
    const { final: f4 } = await follow(authUrl(disco, { state: 's4', nonce: 'n4', challenge: c4 }), jar);
    const t4 = await tokenRequest(disco, new URL(f4).searchParams.get('code'), v4);
    check('existing session, no login_hint -> SSO without a form', t4.status === 200 && decodeJwt(t4.json.id_token).sub === payload.sub, f4);
  }

  // wrong PKCE verifier
  {
    const f = await codeFlow(disco);
    const bad = await tokenRequest(disco, (await codeFlow(disco)).code, f.verifier);
    check('wrong code_verifier -> invalid_grant', bad.status === 400 && bad.json.error === 'invalid_grant', bad);
  }

  // ---------------------------------------------------------------- mischief
  {
    await mischief('bad_id_token_signature');
    const f = await codeFlow(disco);
    let err;
    try { await jwtVerify(f.token.json.id_token, JWKS, verifyOpts); } catch (e) { err = e; }
    check('mischief bad_id_token_signature: id_token signature fails', err?.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', err?.code);
    check('mischief bad_id_token_signature: payload unchanged (nonce)', decodeJwt(f.token.json.id_token).nonce === f.nonce);
  }
  {
    await mischief('expired_id_token');
    const f = await codeFlow(disco);
    let err;
    try { await jwtVerify(f.token.json.id_token, JWKS, verifyOpts); } catch (e) { err = e; }
    const p = decodeJwt(f.token.json.id_token);
    const now = Math.floor(Date.now() / 1000);
    check('mischief expired_id_token: signature valid but exp claim fails', err?.code === 'ERR_JWT_EXPIRED', err?.code);
    check('mischief expired_id_token: exp ~1h in the past, nonce kept', Math.abs(p.exp - (now - 3600)) < 5 && p.iat < p.exp && p.nonce === f.nonce, p);
    const ok = await jwtVerify(f.token.json.id_token, JWKS, { ...verifyOpts, currentDate: new Date((p.exp - 10) * 1000) });
    check('mischief expired_id_token: signed with the provider key', ok.payload.sub === p.sub);
  }
  {
    await mischief('bad_userinfo_signature');
    const f = await codeFlow(disco);
    const { payload: okIdt } = await jwtVerify(f.token.json.id_token, JWKS, verifyOpts);
    check('mischief bad_userinfo_signature: id_token still valid', okIdt.nonce === f.nonce);
    const r = await fetch(disco.userinfo_endpoint, { headers: { authorization: `Bearer ${f.token.json.access_token}` } });
    const jwt = await r.text();
    let err;
    try { await jwtVerify(jwt, JWKS, verifyOpts); } catch (e) { err = e; }
    check('mischief bad_userinfo_signature: application/jwt whose signature fails', r.headers.get('content-type').startsWith('application/jwt') && err?.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', err?.code);
    check('mischief bad_userinfo_signature: claims unchanged', decodeJwt(jwt).siret === '13002526500013');
  }
  {
    await mischief('cancel');
    const f = await codeFlow(disco);
    check('mischief cancel: redirect_uri?error=access_denied&state=…', f.cb.href.startsWith(REDIRECT_URI) && f.cb.searchParams.get('error') === 'access_denied' && f.cb.searchParams.get('state') === f.state && !f.code, f.cb.href);
    const { challenge } = pkce();
    const { final } = await follow(authUrl(disco, { state: 'st-sso-cancel', nonce: 'n', challenge }), flow2.jar); // existing session
    check('mischief cancel: also over an existing provider session', new URL(final).searchParams.get('error') === 'access_denied', final);
  }
  await mischief('none');
  {
    const f = await codeFlow(disco);
    const { payload } = await jwtVerify(f.token.json.id_token, JWKS, verifyOpts);
    check('mischief none: back to normal', payload.nonce === f.nonce);
  }
  {
    const r = await fetch(`${ISSUER}/__test/mischief`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"mode":"nonsense"}' });
    check('control API rejects unknown mode with 400', r.status === 400);
  }

  // ---------------------------------------------------------------- Annuler link on the login page
  {
    const jar = new Jar();
    const { challenge } = pkce();
    const state = 'st-cancel';
    const { final, body } = await follow(authUrl(disco, { state, nonce: 'n1', challenge }), jar); // no login_hint -> form
    check('no login_hint: HTML login page with « Se connecter » and « Annuler »', body?.includes('Se connecter') && body.includes('Annuler'), final);
    const abort = new URL(/href="([^"]+\/abort)"/.exec(body)[1], final).href;
    const { final: cb } = await follow(abort, jar);
    const p = new URL(cb).searchParams;
    check('Annuler -> error=access_denied with state', cb.startsWith(REDIRECT_URI) && p.get('error') === 'access_denied' && p.get('state') === state, cb);
  }
  // ---------------------------------------------------------------- login form post (wrong then right password)
  {
    const jar = new Jar();
    const { verifier, challenge } = pkce();
    const { final, body } = await follow(authUrl(disco, { state: 'st-form', nonce: 'n2', challenge }), jar);
    const action = new URL(/action="([^"]+)"/.exec(body)[1], final).href;
    const post = async (password) => {
      const r = await fetch(action, { method: 'POST', redirect: 'manual', headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: CAMILLE, password }) });
      jar.store(r);
      return r;
    };
    const wrong = await post('nope');
    check('login form: wrong password re-renders with an error', wrong.status === 200 && (await wrong.text()).includes('incorrect'));
    const right = await post('proconnect');
    const { final: cb } = await follow(new URL(right.headers.get('location'), action).href, jar);
    const code = new URL(cb).searchParams.get('code');
    const t = await tokenRequest(disco, code, verifier);
    check('login form: correct password -> code -> tokens', t.status === 200 && !!t.json.id_token, cb);
  }

  // ---------------------------------------------------------------- RP-initiated logout
  {
    await fetch(`${ISSUER}/__test/reset`, { method: 'POST' });
    const before = await (await fetch(`${ISSUER}/__test/last-logout`)).json();
    check('last-logout before any logout: received=false', before.received === false, before);
    const f = await codeFlow(disco);
    const u = new URL(disco.end_session_endpoint);
    u.search = new URLSearchParams({ id_token_hint: f.token.json.id_token, post_logout_redirect_uri: POST_LOGOUT, state: 'bye-state' });
    const { final } = await follow(u.href, f.jar);
    const p = new URL(final).searchParams;
    check('end_session GET with id_token_hint -> post_logout_redirect_uri?state=…', final.startsWith(POST_LOGOUT) && p.get('state') === 'bye-state', final);
    const last = await (await fetch(`${ISSUER}/__test/last-logout`)).json();
    check('/__test/last-logout records it', last.received === true && last.id_token_hint_present === true && last.post_logout_redirect_uri === POST_LOGOUT && last.state === 'bye-state', last);
    console.log(`# last-logout: ${JSON.stringify(last)}`);
    // The provider session is gone: a new authorization without login_hint shows the login form again.
    const { challenge } = pkce();
    const again = await follow(authUrl(disco, { state: 'x', nonce: 'y', challenge }), f.jar);
    check('after logout the provider session is gone (login form again)', again.body?.includes('Se connecter'), again.final);
    const unreg = new URL(disco.end_session_endpoint);
    unreg.search = new URLSearchParams({ id_token_hint: f.token.json.id_token, post_logout_redirect_uri: 'http://127.0.0.1:3126/evil' });
    const r = await fetch(unreg, { redirect: 'manual' });
    check('end_session with unregistered post_logout_redirect_uri -> 400', r.status === 400, r.status);
  }

  // ---------------------------------------------------------------- openid-client 6 as an independent RP
  {
    const config = await oidc.discovery(new URL(ISSUER), CLIENT_ID, { client_secret: CLIENT_SECRET, userinfo_signed_response_alg: 'RS256', id_token_signed_response_alg: 'RS256' }, oidc.ClientSecretBasic(CLIENT_SECRET), { execute: [oidc.allowInsecureRequests] });
    // openid-client 6 trusts TLS by default and does NOT check the signatures of the token
    // endpoint's id_token nor of a JWT userinfo; non-repudiation checks turn that on.
    oidc.enableNonRepudiationChecks(config);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI, scope: SCOPE, state, nonce, login_hint: CAMILLE, acr_values: 'eidas1',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const { final } = await follow(url.href, new Jar());
    const tokens = await oidc.authorizationCodeGrant(config, new URL(final), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const claims = tokens.claims();
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    check('openid-client 6: code flow + signed userinfo validated', info.siret === '13002526500013' && info.usual_name === 'Martin', info);
    const endUrl = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: POST_LOGOUT, state: 'oc-state' });
    check('openid-client 6: buildEndSessionUrl targets end_session_endpoint', endUrl.href.startsWith(disco.end_session_endpoint));

    await mischief('expired_id_token');
    const v2 = oidc.randomPKCECodeVerifier();
    const url2 = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: SCOPE, state, nonce, login_hint: CAMILLE, code_challenge: await oidc.calculatePKCECodeChallenge(v2), code_challenge_method: 'S256' });
    const { final: f2 } = await follow(url2.href, new Jar());
    let err;
    try { await oidc.authorizationCodeGrant(config, new URL(f2), { pkceCodeVerifier: v2, expectedState: state, expectedNonce: nonce }); } catch (e) { err = e; }
    check('openid-client 6: expired id_token rejected', !!err, 'no error');
    console.log(`# openid-client error on expired id_token: ${err?.code} ${err?.message}`);
    await mischief('bad_userinfo_signature');
    const v3 = oidc.randomPKCECodeVerifier();
    const url3 = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: SCOPE, state, nonce, login_hint: CAMILLE, code_challenge: await oidc.calculatePKCECodeChallenge(v3), code_challenge_method: 'S256' });
    const { final: f3 } = await follow(url3.href, new Jar());
    const t3 = await oidc.authorizationCodeGrant(config, new URL(f3), { pkceCodeVerifier: v3, expectedState: state, expectedNonce: nonce });
    let err3;
    try { await oidc.fetchUserInfo(config, t3.access_token, t3.claims().sub); } catch (e) { err3 = e; }
    check('openid-client 6: corrupted userinfo signature rejected', !!err3, 'no error');
    console.log(`# openid-client error on bad userinfo signature: ${err3?.code} ${err3?.message}`);
    await mischief('bad_id_token_signature');
    const v4 = oidc.randomPKCECodeVerifier();
    const url4 = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: SCOPE, state, nonce, login_hint: CAMILLE, code_challenge: await oidc.calculatePKCECodeChallenge(v4), code_challenge_method: 'S256' });
    const { final: f4 } = await follow(url4.href, new Jar());
    let err4;
    try { await oidc.authorizationCodeGrant(config, new URL(f4), { pkceCodeVerifier: v4, expectedState: state, expectedNonce: nonce }); } catch (e) { err4 = e; }
    check('openid-client 6: corrupted id_token signature rejected', !!err4, 'no error');
    console.log(`# openid-client error on bad id_token signature: ${err4?.code} ${err4?.message}`);
    await mischief('none');
  }
} catch (err) {
  failed += 1;
  console.log(`not ok - unexpected exception: ${err.stack}`);
} finally {
  child.kill('SIGTERM');
  const code = await new Promise((resolve) => {
    const t = setTimeout(() => { child.kill('SIGKILL'); resolve('killed'); }, 5000);
    child.on('exit', (c) => { clearTimeout(t); resolve(c); });
  });
  check('provider exits cleanly on SIGTERM', code === 0, code);
  if (failed) console.log(`# provider output:\n${childOut}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
