// The offline copy (service worker, served at /sw.js by server/src/router.rs, which puts the
// build's name in `BUILD`, the public site's paths, `PUBLIC_PATHS` and `PUBLIC_PREFIXES`, what
// to keep at install, `PRECACHE`, and
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
// - The organizer's dashboard and event form (`isPrivatePage`): network first, kept in a
//   private copy (`PRIVATE`) of one account at a time (the account the page names,
//   `data-mip-compte`): a page of another account empties it first, and so do a sign-out
//   (online or not) and a page that sends to the sign-in. Offline, the dashboard is shown
//   read-only, with the date of the copy; the form opens (new events, and the events whose
//   page the copy holds: the dashboard hands them over) and its saves go to the drafts' queue.
// - The drafts' queue (`DRAFTS`, IndexedDB): saves and submissions of the event form made
//   without a network, several per account, one entry per event (the last input; a
//   submission stays asked for). Sent in order (`flushDrafts`) when a page asks (on `online`,
//   `visibilitychange`, at each page load) and on Background Sync; a new event carries the
//   key its form made, so a replay is the same event; a save whose answer was lost is checked
//   against the server's version before calling it a conflict. A refusal (conflict, invalid
//   input) stays in the queue with its answer, for the form to show.
// - Anything else (moderation and admin pages, other forms, server functions): not touched,
//   never kept (they are personal).
// - A weak network: a public page, a static file or a catalogue that the network has not
//   answered within `NETWORK_TIMEOUT_MS` (3 s) comes from the copy, if it holds one; the
//   network's answer, when it comes, updates the copy in the background. A page served from
//   the copy says so at its top: « Hors connexion — programme du {date, heure} » (the time it
//   was kept), gone when the browser is back online.
// A new build (another `BUILD`) starts a new copy and takes the old one's content over before
// deleting it (kept pages name the old build's files, which stay with them); the next online
// visit of each page brings the new build's.
const CACHE = `mip-offline-${BUILD}`;
const PRIVATE = "mip-private";
// The account a private page belongs to, as the server writes it in the page.
const ACCOUNT_MARK = /data-mip-compte="([0-9]+)"/;
const SIGN_OUT = "/api/compte/deconnexion";
const isPrivatePage = (path) =>
  path === "/organisateur" || /^\/organisateur\/evenements\/(nouveau|[0-9]+)$/.test(path);
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

// At install, before it takes over: the shell of the offline pages, as the server lists it
// (`PRECACHE`: the programme, « Mon programme », the current catalogue, the build's files),
// the catalogue version the kept programme names, and the lazy islands' wasm those pages load.
// Each file is best effort: one that fails is fetched again when a page names it.
self.addEventListener("install", (event) => {
  event.waitUntil(precache().catch(() => {}).then(() => self.skipWaiting()));
});

async function precache() {
  const cache = await caches.open(CACHE);
  for (const address of PRECACHE) {
    const url = new URL(address, self.location.origin);
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) continue;
      if (response.headers.get("content-type")?.startsWith("text/html")) {
        const html = await response.clone().text();
        // The catalogue version the page names (so that the kept page and its data agree) and
        // the build's files it links (its stylesheet).
        const named = [
          ...html.matchAll(/\/api\/v1\/(?:editions\/[0-9]{4}\/)?catalogue\.json\?v=[A-Za-z0-9_-]+/g),
          ...html.matchAll(/\/pkg\/[A-Za-z0-9_.-]+\.(?:css|js|wasm)/g),
        ];
        await keepFiles(named.map((m) => m[0]), true);
      }
      await keep(cache, url, response);
    } catch {
      // Offline while installing: the pages are kept on the next visit.
    }
  }
  await keepSplitModules(cache, ["programme_loader", "my_programme_loader"]);
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const name of await caches.keys()) {
        if (name === CACHE || name === PRIVATE) continue;
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
    .then(() => (data.keepPrivate ? keepPrivate(list(data.keepPrivate)) : undefined))
    .catch(() => {});
  event.waitUntil(queue);
  if (data.drafts) event.waitUntil(draftsMessage(data, event.ports[0]));
});

