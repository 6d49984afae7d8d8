import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, expect, test, type Page } from "@playwright/test";

// Issue 25: the offline copy survives an update of the platform. Two builds of the server (the
// build under test, under two build names: its hashed files renamed, as a new build renames
// them) take turns on one address, with one database. After one visit under the first, the
// programme (filtered), three events and « Mon programme » work offline; the network comes back
// with the second build, whose worker pre-caches its shell and takes the old copy over; offline
// again, everything still works, with the second build's files.

const root = path.resolve(__dirname, "../..");
const server = path.resolve(root, process.env.E2E_SERVER || "target/debug/server");
const port = 3190;
const origin = `http://127.0.0.1:${port}`;

/** The build's `hash.txt` lines, by kind (`js`, `wasm`, `css`…). */
function hashes(): Record<string, string> {
  const text = readFileSync(path.join(path.dirname(server), "hash.txt"), "utf8");
  return Object.fromEntries(
    text
      .split("\n")
      .map((line) => line.split(":").map((part) => part.trim()))
      .filter((parts) => parts.length === 2 && parts[1]),
  );
}

/** The hash of a kind of file (`wasm`, `css`) in the build named `name`: 22 characters,
 *  as cargo-leptos's. */
const fake = (name: string, kind: string) => `${name}${kind}`.padEnd(22, "x").slice(0, 22);
const copyName = (name: string) => `mip-offline-mip.${fake(name, "wasm")}`;

/** A copy of the build under `name`: its binary, a `hash.txt` whose wasm and css hashes are
 *  `name`'s, and a site whose `pkg` holds those files under the new names. */
function makeBuild(dir: string, name: string): string {
  const build = path.join(dir, name);
  const site = path.join(build, "site");
  const pkg = path.join(site, "pkg");
  mkdirSync(pkg, { recursive: true });
  const siteRoot = path.resolve(root, process.env.E2E_SITE_ROOT || "target/site");
  for (const entry of readdirSync(siteRoot)) {
    if (entry !== "pkg") symlinkSync(path.join(siteRoot, entry), path.join(site, entry));
  }
  for (const entry of readdirSync(path.join(siteRoot, "pkg"))) {
    symlinkSync(path.join(siteRoot, "pkg", entry), path.join(pkg, entry));
  }
  const original = hashes();
  const lines = [];
  for (const [kind, hash] of Object.entries(original)) {
    // The wasm and the stylesheet. The main script keeps its name: wasm-split's loader imports
    // it by that name, and a renamed copy would be a second, uninitialised module.
    if (["wasm", "css"].includes(kind)) {
      for (const suffix of ["", ".br", ".gz"]) {
        const from = path.join(siteRoot, "pkg", `mip.${hash}.${kind}${suffix}`);
        if (existsSync(from)) copyFileSync(from, path.join(pkg, `mip.${fake(name, kind)}.${kind}${suffix}`));
      }
      lines.push(`${kind}: ${fake(name, kind)}`);
    } else {
      lines.push(`${kind}: ${hash}`);
    }
  }
  copyFileSync(server, path.join(build, "server"));
  writeFileSync(path.join(build, "hash.txt"), lines.join("\n") + "\n");
  return build;
}

