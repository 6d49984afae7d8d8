import { defineConfig } from "@playwright/test";

// The server under test: the debug build of `cargo leptos build`, on its own port, with a
// fresh database holding the demo and a fixed "now" (10 November 2026, 9:00 in Paris):
// nothing depends on the day the tests run.
// E2E_PORT: another port (and database) to run beside another run on the same machine.
const port = Number(process.env.E2E_PORT || 3100);
export const baseURL = `http://127.0.0.1:${port}`;
// A real OpenID provider playing ProConnect (end2end/oidc), 20 ports above the site's; the
// site is configured to offer sign-in with it (start-server.sh).
export const proconnectPort = port + 20;
export const proconnectIssuer = `http://127.0.0.1:${proconnectPort}`;

const chromium = {
  browserName: "chromium" as const,
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: { baseURL, locale: "fr-FR", timezoneId: "Europe/Paris", trace: "off" },
  projects: [
    { name: "sans-js", use: { ...chromium, javaScriptEnabled: false } },
    { name: "avec-js", use: { ...chromium, javaScriptEnabled: true } },
  ],
  webServer: [
    {
      command: "node ./oidc/provider.mjs",
      url: `${proconnectIssuer}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: {
        OIDC_PORT: String(proconnectPort),
        OIDC_CLIENT_ID: "mip-e2e",
        OIDC_CLIENT_SECRET: "mip-e2e-secret",
        OIDC_REDIRECT_URIS: `${baseURL}/connexion/proconnect/retour`,
        OIDC_POST_LOGOUT_REDIRECT_URIS: `${baseURL}/connexion/proconnect/deconnecte`,
        // The second user has the demo organizer's address: signing in with ProConnect
        // asks for that account's password, once, to link them.
        OIDC_LINK_EMAIL: "organisatrice@example.org",
      },
    },
    {
      command: "bash ./start-server.sh",
      url: `${baseURL}/healthz`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: {
        E2E_PORT: String(port),
        E2E_DB_SUFFIX: port === 3100 ? "" : `-${port}`,
        MIP_PROCONNECT_ISSUER: proconnectIssuer,
        MIP_PROCONNECT_CLIENT_ID: "mip-e2e",
        MIP_PROCONNECT_CLIENT_SECRET: "mip-e2e-secret",
      },
    },
  ],
});
