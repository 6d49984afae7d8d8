// Staff pages at scale, measured (issue 29, part 2). For each size, a fresh edition
// (`server load-demo --events N` into bench/out/staff/edition-N.sqlite), prepared in SQLite as
// the issue says (3,500 events of the current edition in status 'submitted', waiting for
// moderation; one organizer with 200 events), then the server started on it on loopback with
// real sessions (written into `sessions` as sign-in writes them: the SHA-256 of the token, the
// token as the `mip_session` cookie, the second factor done), and the server time of:
//   GET /moderation (3,500 submitted), one bulk publication of 350 (`moderation/publier-selection`,
//   repeated on other submitted events), GET /editions/{year}/bilan and its CSV, the admin CSV
//   import of 3,500 rows (the dry run `admin/import`, the report page `/admin/import?essai=ID`, the
//   import `admin/import/confirmer`, each round on a new file), both exports, GET /organisateur
//   for the organizer with 200 events.
// Server time = from the request sent to the last byte of the answer read, measured by this
// client on loopback (Node's fetch, one request at a time): it includes the loopback round
// trip and the transfer of the body (a few hundred µs, more for a multi-megabyte export).
// Figures, never assertions: each is printed beside its goal (page ≤ 100 ms at 3,500 events,
// import of 3,500 rows ≤ 5 s, growth 3,500 → 35,000 at most linear: ratio ≤ 10).
//   node bench/staff-pages.mjs [sizes…] [--server BIN] [--site DIR] [--port 3230]
//        [--requests 40] [--budget 60] [--publish-rounds 5] [--import-rounds 3] [--results FILE]
// Defaults: sizes 3500 35000, target/release/server, target/site, port 3230, 40 timed requests
// per page (3 warm-up ones first) or fewer when a page has taken `--budget` seconds (at least
// 5), 5 bulk publications, 3 imports (fewer once the imports have taken `--budget` seconds); `--results bench/RESULTS.md` writes the table into its
// « Staff pages » section (between <!-- staff-pages:start --> and <!-- staff-pages:end -->).
// Raw figures: bench/out/results/staff-pages.json. Needs sqlite3; taskset when present.
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const SERVER = path.resolve(root, option("--server", "target/release/server"));
const SITE = path.resolve(root, option("--site", "target/site"));
const PORT = Number(option("--port", "3230"));
const REQUESTS = Number(option("--requests", "40"));
const BUDGET_S = Number(option("--budget", "60"));
const PUBLISH_ROUNDS = Number(option("--publish-rounds", "5"));
const IMPORT_ROUNDS = Number(option("--import-rounds", "3"));
const RESULTS = option("--results", "");
// --from FILE: no measure, the table again from a run's raw figures (staff-pages.json).
const FROM = option("--from", "");
const SIZES = args.length ? args.map(Number) : [3500, 35000];
if (SIZES.some((n) => !Number.isInteger(n) || n < 3500)) {
  console.error("bench/staff-pages.mjs: sizes are numbers of events, at least 3500 (3,500 are made 'submitted')");
  process.exit(2);
}
const NOW = "2026-10-20T10:00:00Z"; // referencing window open, edition not started
const YEAR = 2026;
const SUBMITTED = 3500;
const ORGANIZER_EVENTS = 200;
const PUBLISHED_PER_CALL = 350;
const IMPORT_ROWS = 3500;
const BASE = `http://127.0.0.1:${PORT}`;
const dir = path.join(root, "bench", "out", "staff");
mkdirSync(dir, { recursive: true });
const log = (m) => console.error(`[staff ${new Date().toISOString().slice(11, 19)}] ${m}`);
const hasTaskset = (() => {
  try {
    execFileSync("taskset", ["-c", "0", "true"]);
    return true;
  } catch {
    return false;
  }
})();

const sqlite = (db, sql) => execFileSync("sqlite3", ["-batch", "-cmd", ".timeout 10000", db, sql], { encoding: "utf8" }).trim();
const sha256 = (s) => createHash("sha256").update(s).digest("hex");
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