self.addEventListener("sync", (event) => {
  if (event.tag === "mip-drafts") event.waitUntil(flushDrafts());
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
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  // A sign-out empties the private copy, even offline; a sign-out page (no JavaScript, or the
  // dashboard's copy) that cannot reach the server says what was done and what was not.
  if (path === SIGN_OUT) {
    const emptied = caches.delete(PRIVATE);
    event.waitUntil(emptied);
    if (request.mode === "navigate") {
      event.respondWith(
        emptied.then(() => fetch(request)).catch(() =>
          notice(
            "Vous êtes hors connexion",
            "La copie de votre espace organisateur a été effacée de cet appareil. Votre session n'a pas pu être fermée sans réseau : déconnectez-vous à nouveau quand le réseau sera revenu.",
          ),
        ),
      );
    }
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    if (isPublicPage(path)) event.respondWith(networkFirst(event, request, url));
    else if (isPrivatePage(path)) event.respondWith(privateNetworkFirst(event, request, url));
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
  await keepSplitModules(cache, ["my_programme_loader"]);
}

// The wasm of lazy islands (`modules`) and the chunks they need, as named by wasm-split's
// loader, which the build's main script imports (kept by then, or fetched here).
async function keepSplitModules(cache, modules) {
  let loader = (await cache.keys()).find((r) => /\/pkg\/__wasm_split\.[^/]*\.js$/.test(r.url));
  if (!loader) {
    const main = (await cache.keys()).find((r) => /\/pkg\/[^/_][^/]*\.js$/.test(r.url));
    const name = main && /__wasm_split\.[A-Za-z0-9_-]+\.js/.exec(await (await cache.match(main)).text());
    if (!name) return;
    const url = new URL(name[0], main.url);
    const response = await fetch(url);
    if (!response.ok) return;
    await keep(cache, url, response);
    loader = new Request(url);
  }
  const code = await (await cache.match(loader)).text();
  for (const module of modules) {
    for (const file of splitModuleFiles(code, module)) {
      const url = new URL(file, loader.url);
      if (await cache.match(url)) continue;
      const wasm = await fetch(url);
      if (wasm.ok) await keep(cache, url, wasm);
    }
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
// ones that no kept page names (so a kept page and its data always agree; if ever one is
// missing, the version kept answers: `keptCopy`, `cacheFirst`).
async function keep(cache, url, response) {
  if (isCatalogue(url.pathname)) {
    const named = await namedCatalogues(cache);
    for (const old of await cache.keys()) {
      const oldUrl = new URL(old.url);
      if (oldUrl.pathname === url.pathname && oldUrl.search !== url.search && !named.has(oldUrl.pathname + oldUrl.search)) {
        await cache.delete(old);
      }
    }
  }
  const headers = new Headers(response.headers);
  headers.set(KEPT_AT, new Date().toISOString());
  const body = await response.arrayBuffer();
  await cache.put(url, new Response(body, { status: response.status, statusText: response.statusText, headers }));
}

// The catalogue versions the kept pages name (`/api/v1/editions/2026/catalogue.json?v=42`).
async function namedCatalogues(cache) {
  const named = new Set();
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (!response || !(response.headers.get("content-type") || "").startsWith("text/html")) continue;
    for (const m of (await response.text()).matchAll(/\/api\/v1\/(?:editions\/[0-9]{4}\/)?catalogue\.json\?v=[A-Za-z0-9_-]+/g)) {
      named.add(m[0]);
    }
  }
  return named;
}

// A kept page, with « Hors connexion — programme du {date, heure} » at its top (before `<main`),
// or another title (`title`, given the date); `readOnly` marks the `<main>` (its forms hidden).
async function withBanner(kept, title = (at) => `Hors connexion — programme du ${at}`, readOnly = false) {
  const keptAt = kept.headers.get(KEPT_AT);
  const html = await kept.text();
  const at = html.indexOf("<main");
  if (at < 0 || !keptAt) {
    return new Response(html, { status: kept.status, headers: withoutLength(kept.headers) });
  }
  const banner =
    `<div class="fr-notice fr-notice--info" id="mip-hors-connexion" role="status"><div class="fr-container">` +
    `<div class="fr-notice__body"><p class="fr-notice__title">${escapeHtml(title(parisTime(keptAt)))}</p>` +
    `</div></div></div>`;
  const main = readOnly ? "<main data-lecture-seule" + html.slice(at + 5) : html.slice(at);
  return new Response(html.slice(0, at) + banner + main, {
    status: kept.status,
    headers: withoutLength(kept.headers),
  });
}

// The organizer's pages: the network (then kept in the private copy, if it names its
// account), or, offline or slower than `NETWORK_TIMEOUT_MS`, the private copy with its banner.
async function privateNetworkFirst(event, request, url) {
  const key = new URL(url.pathname, url.origin);
  const network = fetch(request).then(async (response) => {
    await keepPrivateResponse(key, response.clone());
    return response;
  });
  event.waitUntil(network.then(() => {}, () => {}));
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, NETWORK_TIMEOUT_MS, "late");
  });
  try {
    const first = await Promise.race([network, late]);
    if (first instanceof Response) return first;
  } catch {
    // Offline: the copy.
  } finally {
    clearTimeout(timer);
  }
  const kept = await (await caches.open(PRIVATE)).match(key);
  if (kept) {
    return url.pathname === "/organisateur"
      ? withBanner(kept, (at) => `Hors connexion — copie du ${at}, en lecture seule`, true)
      : withBanner(kept, (at) =>
          `Hors connexion — formulaire gardé le ${at} : ce que vous enregistrez reste sur cet appareil et sera envoyé au retour du réseau`);
  }
  try {
    return await network;
  } catch {
    return offlinePage();
  }
}

