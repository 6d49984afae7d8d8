// The offline copy (service worker, served at /sw.js by server/src/router.rs, which puts the
// build's name in `BUILD`, the public site's paths, `PUBLIC_PATHS` and `PUBLIC_PREFIXES`, and
// the site's French words for modes, months and days, `MODES`, `MONTHS` and `WEEKDAYS`, above
// this line). After one visit, the public pages seen, the programme (its catalogue
// comes with it, so the filters work offline), « Mon programme » and the pages of the events
// saved in it open without a network; the organizer's draft is kept by the form itself
// (localStorage).
//
// - Public pages (the server's page cache's list): network first, so an online
//   visitor always gets the current page; the copy kept serves when the network fails.
//   `/programme?…` offline falls back to the programme kept under another query: the page
//   filters itself from its catalogue. An event page never kept shows the event's essentials
//   from the kept catalogue (`abridgedEventPage`); any other page never kept, a French notice.
// - Files whose name carries a hash of their content (`/pkg/mip.<hash>.wasm`…) and the
//   versioned catalogue (`?v=`): cache first, they never change. Other static files (fonts,
//   icons, or `/pkg/` built without hashes): network first, as pages (the browser's HTTP
//   cache still answers most of them without a request).
// - Anything else (organizer, moderation and admin pages, forms, server functions): not
//   touched, never kept (they are personal).
// - A weak network: a public page, a static file or a catalogue that the network has not
//   answered within `NETWORK_TIMEOUT_MS` (3 s) comes from the copy, if it holds one; the
//   network's answer, when it comes, updates the copy in the background. A page served from
//   the copy says so at its top: « Hors connexion — programme du {date, heure} » (the time it
//   was kept), gone when the browser is back online.
// A new build (another `BUILD`) starts a new copy and takes the old one's content over before
// deleting it (kept pages name the old build's files, which stay with them); the next online
// visit of each page brings the new build's.
const CACHE = `mip-offline-${BUILD}`;
const NETWORK_TIMEOUT_MS = 3000;
// When a response was kept, in the copy (read back for the banner).
const KEPT_AT = "x-mip-kept-at";

const isPublicPage = (path) =>
  PUBLIC_PATHS.includes(path) || PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix));
const isCatalogue = (path) => /^\/api\/v1\/(editions\/[0-9]{4}\/)?catalogue\.json$/.test(path);
// `name.<22 characters of base64url MD5>.ext`, as cargo-leptos names hashed files.
const isHashed = (path) => path.startsWith("/pkg/") && /\.[A-Za-z0-9_-]{22}\.[a-z]+$/.test(path);
const isStatic = (path) =>
  /^\/(pkg|fonts|icons)\//.test(path) || /^\/[^/]+\.(svg|png|ico|json|txt)$/.test(path);

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const name of await caches.keys()) {
        if (name === CACHE) continue;
        // An older build's copy: what the new one does not hold yet is taken over, then the
        // old copy goes.
        if (name.startsWith("mip-offline-")) {
          const old = await caches.open(name);
          for (const request of await old.keys()) {
            if (await cache.match(request)) continue;
            const response = await old.match(request);
            if (response) await cache.put(request, response);
          }
        }
        await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The first page a visitor opens is loaded before this worker runs: it sends its own address
// and files (from the browser's HTTP cache, mostly) to be kept (`keep`). Every page sends the
// pages of the events saved in « Mon programme » (`keepMissing`: kept if not yet, so that a
// saved event opens offline even if its page was never opened, or after a new build emptied
// the copy), and asks for « Mon programme » itself (its page and wasm) when something is saved:
// `keepMyProgramme` is `true` after a click on a save button (the page is fetched again),
// `"missing"` on a page load (only if not kept yet).
let queue = Promise.resolve();
self.addEventListener("message", (event) => {
  const data = event.data || {};
  const list = (urls) => (Array.isArray(urls) ? urls.filter((url) => typeof url === "string") : []);
  // One message at a time: « Mon programme » reads wasm-split's loader from the copy, which
  // the files of the same or an earlier message bring.
  queue = queue
    .then(() => keepFiles(list(data.keep), false))
    .then(() => keepFiles(list(data.keepMissing), true))
    .then(() => (data.keepMyProgramme ? keepMyProgramme(data.keepMyProgramme === "missing") : undefined))
    .catch(() => {});
  event.waitUntil(queue);
});

// Keeps the public pages and static files among `urls` (a fresh copy from the network, or
// only those not kept yet if `onlyMissing`; a hashed file kept never changes).
async function keepFiles(urls, onlyMissing) {
  const cache = await caches.open(CACHE);
  for (const address of urls) {
    let url;
    try {
      url = new URL(address, self.location.origin);
    } catch {
      continue;
    }
    if (url.origin !== self.location.origin) continue;
    const path = url.pathname;
    if (!isPublicPage(path) && !isStatic(path) && !isCatalogue(path)) continue;
    if ((onlyMissing || isHashed(path)) && (await cache.match(url))) continue;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok) await keep(cache, url, response);
    } catch {
      // Offline already: nothing to keep.
    }
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (request.mode === "navigate") {
    if (isPublicPage(path)) event.respondWith(networkFirst(event, request, url));
  } else if (isHashed(path) || (isCatalogue(path) && url.searchParams.has("v"))) {
    event.respondWith(cacheFirst(request, url));
  } else if (isStatic(path) || isCatalogue(path)) {
    event.respondWith(networkFirst(event, request, url));
  }
});

