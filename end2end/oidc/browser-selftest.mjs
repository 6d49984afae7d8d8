#!/usr/bin/env node
// Browser check of the fake ProConnect login page: headless Chromium (Debian's /usr/bin/chromium,
// driven by the Playwright installed at the repository root) opens the authorization URL, fills
// the form, clicks « Se connecter » and must land on a redirect_uri served by a tiny listener
// on 3126; then « Annuler » must give error=access_denied, and RP-initiated logout must land on
// post_logout_redirect_uri. Usage: node browser-selftest.mjs [screenshot.png]
// Env: SELFTEST_PORT (default 3125), RP_PORT (default 3126), CHROMIUM (default /usr/bin/chromium).

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'package.json'));
const { chromium } = require('@playwright/test');

const PORT = Number(process.env.SELFTEST_PORT || 3125);
const RP_PORT = Number(process.env.RP_PORT || 3126);
const ISSUER = `http://127.0.0.1:${PORT}`;
const RP = `http://127.0.0.1:${RP_PORT}`;
const REDIRECT_URI = `${RP}/auth/callback`;
const POST_LOGOUT = `${RP}/logged-out`;
const CLIENT_ID = 'browser-client';
const CLIENT_SECRET = 'browser-secret';
const shot = process.argv[2];

let passed = 0;
let failed = 0;
const check = (name, cond, extra) => {
  if (cond) { passed += 1; console.log(`ok - ${name}`); } else { failed += 1; console.log(`not ok - ${name}${extra ? ` :: ${extra}` : ''}`); }
};

const rp = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><title>RP</title><p id="where">${req.url.replace(/[<>&"]/g, '')}</p>`);
});
await new Promise((r) => rp.listen(RP_PORT, '127.0.0.1', r));

const child = spawn(process.execPath, [path.join(here, 'provider.mjs')], {
  env: { ...process.env, OIDC_PORT: String(PORT), OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET, OIDC_REDIRECT_URIS: REDIRECT_URI, OIDC_POST_LOGOUT_REDIRECT_URIS: POST_LOGOUT, OIDC_AUTO_LOGIN: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (d) => { out += d; if (out.includes('ready ')) resolve(); });
  child.on('exit', (c) => reject(new Error(`provider exited ${c}`)));
});

const b64 = (b) => Buffer.from(b).toString('base64url');
function authUrl(state) {
  const verifier = b64(crypto.randomBytes(32));
  const u = new URL(`${ISSUER}/authorize`);
  u.search = new URLSearchParams({
    response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI,
    scope: 'openid given_name usual_name email uid siret', state, nonce: b64(crypto.randomBytes(12)),
    code_challenge: b64(crypto.createHash('sha256').update(verifier).digest()), code_challenge_method: 'S256',
  });
  return { url: u.href, verifier };
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
try {
  const page = await browser.newPage();
  // « Annuler »
  await page.goto(authUrl('st-cancel').url);
  await page.getByRole('link', { name: 'Annuler' }).click();
  await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
  const c = new URL(page.url());
  check('Annuler -> redirect_uri?error=access_denied&state', c.searchParams.get('error') === 'access_denied' && c.searchParams.get('state') === 'st-cancel', page.url());

  // « Se connecter »
  const { url, verifier } = authUrl('st-login');
  await page.goto(url);
  check('login page title', (await page.title()).includes('Connexion'));
  await page.getByLabel('Adresse e-mail professionnelle').fill('agent.nouveau@example.gouv.fr');
  await page.getByLabel('Mot de passe').fill('proconnect');
  if (shot) await page.screenshot({ path: shot, fullPage: true });
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
  const cb = new URL(page.url());
  const code = cb.searchParams.get('code');
  check('Se connecter -> redirect_uri?code&state', !!code && cb.searchParams.get('state') === 'st-login', page.url());
  const tok = await (await fetch(`${ISSUER}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
  })).json();
  check('code exchanged for an id_token', typeof tok.id_token === 'string', JSON.stringify(tok));

  // Session exists now: a new authorization goes straight through (no form).
  await page.goto(authUrl('st-sso').url);
  await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));
  check('existing provider session: straight back with a code', new URL(page.url()).searchParams.has('code'), page.url());

  // RP-initiated logout.
  const end = new URL(`${ISSUER}/session/end`);
  end.search = new URLSearchParams({ id_token_hint: tok.id_token, post_logout_redirect_uri: POST_LOGOUT, state: 'st-bye' });
  await page.goto(end.href);
  await page.waitForURL((u) => u.href.startsWith(POST_LOGOUT));
  check('end_session -> post_logout_redirect_uri?state', new URL(page.url()).searchParams.get('state') === 'st-bye', page.url());
  await page.goto(authUrl('st-after').url);
  check('after logout the login form shows again', await page.getByRole('button', { name: 'Se connecter' }).isVisible());
} catch (err) {
  failed += 1;
  console.log(`not ok - unexpected exception: ${err.stack}`);
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rp.close();
  await new Promise((r) => child.on('exit', r));
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