// Keeps a private page in the private copy if it names its account; a page of another account
// empties the copy first; a page that sent to the sign-in (session ended) empties it.
async function keepPrivateResponse(url, response) {
  // Sent elsewhere (to the sign-in: no session any more): the copy goes.
  if (response.type === "opaqueredirect" || (response.redirected && new URL(response.url).pathname === "/connexion")) {
    await caches.delete(PRIVATE);
    return;
  }
  if (!response.ok || !(response.headers.get("content-type") || "").startsWith("text/html")) return;
  const html = await response.clone().text();
  const account = ACCOUNT_MARK.exec(html);
  if (!account) return;
  const cache = await caches.open(PRIVATE);
  for (const request of await cache.keys()) {
    const other = await cache.match(request);
    if (other && other.headers.get("x-mip-account") !== account[1]) {
      await caches.delete(PRIVATE);
      break;
    }
  }
  const headers = new Headers(response.headers);
  headers.set(KEPT_AT, new Date().toISOString());
  headers.set("x-mip-account", account[1]);
  await (await caches.open(PRIVATE)).put(url, new Response(html, { status: response.status, headers: withoutLength(headers) }));
}

// The dashboard's pages handed over (the form for a new event and for each event listed),
// and the form's lazy wasm.
async function keepPrivate(urls) {
  for (const address of urls) {
    const url = new URL(address, self.location.origin);
    if (url.origin !== self.location.origin || !isPrivatePage(url.pathname)) continue;
    try {
      await keepPrivateResponse(new URL(url.pathname, url.origin), await fetch(url, { credentials: "same-origin" }));
    } catch {
      return;
    }
  }
  await keepSplitModules(await caches.open(CACHE), ["event_form_loader"]);
}

// ---- The drafts' queue ----