async function start(build: string, dir: string): Promise<ChildProcess> {
  const child = spawn(path.join(build, "server"), ["--demo"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${path.join(dir, "db.sqlite")}?mode=rwc`,
      MIP_NOW: "2026-11-10T08:00:00Z",
      MIP_OUTBOX_DIR: path.join(dir, "outbox"),
      MIP_PUBLIC_URL: origin,
      LEPTOS_OUTPUT_NAME: "mip",
      LEPTOS_SITE_ROOT: path.join(build, "site"),
      LEPTOS_SITE_PKG_DIR: "pkg",
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_ENV: "PROD",
      LEPTOS_HASH_FILES: "true",
      RUST_LOG: "warn",
    },
    stdio: "ignore",
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return child;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`the server of ${build} did not start`);
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

const hydrated = (page: Page) => page.waitForFunction(() => (window as any).__mipHydrated === true, null, { timeout: 20_000 });

/** The names of the offline copies and what each holds. */
const copies = (page: Page) =>
  page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search);
    }
    return out;
  });

/** Offline: the programme filters from its catalogue, the events and « Mon programme » open. */
async function everythingWorksOffline(page: Page, total: string, events: { href: string; title: string }[]) {
  await page.goto("/programme");
  await hydrated(page);
  await expect(page.locator("#mip-hors-connexion")).toContainText("Hors connexion — programme du");
  await expect(page.locator("#nombre-resultats")).toHaveText(total);
  await page.getByLabel(/^Rechercher/).fill(events[0].title);
  await expect(page.locator("#nombre-resultats")).not.toHaveText(total);
  await expect(page.locator(".fr-card__title a", { hasText: events[0].title }).first()).toBeVisible();
  for (const event of events) {
    await page.goto(event.href);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(event.title);
  }
  await page.goto("/mon-programme");
  await hydrated(page);
  await expect(page.getByRole("link", { name: events[0].title })).toBeVisible();
}

test("the offline copy survives a new build, whose files it then uses", async ({}, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "a service worker needs JavaScript");
  test.setTimeout(180_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), "mip-builds-"));
  const first = makeBuild(dir, "premiere");
  const second = makeBuild(dir, "seconde");
  const browser = await chromium.launch(testInfo.project.use.launchOptions);
  const context = await browser.newContext({ baseURL: origin, locale: "fr-FR", timezoneId: "Europe/Paris" });
  let running = await start(first, dir);
  try {
    const page = await context.newPage();
    await page.goto("/programme");
    await hydrated(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const total = await page.locator("#nombre-resultats").innerText();
    const links = page.locator(".fr-card__title a");
    const events = [];
    for (let i = 0; i < 3; i++) {
      events.push({ href: (await links.nth(i).getAttribute("href"))!, title: (await links.nth(i).innerText()).trim() });
    }
    for (const event of events) {
      await page.goto(event.href);
      await hydrated(page);
    }
    // The first event saved to « Mon programme » (which the worker then keeps).
    await page.goto(events[0].href);
    await hydrated(page);
    await page.getByRole("button", { name: "Ajouter à mon programme" }).first().click();
    await expect
      .poll(async () => {
        const kept = Object.entries(await copies(page)).find(([name]) => name.startsWith("mip-offline-"))?.[1] || [];
        return ["/programme", "/mon-programme", ...events.map((e) => e.href)].every((p) => kept.includes(p));
      }, { timeout: 20_000 })
      .toBe(true);
    expect(Object.keys(await copies(page))).toContain(copyName("premiere"));

    await context.setOffline(true);
    await everythingWorksOffline(page, total, events);
    await context.setOffline(false);

    // The network comes back with the new build.
    await stop(running);
    running = await start(second, dir);
    await page.goto("/programme");
    await hydrated(page);
    // Its worker installs (the shell pre-cached), takes the old copy over and deletes it.
    await expect
      .poll(async () => Object.keys(await copies(page)).filter((n) => n.startsWith("mip-offline-")), { timeout: 30_000 })
      .toEqual([copyName("seconde")]);
    const kept = (await copies(page))[copyName("seconde")];
    for (const file of [`/pkg/mip.${fake("seconde", "css")}.css`, `/pkg/mip.${fake("seconde", "wasm")}.wasm`, "/mon-programme", ...events.map((e) => e.href)]) {
      expect(kept, file).toContain(file);
    }

    await context.setOffline(true);
    await everythingWorksOffline(page, total, events);
    // The programme offline runs the new build's files.
    await page.goto("/programme");
    await hydrated(page);
    const files = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname));
    expect(files).toContain(`/pkg/mip.${fake("seconde", "wasm")}.wasm`);
    expect(files.filter((f) => f.includes("premiere"))).toEqual([]);
    await context.setOffline(false);
  } finally {
    await stop(running);
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