async function keepMyProgramme(onlyMissing) {
  const cache = await caches.open(CACHE);
  const page = new URL("/mon-programme", self.location.origin);
  if (!onlyMissing || !(await cache.match(page))) {
    const response = await fetch(page, { credentials: "same-origin" });
    if (response.ok) await keep(cache, page, response);
  }
  // Its lazy island's wasm and the chunks it needs, as named by wasm-split's loader (which
  // every page with an island has loaded, so it is kept already).
  const loader = (await cache.keys()).find((r) => /\/pkg\/__wasm_split\.[^/]*\.js$/.test(r.url));
  if (!loader) return;
  for (const file of splitModuleFiles(await (await cache.match(loader)).text(), "my_programme_loader")) {
    const url = new URL(file, loader.url);
    if (await cache.match(url)) continue;
    const wasm = await fetch(url);
    if (wasm.ok) await keep(cache, url, wasm);
  }
}

// The files of one split module in wasm-split's generated loader: the shared chunks listed as
// its dependencies, then the module's own wasm. Empty when the loader is not as expected.
function splitModuleFiles(loader, module) {
  const chunks = new Map(
    [...loader.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("([^"]+)"/g)]
      .map((m) => [m[1], m[2]]),
  );
  const own = new RegExp(
    `__wasm_split_load_${module}_\\d+ = wrapAsyncCb\\(makeLoad\\(\\(\\) => \\{\\s*const src = fetch\\(new URL\\("([^"]+)"[\\s\\S]*?\\}\\s*,\\s*\\[([^\\]]*)\\]`,
  ).exec(loader);
  if (!own) return [];
  const deps = own[2].split(",").map((name) => chunks.get(name.trim())).filter(Boolean);
  // The module last: once it is kept, all it needs is.
  return [...deps, own[1]];
}

// The network, unless it is down or slower than `NETWORK_TIMEOUT_MS` and the copy holds the
// page: then the copy (a page with its banner), the network's later answer kept for next time.
async function networkFirst(event, request, url) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (response) => {
    if (response.ok) await keep(cache, url, response.clone());
    return response;
  });
  // The worker stays alive until the network's answer is kept, even after the copy answered.
  event.waitUntil(network.then(() => {}, () => {}));
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, NETWORK_TIMEOUT_MS, "late");
  });
  let failure;
  try {
    const first = await Promise.race([network, late]);
    if (first instanceof Response) return first;
  } catch (error) {
    failure = error;
  } finally {
    clearTimeout(timer);
  }
  const kept = await keptCopy(cache, url);
  if (kept) return request.mode === "navigate" ? withBanner(kept) : kept;
  if (!failure) {
    // Slow, and nothing kept: the network's answer after all.
    try {
      return await network;
    } catch (error) {
      failure = error;
    }
  }
  if (request.mode === "navigate") return (await abridgedEventPage(cache, url)) || offlinePage();
  throw failure;
}