/** The edition of `n` events, fresh, prepared; returns what the measures need. */
function prepare(n) {
  const db = path.join(dir, `edition-${n}.sqlite`);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
  log(`${n} events: load-demo into ${path.relative(root, db)}`);
  execFileSync(SERVER, ["load-demo", "--events", String(n)], {
    env: { ...process.env, DATABASE_URL: `sqlite://${db}`, MIP_NOW: NOW, RUST_LOG: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const organizer = Number(sqlite(db, "SELECT id FROM accounts WHERE role = 'organizer' ORDER BY id LIMIT 1"));
  const admin = Number(sqlite(db, "SELECT id FROM accounts WHERE role = 'admin' ORDER BY id LIMIT 1"));
  const moderator = Number(sqlite(db, "SELECT id FROM accounts WHERE role = 'moderator' ORDER BY id LIMIT 1"));
  const tokens = { admin: randomBytes(32).toString("hex"), moderator: randomBytes(32).toString("hex"), organizer: randomBytes(32).toString("hex") };
  const expires = "2026-10-21T10:00:00Z";
  // One organizer with exactly 200 events (the current edition's first ones given to them).
  sqlite(
    db,
    `BEGIN;
     UPDATE events SET organizer_id = ${organizer} WHERE id IN (SELECT id FROM events
       WHERE edition_year = ${YEAR} AND organizer_id <> ${organizer} ORDER BY id
       LIMIT max(0, ${ORGANIZER_EVENTS} - (SELECT count(*) FROM events WHERE organizer_id = ${organizer})));
     INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at, second_factor_pending) VALUES
       ('${sha256(tokens.admin)}', ${admin}, '${NOW}', '${NOW}', '${expires}', 0),
       ('${sha256(tokens.moderator)}', ${moderator}, '${NOW}', '${NOW}', '${expires}', 0),
       ('${sha256(tokens.organizer)}', ${organizer}, '${NOW}', '${NOW}', '${expires}', 0);
     COMMIT;`,
  );
  const counts = {
    events: Number(sqlite(db, "SELECT count(*) FROM events")),
    currentEdition: Number(sqlite(db, `SELECT count(*) FROM events WHERE edition_year = ${YEAR}`)),
    publishedInCurrentEdition: Number(sqlite(db, `SELECT count(*) FROM events WHERE edition_year = ${YEAR} AND status = 'published'`)),
    organizerEvents: Number(sqlite(db, `SELECT count(*) FROM events WHERE organizer_id = ${organizer}`)),
  };
  return { db, tokens, counts };
}

/** 3,500 events of the current edition submitted, waiting for their first review (after the
 * read-only measures: the report counts published events). Returns the queue's length. */
function submit(db) {
  sqlite(
    db,
    `UPDATE events SET status = 'submitted', needs_review = 0, pending_input = NULL, reviewed_snapshot = NULL,
       published_at = NULL, cancelled_at = NULL, reviewed_at = NULL, moderation_note = NULL,
       submitted_at = coalesce(submitted_at, updated_at)
       WHERE id IN (SELECT id FROM events WHERE edition_year = ${YEAR} ORDER BY id LIMIT ${SUBMITTED});`,
  );
  return Number(sqlite(db, "SELECT count(*) FROM events WHERE status = 'submitted' OR (status IN ('published', 'cancelled') AND needs_review = 1)"));
}

let server = null;
let stopHook = null; // reads the peak RSS before a stop
async function startServer(db, n) {
  try {
    await fetch(`${BASE}/healthz`);
    throw new Error(`port ${PORT} is already taken (--port)`);
  } catch (e) {
    if (e.message.includes("already taken")) throw e;
  }
  const hashed = existsSync(path.join(path.dirname(SERVER), "hash.txt"));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite://${db}`,
    MIP_NOW: NOW,
    LEPTOS_SITE_ROOT: SITE,
    LEPTOS_SITE_PKG_DIR: "pkg",
    LEPTOS_HASH_FILES: String(hashed),
    LEPTOS_OUTPUT_NAME: "mip",
    LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
    LEPTOS_ENV: "PROD",
    RUST_LOG: "warn",
    MIP_PUBLIC_URL: BASE,
  };
  const logFile = path.join(dir, `server-${n}.log`);
  const out = (await import("node:fs")).openSync(logFile, "w");
  const [cmd, cmdArgs] = hasTaskset ? ["taskset", ["-c", "0", SERVER, "serve"]] : [SERVER, ["serve"]];
  server = spawn(cmd, cmdArgs, { env, stdio: ["ignore", out, out] });
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`the server exited: ${readFileSync(logFile, "utf8").slice(-500)}`);
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the server did not answer /healthz within 60 s");
}
async function stopServer() {
  if (!server) return;
  stopHook?.();
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  await exited;
  server = null;
}
process.on("exit", () => server?.kill("SIGKILL"));

/** One request, timed from sending to the last byte read. */
async function timed(url, init = {}) {
  const t = performance.now();
  const response = await fetch(`${BASE}${url}`, { redirect: "manual", ...init });
  const body = Buffer.from(await response.arrayBuffer());
  const ms = performance.now() - t;
  return { ms, status: response.status, bytes: body.length, body };
}
const cookie = (token) => ({ Cookie: `mip_session=${token}` });

/** A page, GET, sequentially: 3 warm-up requests, then REQUESTS (or fewer past the budget). */
async function page(url, token, check) {
  const headers = { ...cookie(token), "Accept-Encoding": "identity" };
  let first;
  for (let i = 0; i < 3; i++) {
    first = await timed(url, { headers });
    if (first.status !== 200) throw new Error(`${url}: ${first.status} ${first.body.toString().slice(0, 300)}`);
    if (check) check(first.body.toString());
    if (first.ms > BUDGET_S * 1000 / 5) break; // slow: no more warm-up
  }
  const times = [];
  const started = performance.now();
  while (times.length < REQUESTS && (times.length < 5 || performance.now() - started < BUDGET_S * 1000)) {
    const r = await timed(url, { headers });
    if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
    times.push(r.ms);
  }
  return { url, n: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: Math.max(...times), bytes: first.bytes };
}

/** A server function, as the browser calls it (JSON answer). */
async function call(endpoint, token, body, contentType) {
  const headers = { ...cookie(token), Accept: "application/json", Origin: BASE };
  if (contentType) headers["Content-Type"] = contentType;
  const r = await timed(`/api/${endpoint}`, { method: "POST", headers, body });
  if (r.status < 200 || r.status >= 300) throw new Error(`${endpoint}: ${r.status} ${r.body.toString().slice(0, 500)}`);
  return { ms: r.ms, json: r.body.length ? JSON.parse(r.body.toString()) : null };
}

function summary(name, times, extra = {}) {
  return { name, n: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: Math.max(...times), times, ...extra };
}

/** A CSV of `rows` events from the example file's three rows: distinct titles, no identifiant
 * (so that each row is matched by edition, title and start, as a first file from a
 * spreadsheet is), the example's dates spread over the edition's days. */
function importFile(example, rows, round) {
  const text = example.replace(/^\uFEFF/, "");
  const lines = text.split("\n").filter((l) => l.trim());
  const header = lines[0];
  const columns = parseCsvLine(header);
  const templates = lines.slice(1).map(parseCsvLine);
  const at = (name) => columns.indexOf(name);
  const [key, title, start, end] = [at("identifiant"), at("titre"), at("debut"), at("fin")];
  if ([key, title, start, end].some((i) => i < 0)) throw new Error(`unexpected example header: ${header}`);
  const out = [header];
  for (let k = 0; k < rows; k++) {
    const cells = [...templates[k % templates.length]];
    cells[key] = "";
    cells[title] = `${cells[title]} (essai ${round}, n° ${k + 1})`.slice(0, 200);
    out.push(cells.map(csvCell).join(","));
  }
  return out.join("\n") + "\n";
}
function parseCsvLine(line) {
  const cells = [];
  let cell = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") cells.push(cell), (cell = "");
    else if (c !== "\r") cell += c;
  }
  cells.push(cell);
  return cells;
}
const csvCell = (c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

async function measure(n) {
  const { db, tokens, counts } = prepare(n);
  log(`${n} events: ${JSON.stringify(counts)}; starting ${path.relative(root, SERVER)} on ${BASE}`);
  await startServer(db, n);
  const results = [];
  let peakRssKb = 0;
  stopHook = () => rss();
  const rss = () => {
    try {
      const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
      peakRssKb = Math.max(peakRssKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      return null;
    }
  };
  try {
    // Read-only pages first, on the edition as generated (the report counts published events).
    const pages = [
      ["organisateur", "/organisateur", tokens.organizer, (html) => {
        if (!html.includes("/organisateur/evenements/")) throw new Error("/organisateur lists no event");
      }],
      ["bilan", `/editions/${YEAR}/bilan`, tokens.admin],
      ["bilan-csv", `/editions/${YEAR}/bilan.csv`, tokens.admin],
      ["export-csv", "/admin/export/evenements.csv", tokens.admin],
      ["export-json", "/admin/export/tout.json", tokens.admin],
    ];
    for (const [name, url, token, check] of pages) {
      log(`${n} events: GET ${url}`);
      const r = await page(url, token, check);
      results.push({ name, ...r });
      log(`  p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (${r.n} requests, ${r.bytes} bytes)`);
    }

    // Then 3,500 submitted: the queue, and the bulk publications. The server is stopped
    // meanwhile (it keeps nothing of the queue, but the database is written from outside).
    await stopServer();
    counts.queue = submit(db);
    log(`${n} events: ${counts.queue} events in the moderation queue; starting the server again`);
    await startServer(db, n);
    {
      log(`${n} events: GET /moderation`);
      const r = await page("/moderation", tokens.moderator, (html) => {
        if ((html.match(/data-queue-event=/g) ?? []).length === 0) throw new Error("/moderation lists no event");
      });
      results.push({ name: "moderation", ...r });
      log(`  p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (${r.n} requests, ${r.bytes} bytes)`);
    }

    // Bulk publication: each call publishes 350 other submitted events (fresh data).
    const publish = [];
    for (let round = 0; round < PUBLISH_ROUNDS; round++) {
      const pairs = sqlite(db, `SELECT id || ':' || version FROM events WHERE status = 'submitted' AND edition_year = ${YEAR} ORDER BY id LIMIT ${PUBLISHED_PER_CALL}`).split("\n");
      const body = new URLSearchParams(pairs.map((p) => ["selection[]", p])).toString();
      const r = await call("moderation/publier-selection", tokens.moderator, body, "application/x-www-form-urlencoded");
      if (r.json !== PUBLISHED_PER_CALL) throw new Error(`bulk publish answered ${JSON.stringify(r.json)}`);
      publish.push(r.ms);
    }
    results.push(summary("publish-350", publish));
    log(`${n} events: bulk publication of 350, p50 ${percentile(publish, 50).toFixed(0)} ms (${publish.join(", ")})`);

    // The import of 3,500 rows: dry run, its report page, import; a new file each round.
    const example = (await timed("/admin/import/exemple.csv", { headers: cookie(tokens.admin) })).body.toString();
    const [dry, report, confirm] = [[], [], []];
    let reportBytes = 0;
    const importStarted = performance.now();
    for (let round = 1; round <= IMPORT_ROUNDS; round++) {
      if (round > 1 && performance.now() - importStarted > BUDGET_S * 1000) {
        log(`${n} events: import rounds stopped after ${round - 1} (over the budget of ${BUDGET_S} s)`);
        break;
      }
      const csv = importFile(example, IMPORT_ROWS, `${n}-${round}`);
      const form = new FormData();
      form.append("fichier", new Blob([csv], { type: "text/csv" }), `essai-${round}.csv`);
      const checked = await call("admin/import", tokens.admin, form);
      const { id, report: r } = checked.json;
      if (r.valid !== IMPORT_ROWS || r.invalid !== 0 || r.to_create !== IMPORT_ROWS) {
        throw new Error(`dry run: ${JSON.stringify({ ...r, rows: r.rows.filter((x) => x.errors.length).slice(0, 3) })}`);
      }
      dry.push(checked.ms);
      const shown = await timed(`/admin/import?essai=${id}`, { headers: { ...cookie(tokens.admin), "Accept-Encoding": "identity" } });
      if (shown.status !== 200) throw new Error(`/admin/import?essai=${id}: ${shown.status}`);
      report.push(shown.ms);
      reportBytes = shown.bytes;
      const done = await call("admin/import/confirmer", tokens.admin, new URLSearchParams({ essai: String(id) }).toString(), "application/x-www-form-urlencoded");
      if (done.json?.created !== IMPORT_ROWS) throw new Error(`import: ${JSON.stringify(done.json)}`);
      confirm.push(done.ms);
      log(`${n} events: import round ${round}: dry run ${checked.ms.toFixed(0)} ms, report page ${shown.ms.toFixed(0)} ms, import ${done.ms.toFixed(0)} ms`);
    }
    results.push(summary("import-dry-run", dry), summary("import-report-page", report, { bytes: reportBytes }), summary("import-confirm", confirm));
  } finally {
    rss();
    await stopServer();
  }
  return { size: n, counts, results, peakRssKb };
}

const saved = FROM ? JSON.parse(readFileSync(path.resolve(root, FROM), "utf8")) : null;
const runs = saved ? saved.runs : [];
if (!saved) for (const n of SIZES) runs.push(await measure(n));

// --- The table.
const label = {
  moderation: ["`/moderation` (3,500 submitted)", "page", 100],
  "publish-350": ["bulk publication of 350 (`moderation/publier-selection`)", "batch", 5000],
  bilan: [`\`/editions/${YEAR}/bilan\``, "page", 100],
  "bilan-csv": [`\`/editions/${YEAR}/bilan.csv\``, "page", 100],
  "import-dry-run": ["import of 3,500 rows: dry run (`admin/import`, multipart)", "import", 5000],
  "import-report-page": ["import: the dry run's report page (`/admin/import?essai=ID`)", "page", 100],
  "import-confirm": ["import of 3,500 rows: import (`admin/import/confirmer`)", "import", 5000],
  "export-csv": ["`/admin/export/evenements.csv`", "page", 100],
  "export-json": ["`/admin/export/tout.json`", "page", 100],
  organisateur: ["`/organisateur` (organizer with 200 events)", "page", 100],
};
const order = Object.keys(label);
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const first = runs[0];
const last = runs[runs.length - 1];
const sizeRatio = last.size / first.size;
const rows = order.map((name) => {
  const [title, , goal] = label[name];
  const cells = runs.map((run) => {
    const r = run.results.find((x) => x.name === name);
    if (!r) return "–";
    // An import: its first round (into the edition as generated) first, then every round.
    if (label[name][1] === "import") return `${fmt(r.times[0])} (rounds: ${r.times.map(fmt).join(", ")})`;
    // A batch's rounds one by one (each on other data: the imports make the edition grow).
    const rounds = label[name][1] !== "page" && r.times ? `; rounds: ${r.times.map(fmt).join(", ")}` : "";
    return `${fmt(r.p50)} / ${fmt(r.p99)} (${r.n}${rounds})`;
  });
  const base = first.results.find((x) => x.name === name);
  const top = last.results.find((x) => x.name === name);
  const headline = (r) => (label[name][1] === "import" ? r.times[0] : r.p50);
  const met = base && (label[name][1] === "import" ? base.times[0] : base.p99) <= goal ? "yes" : "**no**";
  const ratio = runs.length > 1 && base && top ? headline(top) / headline(base) : null;
  // Worse than linear: more than 25 % over the ratio of the sizes (runs of one page vary by
  // 10–20 % on this machine).
  const growth = ratio == null ? "–" : `${ratio.toFixed(1)} ×${ratio > sizeRatio * 1.25 ? " **worse than linear**" : ""}`;
  return [title, ...cells, `≤ ${fmt(goal)}`, met, growth];
});
const machine = (() => {
  const cpu = os.cpus()[0]?.model ?? "?";
  let osName = "";
  try {
    osName = /PRETTY_NAME="([^"]+)"/.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? "";
  } catch {}
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${osName}, Linux ${os.release()}; Node ${process.version}; SQLite ${execFileSync("sqlite3", ["--version"], { encoding: "utf8" }).split(" ")[0]} (the CLI, used to prepare)`;
})();
let commit = "?";
try {
  commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  if (execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, encoding: "utf8" }).trim()) commit += " with uncommitted changes";
} catch {}
const date = saved?.date ?? new Date().toISOString();
if (saved) commit = saved.commit;
const command = saved?.command ?? ["bench/staff-pages.sh", ...process.argv.slice(2)].join(" ");
const serverName = saved ? path.relative(root, saved.server) : path.relative(root, SERVER);
const row = (cells) => `| ${cells.join(" | ")} |`;
const section = [
  "<!-- staff-pages:start -->",
  "## Staff pages at scale (issue 29)",
  "",
  `${date.slice(0, 16).replace("T", " ")} UTC, commit \`${commit}\`, \`${command}\`, server \`${serverName}\` pinned to core 0${hasTaskset ? "" : " (no taskset: not pinned)"}, \`MIP_NOW=${NOW}\`. Machine: ${machine}.`,
  "",
  "Server time: from the request sent to the last byte read by a client on loopback, one request at a time, p50 / p99 (requests) in each cell. " +
    `Each edition: \`load-demo --events N\`, then ${SUBMITTED.toLocaleString("en-US")} events of the current edition made « submitted », one organizer given ${ORGANIZER_EVENTS} events (see \`bench/README.md\`). ` +
    `Growth: p50 at ${last.size.toLocaleString("en-US")} / p50 at ${first.size.toLocaleString("en-US")} (linear = ${sizeRatio.toFixed(0)} ×). Goal met: p99 at ${first.size.toLocaleString("en-US")} events within the goal; worse than linear: a growth over 1.25 × the ratio of the sizes.`,
  "",
  row(["measure", ...runs.map((r) => `${r.size.toLocaleString("en-US")} events`), "goal", "met", "growth"]),
  row([":--", ...runs.map(() => "--:"), "--:", ":-:", "--:"]),
  ...rows.map(row),
  "",
  `Moderation queue: ${runs.map((r) => `${(r.counts.queue ?? 0).toLocaleString("en-US")} events at ${r.size.toLocaleString("en-US")}`).join(", ")} (the 3,500 made « submitted » and the demo's own submitted events and edits to review). `
    + `Published events in the current edition (what the report counts): ${runs.map((r) => (r.counts.publishedInCurrentEdition ?? 0).toLocaleString("en-US")).join(", ")}. `
    + "Each import adds 3,500 events to the edition: its rounds show how its time follows the edition's size.",
  "",
  `Peak RSS of the server: ${runs.map((r) => `${(r.peakRssKb / 1024).toFixed(0)} MB at ${r.size.toLocaleString("en-US")} events`).join(", ")}.`,
  "<!-- staff-pages:end -->",
].join("\n");
console.log(section);
mkdirSync(path.join(root, "bench", "out", "results"), { recursive: true });
if (!saved) writeFileSync(path.join(root, "bench", "out", "results", "staff-pages.json"), JSON.stringify({ date, commit, command, server: SERVER, now: NOW, runs }, null, 2));
if (RESULTS) {
  const file = path.resolve(root, RESULTS);
  let text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n";
  const re = /<!-- staff-pages:start -->[\s\S]*?<!-- staff-pages:end -->/;
  if (re.test(text)) text = text.replace(re, section);
  else if (text.includes("<!-- deadline-rush:start -->")) text = text.replace("<!-- deadline-rush:start -->", `${section}\n\n<!-- deadline-rush:start -->`);
  else text += `\n${section}\n`;
  writeFileSync(file, text);
  log(`written to ${path.relative(root, file)}`);
}