const DRAFTS = "drafts";
function openDrafts() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("mip", 1);
    request.onupgradeneeded = () => request.result.createObjectStore(DRAFTS, { keyPath: "id" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
// Runs `work(store)` in one transaction; resolves with what its last request gave.
async function drafts(mode, work) {
  const db = await openDrafts();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(DRAFTS, mode);
    const request = work(transaction.objectStore(DRAFTS));
    transaction.oncomplete = () => resolve(request ? request.result : undefined);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}
const allDrafts = async () => ((await drafts("readonly", (s) => s.getAll())) || []).sort((a, b) => a.seq - b.seq);
const putDraft = (entry) => drafts("readwrite", (s) => s.put(entry));
const deleteDraft = (id) => drafts("readwrite", (s) => s.delete(id));

// The pages' requests: `put` (queue a save), `get` and `list` (an account's), `flush`,
// `forget`. The answer goes back on the message's port.
async function draftsMessage(data, port) {
  let answer = null;
  try {
    if (data.drafts === "put" && data.entry && typeof data.entry.id === "string") {
      const entry = data.entry;
      const before = (await allDrafts()).find((e) => e.id === entry.id);
      await putDraft({
        id: entry.id,
        account: Number(entry.account),
        eventId: entry.eventId ?? null,
        createKey: entry.createKey ?? null,
        version: Number(entry.version) || 0,
        title: String(entry.input?.title || ""),
        input: entry.input,
        submit: Boolean(entry.submit || (before && before.submit && before.state === "pending")),
        seq: before ? before.seq : Date.now(),
        tries: before ? before.tries : 0,
        state: "pending",
        savedAt: new Date().toISOString(),
      });
      answer = await pendingCount(entry.account);
    } else if (data.drafts === "get") {
      answer = (await allDrafts()).find((e) => e.id === data.id) || null;
    } else if (data.drafts === "list") {
      answer = (await allDrafts()).filter((e) => e.account === Number(data.account));
    } else if (data.drafts === "forget") {
      await deleteDraft(String(data.id));
      await announce([]);
    } else if (data.drafts === "flush") {
      await flushDrafts();
    }
  } catch (error) {
    answer = { error: String(error) };
  }
  if (port) port.postMessage(answer);
}

const pendingCount = async (account) =>
  (await allDrafts()).filter((e) => e.account === Number(account) && e.state === "pending").length;

// Tells the open pages what changed: the drafts sent (with the server's answer) and the
// queue as it is.
async function announce(sent) {
  const queue = await allDrafts();
  for (const client of await self.clients.matchAll({ type: "window" })) {
    client.postMessage({ drafts: "changed", sent, queue });
  }
}

// Sends the queue in order; stops at the first network failure (the rest waits for the next
// chance). One flush at a time.
let flushing = Promise.resolve();
function flushDrafts() {
  flushing = flushing.then(flushOnce, flushOnce);
  return flushing;
}
async function flushOnce() {
  const sent = [];
  let changed = false;
  for (const entry of await allDrafts()) {
    if (entry.state !== "pending") continue;
    let outcome;
    try {
      outcome = await sendDraft(entry);
    } catch {
      break;
    }
    changed = true;
    if (outcome.saved) {
      // Removed only if not changed meanwhile (a newer save stays queued, for the same event).
      const now = (await allDrafts()).find((e) => e.id === entry.id);
      if (now && now.savedAt === entry.savedAt) await deleteDraft(entry.id);
      else if (now) await putDraft({ ...now, eventId: outcome.saved.id, version: outcome.saved.version, tries: 0 });
      sent.push({ id: entry.id, saved: outcome.saved });
    } else if (outcome.wait) {
      continue;
    } else {
      await putDraft({ ...entry, state: outcome.state, status: outcome.status, answer: outcome.answer });
    }
  }
  if (changed) await announce(sent);
}

const postJson = (path, body) =>
  fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// One draft to the server: `{saved}` when it was received, `{wait}` when it must wait (not
// signed in as its account, server busy), or the refusal (`state`, `status`, `answer`).
// A network failure throws.
async function sendDraft(entry) {
  const tries = (entry.tries || 0) + 1;
  await putDraft({ ...entry, tries });
  let response;
  if (entry.eventId == null) {
    response = await postJson("/api/organisateur/creer", {
      input: entry.input,
      submit: entry.submit,
      key: entry.createKey,
      account: entry.account,
    });
    // A create whose first answer was lost: the key gave back the event as it was first
    // received, which this save (perhaps edited since) then updates.
    if (response.ok && tries > 1) {
      const first = await response.json();
      response = await postJson("/api/organisateur/enregistrer", {
        id: first.id,
        version: first.version,
        input: entry.input,
        submit: entry.submit,
        account: entry.account,
      });
    }
  } else {
    response = await postJson("/api/organisateur/enregistrer", {
      id: entry.eventId,
      version: entry.version,
      input: entry.input,
      submit: entry.submit,
      account: entry.account,
    });
    // A conflict after a lost answer may be this very save: the same input is not a conflict.
    if (response.status === 409 && tries > 1) {
      const body = new URLSearchParams({ id: String(entry.eventId) });
      const current = await fetch("/api/organisateur/evenement", { method: "POST", credentials: "same-origin", body });
      if (current.ok) {
        const event = await current.json();
        if (sameJson(event.input, entry.input) && (!entry.submit || event.status !== "draft")) {
          return { saved: { id: event.id, version: event.version, status: event.status, slug: event.slug } };
        }
      }
    }
  }
  if (response.ok) return { saved: await response.json() };
  if (response.status === 401 || response.status === 429 || response.status >= 500) return { wait: true };
  const answer = await response.text();
  const state = response.status === 409 ? "conflict" : response.status === 422 ? "invalid" : "refused";
  return { state, status: response.status, answer };
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
  return notice(
    "Vous êtes hors connexion",
    "Cette page n'a pas encore été consultée sur cet appareil : elle s'affichera quand le réseau sera revenu.",
  );
}

// A French page of the worker's own (503): `title`, `text`, and the way to what works offline.
function notice(title, text) {
  const body = `<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Mois de l'innovation publique</title>
<style>body{font-family:Marianne,system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:2rem 1rem;line-height:1.5;color:#161616}a{color:#000091}</style>
</head><body><main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text)}</p>
<p>Les pages déjà consultées restent disponibles, ainsi que <a href="/programme">le programme</a> et <a href="/mon-programme">mon programme</a>.</p>
</main></body></html>`;
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}