// The kept copy of `url`: the programme under another selection will do (it filters itself
// from its catalogue), and so will another version of a catalogue.
async function keptCopy(cache, url) {
  return (
    (await cache.match(url)) ||
    (url.pathname === "/programme"
      ? (await cache.match("/programme")) || (await cache.match(url, { ignoreSearch: true }))
      : isCatalogue(url.pathname)
        ? await cache.match(url, { ignoreSearch: true })
        : undefined)
  );
}

async function cacheFirst(request, url) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(url);
  if (kept) return kept;
  try {
    const response = await fetch(request);
    if (response.ok) await keep(cache, url, response.clone());
    return response;
  } catch (error) {
    // A kept page that names a catalogue version the copy no longer has: the version kept.
    const other = isCatalogue(url.pathname) ? await cache.match(url, { ignoreSearch: true }) : undefined;
    if (other) return other;
    throw error;
  }
}

// Keeps a response, with the time it was kept; a catalogue's new version replaces the older
// ones (a kept page that names an older one gets the one kept: `keptCopy`, `cacheFirst`).
async function keep(cache, url, response) {
  if (isCatalogue(url.pathname)) {
    for (const old of await cache.keys()) {
      const oldUrl = new URL(old.url);
      if (oldUrl.pathname === url.pathname && oldUrl.search !== url.search) await cache.delete(old);
    }
  }
  const headers = new Headers(response.headers);
  headers.set(KEPT_AT, new Date().toISOString());
  const body = await response.arrayBuffer();
  await cache.put(url, new Response(body, { status: response.status, statusText: response.statusText, headers }));
}

// A kept page, with « Hors connexion — programme du {date, heure} » at its top (before `<main`).
async function withBanner(kept) {
  const keptAt = kept.headers.get(KEPT_AT);
  const html = await kept.text();
  const at = html.indexOf("<main");
  if (at < 0 || !keptAt) {
    return new Response(html, { status: kept.status, headers: withoutLength(kept.headers) });
  }
  const banner =
    `<div class="fr-notice fr-notice--info" id="mip-hors-connexion" role="status"><div class="fr-container">` +
    `<div class="fr-notice__body"><p class="fr-notice__title">Hors connexion — programme du ${escapeHtml(parisTime(keptAt))}</p>` +
    `</div></div></div>`;
  return new Response(html.slice(0, at) + banner + html.slice(at), {
    status: kept.status,
    headers: withoutLength(kept.headers),
  });
}

const withoutLength = (headers) => {
  const copy = new Headers(headers);
  copy.delete("content-length");
  copy.delete("content-encoding");
  return copy;
};

// « mardi 10 novembre 2026, 9 h 05 », Paris time, in the site's words.
function parisTime(iso) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Paris",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      hourCycle: "h23",
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, Number(p.value)]),
  );
  const weekday = WEEKDAYS[new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay()];
  const day = parts.day === 1 ? "1er" : parts.day;
  return `${weekday} ${day} ${MONTHS[parts.month - 1]} ${parts.year}, ${parts.hour}\u00a0h\u00a0${String(parts.minute).padStart(2, "0")}`;
}

// An event page never opened, offline: the essentials of the event (title, summary, date,
// place, format, themes, organizer) from the kept catalogue of its edition, which lists every
// event of the programme, in the site's stylesheet if kept. `undefined` when the address is not
// an event's page or no kept catalogue has it.
async function abridgedEventPage(cache, url) {
  const match = /^\/evenements\/([^/]+)$/.exec(url.pathname);
  if (!match) return undefined;
  let slug;
  try {
    slug = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  const kept = await cache.keys();
  let catalogue, event;
  for (const request of kept.filter((r) => isCatalogue(new URL(r.url).pathname))) {
    try {
      const candidate = await (await cache.match(request)).json();
      event = (candidate.events || []).find((e) => slugOf(e) === slug);
      if (event) {
        catalogue = candidate;
        break;
      }
    } catch {
      // Not readable: try another.
    }
  }
  if (!event) return undefined;
  const label = (list, index) => (list && list[index] ? list[index].l : "");
  const stylesheet = kept.map((r) => new URL(r.url)).find((u) => /^\/pkg\/[^/]+\.css$/.test(u.pathname));
  const region = label(catalogue.regions, event.g);
  const place = event.c ? `${event.c} (${region})` : region;
  const facts = [
    ["Date", whenLabel(event.a, event.b)],
    ["Format", label(catalogue.formats, event.f)],
    ["Modalité", MODES[event.m] || ""],
    ["Lieu", place],
    ["Organisé par", event.n],
  ];
  const body = `<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(event.t)} – Mois de l'innovation publique</title>
${stylesheet ? `<link rel="stylesheet" href="${escapeHtml(stylesheet.pathname)}">` : ""}
</head><body><main class="fr-container fr-py-4w" id="contenu">
<p class="fr-mb-3w"><a class="fr-link" href="/">Mois de l'innovation publique</a></p>
<div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w" id="version-hors-connexion"><p>Vous êtes hors connexion : voici l'essentiel de cet événement, d'après le programme gardé sur cet appareil. Sa page complète (présentation, accès, inscription) s'affichera quand le réseau sera revenu.</p></div>
${event.x ? `<div class="fr-alert fr-alert--warning fr-mb-3w"><h2 class="fr-alert__title">Événement annulé</h2><p>Les organisateurs ont annulé cet événement.</p></div>` : ""}
<h1>${escapeHtml(event.t)}</h1>
<p class="fr-text--lead">${escapeHtml(event.r)}</p>
<ul class="fr-tags-group fr-mb-3w">${(event.h || []).map((t) => `<li><p class="fr-tag">${escapeHtml(label(catalogue.themes, t))}</p></li>`).join("")}</ul>
<dl class="mip-offline-facts">${facts.filter(([, v]) => v).map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>
<p><a class="fr-link" href="/programme">Le programme</a> · <a class="fr-link" href="/mon-programme">Mon programme</a></p>
</main></body></html>`;
  return new Response(body, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// An event's slug: the catalogue leaves it out when the title gives it, and writes only -n
// when it is that slug followed by a number. The title gives it the same way as `derived_slug`
// (app/src/programme/catalog.rs): ASCII and French letters only (the server checks), accents
// dropped, œ and æ written out, any run of other characters a dash, cut to 80 characters.
const derivedSlug = (title) =>
  title
    .replace(/[œŒ]/g, "oe")
    .replace(/[æÆ]/g, "ae")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-/, "")
    .slice(0, 80)
    .replace(/-+$/, "");
const slugOf = (e) =>
  !e.s ? derivedSlug(e.t) : e.s[0] === "-" ? derivedSlug(e.t) + e.s : e.s;

// The event's dates as the site writes them (app/src/events/model.rs, `when_label`, and
// app/src/fr.rs, whose words the server hands over): « mardi 8 novembre 2022, 14 h 00 – 16 h 30 », « du … au … ». `start` and `end`
// are the venue's wall-clock times (`2026-11-02T10:00:00`), read as such.
function whenLabel(start, end) {
  const parse = (text) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text || "");
    return m ? m.slice(1).map(Number) : undefined;
  };
  const a = parse(start);
  const b = parse(end);
  if (!a || !b) return "";
  const date = ([y, mo, d]) =>
    `${WEEKDAYS[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()]} ${d === 1 ? "1er" : d} ${MONTHS[mo - 1]} ${y}`;
  const time = ([, , , h, mi]) => `${h}\u00a0h\u00a0${String(mi).padStart(2, "0")}`;
  const sameDay = a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
  return sameDay
    ? `${date(a)}, ${time(a)} – ${time(b)}`
    : `du ${date(a)}, ${time(a)} au ${date(b)}, ${time(b)}`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function offlinePage() {
  const body = `<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hors connexion – Mois de l'innovation publique</title>
<style>body{font-family:Marianne,system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:2rem 1rem;line-height:1.5;color:#161616}a{color:#000091}</style>
</head><body><main>
<h1>Vous êtes hors connexion</h1>
<p>Cette page n'a pas encore été consultée sur cet appareil : elle s'affichera quand le réseau sera revenu.</p>
<p>Les pages déjà consultées restent disponibles, ainsi que <a href="/programme">le programme</a> et <a href="/mon-programme">mon programme</a>.</p>
</main></body></html>`;
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}
