// The deadline rush, measured (issue 29, part 1): the last evening of the referencing window.
// Starts the release server on a fresh demo database, gives 500 organizers a real session
// each, then plays, through the real HTTP API as the browser calls it:
//   - each organizer opens the form (`organisateur/options`, `organisateur/sauvegarde-auto/lire`),
//     autosaves every few seconds (`organisateur/sauvegarde-auto`), creates the event with its
//     form's key (`organisateur/creer`), saves it (`organisateur/enregistrer`) and submits it
//     (`organisateur/enregistrer` with `submit`), then opens a new form;
//   - moderators publish what was submitted (`moderation/decision`).
// Two phases on the same server and database: « rush » (the organizers think between two
// requests: the autosave interval, jittered) for the latency, then « flat out » (no think
// time: each organizer sends its next request as soon as its last one is answered) for the
// server's capacity. Beside it, in the same run, the ceiling: SQLite alone on the same disk
// with the same pragmas committing small transactions as fast as it can
// (bench/sqlite-ceiling.py), per commit and batched.
//
//   node bench/deadline-rush.mjs [--organizers 500] [--moderators 3] [--duration 60]
//     [--flat-out 20] [--think 4] [--ceiling-seconds 5] [--port 3480]
//     [--server target/release/server] [--site target/site] [--results bench/RESULTS.md]
//
// Prints each figure beside its ceiling and goal, writes the figures (JSON) to
// bench/out/results/deadline-rush.json and, with `--results FILE`, the table with the machine
// and the date into FILE (its « Deadline rush » section, replaced). At the end the server is
// stopped and the database is compared with the acknowledged writes: every event, its version
// and status, every autosave row, every create key. Exits 1 when they differ or a request
// failed; figures below their goals are reported, never asserted.
import { execFileSync, spawn } from "node:child_process";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const ORGANIZERS = Number(args.organizers ?? 500);
const MODERATORS = Number(args.moderators ?? 3);
const RUSH_S = Number(args.duration ?? 60);
const FLAT_OUT_S = Number(args["flat-out"] ?? 20);
const THINK_S = Number(args.think ?? 4);
const CEILING_S = Number(args["ceiling-seconds"] ?? 5);
const TIMEOUT_MS = 10_000;
const SERVER = path.resolve(root, args.server ?? "target/release/server");
const SITE = path.resolve(root, args.site ?? "target/site");
const PORT = Number(args.port ?? 3480);
const BASE = `http://127.0.0.1:${PORT}`;
// The last evening of the window: the demo's edition closes referencing on 29 October 2026
// (inclusive); 18:00 UTC is 19:00 in Paris.
const NOW = "2026-10-29T18:00:00Z";
const CLOSES_ON = "2026-10-29";
let seed = Number(args.seed ?? 20261029);
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const dir = path.join(root, "target", "deadline-rush");
const database = path.join(dir, "rush.sqlite");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

function sqlite(query) {
  return execFileSync("sqlite3", ["-cmd", ".timeout 5000", "-separator", "\t", database], {
    input: query,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  }).trim();
}
const hasTaskset = (() => {
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
const pinned = (core, command, commandArgs) => (hasTaskset ? ["taskset", ["-c", String(core), command, ...commandArgs]] : [command, commandArgs]);

// --- The server, pinned to core 0 (this harness to core 1), as bench/run.sh does.
let server = null;
process.on("exit", () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
});
if (hasTaskset) execFileSync("taskset", ["-a", "-p", "-c", "1", String(process.pid)], { stdio: "ignore" });
const serverLog = path.join(dir, "server.log");
async function start() {
  const [command, commandArgs] = pinned(0, SERVER, ["--demo"]);
  const { openSync } = await import("node:fs");
  const logFd = openSync(serverLog, "w");
  server = spawn(command, commandArgs, {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${database}`,
      MIP_NOW: NOW,
      MIP_OUTBOX_DIR: path.join(dir, "outbox"),
      MIP_PUBLIC_URL: BASE,
      LEPTOS_OUTPUT_NAME: "mip",
      LEPTOS_SITE_ROOT: SITE,
      LEPTOS_SITE_PKG_DIR: "pkg",
      LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
      LEPTOS_ENV: "PROD",
      LEPTOS_HASH_FILES: "true",
      RUST_LOG: "warn",
    },
    // Its log (a stream on standard output): warnings and errors only, kept for the count of
    // « database is locked ».
    stdio: ["ignore", logFd, logFd],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {}
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode} (see ${serverLog})`);
    await sleep(100);
  }
  throw new Error("the server did not start in 2 minutes");
}
/** The server's own counters of write transactions (`/metrics`, readable from loopback):
 * `BEGIN IMMEDIATE` that failed (SQLITE_BUSY after the busy timeout) and the wait for the
 * write lock (a histogram: count, sum, cumulative buckets). */
async function writeMetrics() {
  try {
    const text = await (await fetch(`${BASE}/metrics`)).text();
    const value = (re) => Number(text.match(re)?.[1] ?? 0);
    const buckets = [...text.matchAll(/^mip_db_write_lock_wait_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\S+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    return {
      begun: value(/^mip_db_write_transactions_total\{[^}]*outcome="begun"[^}]*\} (\S+)$/m),
      failed: value(/^mip_db_write_transactions_total\{[^}]*outcome="failed"[^}]*\} (\S+)$/m),
      waitCount: value(/^mip_db_write_lock_wait_seconds_count(?:\{[^}]*\})? (\S+)$/m),
      waitSum: value(/^mip_db_write_lock_wait_seconds_sum(?:\{[^}]*\})? (\S+)$/m),
      buckets,
    };
  } catch {
    return null;
  }
}
function metricsDelta(a, b) {
  if (!a || !b) return null;
  const count = b.waitCount - a.waitCount;
  const byLe = new Map(a.buckets);
  const cumulative = b.buckets.map(([le, n]) => [le, n - (byLe.get(le) ?? 0)]).sort((x, y) => x[0] - y[0]);
  const p99 = count === 0 ? undefined : cumulative.find(([, n]) => n >= 0.99 * count)?.[0];
  return {
    write_transactions_begun: b.begun - a.begun,
    write_transactions_failed_busy: b.failed - a.failed,
    lock_wait_mean_ms: count ? Number((((b.waitSum - a.waitSum) / count) * 1000).toFixed(2)) : "–",
    lock_wait_p99_at_most_ms: p99 === undefined ? "–" : p99 === Infinity ? "∞" : p99 * 1000,
  };
}
/** The disk under the bench's directory, as the kernel counts it for the whole machine
 * (/proc/diskstats: sectors written, writes completed and their time, flushes), and what the
 * server wrote itself (/proc/PID/io): the disk is shared, and another writer makes each fsync
 * slower. */
const diskName = (() => {
  try {
    const source = execFileSync("findmnt", ["-n", "-o", "SOURCE", "-T", dir], { encoding: "utf8" }).trim();
    return path.basename(source);
  } catch {
    return null;
  }
})();
function disk() {
  let machine = null;
  try {
    const line = readFileSync("/proc/diskstats", "utf8").split("\n").map((l) => l.trim().split(/\s+/)).find((f) => f[2] === diskName);
    if (line) machine = { sectorsWritten: Number(line[9]), writes: Number(line[7]), writeMs: Number(line[10]), flushes: Number(line[18] ?? 0) };
  } catch {}
  let serverBytes = NaN;
  try {
    serverBytes = Number(readFileSync(`/proc/${server.pid}/io`, "utf8").match(/^write_bytes: (\d+)/m)[1]);
  } catch {}
  return { machine, serverBytes };
}
function diskDelta(a, b, seconds) {
  if (!a.machine || !b.machine) return null;
  const writes = b.machine.writes - a.machine.writes;
  return {
    device: diskName,
    machine_written_mb: Number((((b.machine.sectorsWritten - a.machine.sectorsWritten) * 512) / 1e6).toFixed(1)),
    server_written_mb: Number(((b.serverBytes - a.serverBytes) / 1e6).toFixed(1)),
    writes_per_s: Number((writes / seconds).toFixed(0)),
    flushes_per_s: Number(((b.machine.flushes - a.machine.flushes) / seconds).toFixed(0)),
    mean_write_ms: writes ? Number(((b.machine.writeMs - a.machine.writeMs) / writes).toFixed(2)) : null,
  };
}
/** CPU seconds used so far by the server (user + system; clock ticks of 1/100 s). */
function serverCpu() {
  try {
    const fields = readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
const ownCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
/** The server's own pid (taskset execs it, so the child's pid is the server's). */
function memory() {
  try {
    const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
    const kb = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1] ?? NaN);
    return { rss: kb("VmRSS") * 1024, hwm: kb("VmHWM") * 1024 };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

// --- Figures: latency per kind of request, per phase; errors by kind.
const KINDS = ["open", "autosave", "create", "save", "submit", "publish"];
const WRITES = ["autosave", "create", "save", "submit", "publish"];
let phase = null;
const phases = {};
function newPhase(name) {
  phases[name] = { name, latencies: Object.fromEntries(KINDS.map((k) => [k, []])), errors: {}, began: 0, ended: 0, rssMax: 0, rssSamples: [] };
  return phases[name];
}
function recordError(kind, error) {
  const p = phase;
  const status = error?.status;
  const text = String(error?.message ?? error);
  let what;
  if (/database is locked|SQLITE_BUSY|busy/i.test(text)) what = "sqlite_busy";
  else if (error?.name === "TimeoutError" || error?.name === "AbortError" || /timeout/i.test(text)) what = "timeout";
  else if (status) what = `http_${status}`;
  else what = `network_${error?.cause?.code ?? "error"}`;
  const key = `${kind}: ${what}`;
  p.errors[key] = (p.errors[key] ?? 0) + 1;
  if (Object.values(p.errors).reduce((a, b) => a + b, 0) <= 5) console.error(`error (${key}): ${text.slice(0, 300)}`);
}

class Client {
  constructor(cookie) {
    this.cookie = cookie ?? "";
  }
  async post(endpoint, body, json) {
    const response = await fetch(`${BASE}/api/${endpoint}`, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        Accept: "application/json",
        Origin: BASE,
        "Content-Type": json ? "application/json" : "application/x-www-form-urlencoded",
        ...(this.cookie ? { Cookie: this.cookie } : {}),
      },
      body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
    });
    for (const set of response.headers.getSetCookie()) {
      const pair = set.split(";")[0];
      if (!pair.endsWith("=")) this.cookie = pair;
    }
    const text = await response.text();
    if (!response.ok) throw Object.assign(new Error(`${endpoint}: ${response.status} ${text.slice(0, 200)}`), { status: response.status });
    return text ? JSON.parse(text) : null;
  }
  /** A timed request of `kind`; the latency counts only answered (2xx) requests. */
  async timed(kind, endpoint, body, json) {
    const t = performance.now();
    const result = await this.post(endpoint, body, json);
    phase.latencies[kind].push(performance.now() - t);
    return result;
  }
}

function totp(secret, step) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

function input(vocabulary, title, description) {
  return {
    title,
    summary: "Usagers et agents conçoivent ensemble un formulaire plus simple.",
    description,
    themes: [vocabulary.theme],
    format_id: vocabulary.format,
    mode: "presentiel",
    audience_id: vocabulary.audience,
    structure_name: "Préfecture de la Gironde",
    organizer_type_id: vocabulary.organizerType,
    region_code: "75",
    department_code: "33",
    city: "Bordeaux",
    venue_address: "2 esplanade Charles-de-Gaulle",
    postal_code: "33000",
    starts_local: "2026-11-17T14:00",
    ends_local: "2026-11-17T16:30",
  };
}

// --- What was acknowledged (a 2xx answer), per organizer: its requests are sequential, so the
// model is exact once every loop has finished its last request.
const acked = { autosave: 0, create: 0, save: 0, submit: 0, publish: 0 };
/** event id → { account, version, status, title } */
const events = new Map();
const submittedQueue = [];
/** Organizers whose last request failed: what the database holds for them is not known. */
const uncertain = new Set();

async function organizerLoop(o, vocabulary, running) {
  const client = new Client(o.cookie);
  const think = async () => {
    if (phase.name === "rush") await sleep(THINK_S * 1000 * (0.5 + random()));
  };
  let n = 0;
  // Arrivals spread over the first interval, not all at the same millisecond.
  await sleep(THINK_S * 1000 * random());
  while (running.on) {
    let kind = "open";
    try {
      n++;
      const title = `Atelier de dernière minute ${o.k}-${n}`;
      const key = `rush${o.k}x${n}x${Math.floor(random() * 1e9)}`.padEnd(16, "0");
      await client.timed("open", "organisateur/options", {});
      await client.timed("open", "organisateur/sauvegarde-auto/lire", { key: "new" });
      let draft = 0;
      const autosave = async (formKey) => {
        await think();
        if (!running.on) return false;
        kind = "autosave";
        const description = `Brouillon ${o.k}-${n}, frappe ${++draft}.`;
        await client.timed("autosave", "organisateur/sauvegarde-auto", { key: formKey, input: input(vocabulary, title, description) }, true);
        o.autosaves.set(formKey, description);
        acked.autosave++;
        return true;
      };
      if (!(await autosave("new")) || !(await autosave("new"))) break;
      await think();
      if (!running.on) break;
      kind = "create";
      let saved = await client.timed("create", "organisateur/creer", { input: input(vocabulary, title, "Créé."), submit: false, key }, true);
      acked.create++;
      o.creates++;
      o.autosaves.delete("new");
      events.set(saved.id, { account: o.id, version: saved.version, status: "draft", title });
      for (const submit of [false, true]) {
        if (!(await autosave(String(saved.id)))) break;
        await think();
        if (!running.on) break;
        kind = submit ? "submit" : "save";
        const next = `${title} (${submit ? "soumis" : "v2"})`;
        saved = await client.timed(kind, "organisateur/enregistrer", { id: saved.id, version: saved.version, input: input(vocabulary, next, "Enregistré."), submit }, true);
        acked[kind]++;
        o.autosaves.delete(String(saved.id));
        events.set(saved.id, { account: o.id, version: saved.version, status: submit ? "submitted" : "draft", title: next });
        if (submit) submittedQueue.push(saved.id);
      }
    } catch (error) {
      recordError(kind, error);
      uncertain.add(o.id);
      return;
    }
  }
}

async function moderatorLoop(cookie, running) {
  const client = new Client(cookie);
  while (running.on) {
    const id = submittedQueue.shift();
    if (id === undefined) {
      await sleep(20);
      continue;
    }
    const before = events.get(id);
    try {
      await client.timed("publish", "moderation/decision", { id: String(id), version: String(before.version), decision: "publier" });
      acked.publish++;
      events.set(id, { ...before, status: "published", publishedFrom: before.version });
    } catch (error) {
      recordError("publish", error);
      before.uncertain = true;
    }
  }
}

async function play(name, seconds, organizers, vocabulary, moderatorCookie) {
  phase = newPhase(name);
  const before = { ...acked };
  const running = { on: true };
  phase.began = performance.now();
  const cpuBefore = { server: serverCpu(), clients: ownCpu() };
  const metricsBefore = await writeMetrics();
  const diskBefore = disk();
  const sampler = setInterval(() => {
    const { rss } = memory();
    if (rss > phase.rssMax) phase.rssMax = rss;
  }, 250);
  const loops = [
    ...organizers.filter((o) => !uncertain.has(o.id)).map((o) => organizerLoop(o, vocabulary, running)),
    ...Array.from({ length: MODERATORS }, () => moderatorLoop(moderatorCookie, running)),
  ];
  await sleep(seconds * 1000);
  running.on = false;
  phase.ended = performance.now();
  phase.disk = diskDelta(diskBefore, disk(), seconds);
  phase.cpu = {
    server: (serverCpu() - cpuBefore.server) / seconds,
    clients: (ownCpu() - cpuBefore.clients) / seconds,
  };
  // Every request in flight gets its answer (or its timeout) before the figures are taken.
  await Promise.all(loops);
  clearInterval(sampler);
  phase.metrics = metricsDelta(metricsBefore, await writeMetrics());
  phase.acked = Object.fromEntries(Object.keys(acked).map((k) => [k, acked[k] - before[k]]));
  phase.seconds = (phase.ended - phase.began) / 1000;
  console.error(`${name}: ${Object.values(phase.acked).reduce((a, b) => a + b, 0)} writes acknowledged in ${phase.seconds.toFixed(1)} s`);
  return phase;
}

// --- The run.
await start();
const accounts = JSON.parse(readFileSync(path.join(dir, "demo-accounts.json"), "utf8"));
const moderatorAccount = accounts.find((a) => a.role === "moderator");
sqlite(`UPDATE editions SET referencing_closes_on = '${CLOSES_ON}' WHERE year = 2026;`);
const vocabulary = {
  theme: Number(sqlite("SELECT id FROM themes WHERE retired = 0 ORDER BY position LIMIT 1")),
  format: Number(sqlite("SELECT id FROM formats ORDER BY position LIMIT 1")),
  audience: Number(sqlite("SELECT id FROM audiences ORDER BY position LIMIT 1")),
  organizerType: Number(sqlite("SELECT id FROM organizer_types ORDER BY position LIMIT 1")),
};

// 500 organizer accounts and their sessions, written in the database as sign-in writes them
// (server/tests/common/mod.rs `session_for`): sign-in is throttled per address, and loopback
// is one address. The token is the cookie; the row keeps its SHA-256, hex.
const organizers = Array.from({ length: ORGANIZERS }, (_, k) => ({
  k,
  email: `rush-${k}@example.org`,
  token: randomBytes(32).toString("hex"),
  autosaves: new Map(),
  creates: 0,
}));
{
  const values = organizers
    .map((o) => `('${o.email}', '!', 'Organisatrice ${o.k}', 'Préfecture ${o.k}', 'organizer', '${NOW}', '${NOW}', '${NOW}')`)
    .join(",\n");
  const sessions = organizers
    .map((o) => `('${createHash("sha256").update(o.token).digest("hex")}', (SELECT id FROM accounts WHERE email = '${o.email}'), '${NOW}', '${NOW}', '2026-10-30T18:00:00Z')`)
    .join(",\n");
  sqlite(
    `BEGIN; INSERT INTO accounts (email, password_hash, name, structure, role, email_confirmed_at, created_at, updated_at) VALUES ${values};
     INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at) VALUES ${sessions}; COMMIT;`,
  );
  const ids = new Map(sqlite("SELECT email, id FROM accounts WHERE email LIKE 'rush-%'").split("\n").map((l) => l.split("\t")));
  for (const o of organizers) {
    o.id = Number(ids.get(o.email));
    o.cookie = `mip_session=${o.token}`;
  }
}
// Each session works (a 2xx on a signed-in read), before the clock starts.
{
  const probe = await new Client(organizers[0].cookie).post("organisateur/tableau-de-bord", {});
  if (!probe) throw new Error("the organizer session does not sign in");
}
// The moderators' session, its second factor computed here as an authenticator app does.
const moderator = new Client();
await moderator.post("compte/connexion", { email: moderatorAccount.email, password: moderatorAccount.password });
await moderator.post("compte/code", { code: totp(moderatorAccount.totp_secret, Math.floor(Date.parse(NOW) / 1000 / 30)) });

// The ceiling, on the same disk (the directory of the bench's database), the server idle, on
// the server's core.
console.error(`ceiling: SQLite alone, ${CEILING_S} s per measure`);
const [ceilingCommand, ceilingArgs] = pinned(0, "python3", [path.join(root, "bench", "sqlite-ceiling.py"), dir, "--seconds", String(CEILING_S), "--batch", "100"]);
const measureCeiling = () => JSON.parse(execFileSync(ceilingCommand, ceilingArgs, { encoding: "utf8" }));
const ceilingBefore = measureCeiling();

const idle = memory();
console.error(`rush: ${ORGANIZERS} organizers (think ${THINK_S} s ± 50 %), ${MODERATORS} moderators, ${RUSH_S} s`);
await play("rush", RUSH_S, organizers, vocabulary, moderator.cookie);
console.error(`flat out: the same, no think time, ${FLAT_OUT_S} s`);
if (FLAT_OUT_S > 0) await play("flat out", FLAT_OUT_S, organizers, vocabulary, moderator.cookie);
const end = memory();
// The ceiling again, once the load is over (the server idle): the disk is shared with the
// rest of the machine, and a commit's fsync costs what the other writers let it cost. The
// higher of the two is the ceiling (the stricter ratio); both are printed.
console.error("ceiling again, after the load");
const ceilingAfter = measureCeiling();
const ceiling =
  ceilingAfter.per_commit_insert.commits_per_s > ceilingBefore.per_commit_insert.commits_per_s ? ceilingAfter : ceilingBefore;

// The server stops (SIGTERM: a graceful stop), then the database is read as it left it.
const exited = new Promise((r) => server.once("exit", (code) => r(code)));
server.kill("SIGTERM");
const exitCode = await exited;
const log = existsSync(serverLog) ? readFileSync(serverLog, "utf8") : "";
const busyInLog = (log.match(/database is locked|SQLITE_BUSY/gi) ?? []).length;

// --- The database against the acknowledged writes.
const mismatches = [];
const certain = organizers.filter((o) => !uncertain.has(o.id));
const accountIds = certain.map((o) => o.id).join(",") || "0";
const rows = new Map();
for (const line of sqlite(`SELECT id, organizer_id, version, status, title FROM events WHERE organizer_id IN (${accountIds})`).split("\n").filter(Boolean)) {
  const [id, account, version, status, title] = line.split("\t");
  rows.set(Number(id), { account: Number(account), version: Number(version), status, title });
}
const expected = [...events].filter(([, e]) => !uncertain.has(e.account) && !e.uncertain);
for (const [id, want] of expected) {
  const row = rows.get(id);
  const ok =
    row &&
    row.account === want.account &&
    row.title === want.title &&
    (want.status === "published" ? row.status === "published" && row.version > want.publishedFrom : row.status === want.status && row.version === want.version);
  if (!ok) mismatches.push({ id, want, row });
}
const counted = (status) => [...rows.values()].filter((r) => r.status === status).length;
const wanted = (status) => expected.filter(([, e]) => e.status === status).length;
const autosaveRows = sqlite(`SELECT account_id, event_key, json_extract(input_json, '$.description') FROM event_autosaves WHERE account_id IN (${accountIds})`)
  .split("\n")
  .filter(Boolean)
  .map((l) => l.split("\t"));
const autosavesWanted = certain.reduce((sum, o) => sum + o.autosaves.size, 0);
const byId = new Map(certain.map((o) => [o.id, o]));
for (const [account, key, description] of autosaveRows) {
  if (byId.get(Number(account))?.autosaves.get(key) !== description) mismatches.push({ autosave: { account, key, description } });
}
const createKeys = Number(sqlite(`SELECT count(*) FROM event_create_keys WHERE account_id IN (${accountIds})`));
const createsWanted = certain.reduce((sum, o) => sum + o.creates, 0);
const integrity = sqlite("PRAGMA integrity_check");
const check = {
  events: { database: rows.size, acknowledged_creates: createsWanted },
  draft: { database: counted("draft"), acknowledged: wanted("draft") },
  submitted: { database: counted("submitted"), acknowledged: wanted("submitted") },
  published: { database: counted("published"), acknowledged: wanted("published") },
  autosaves: { database: autosaveRows.length, acknowledged: autosavesWanted },
  create_keys: { database: createKeys, acknowledged_creates: createsWanted },
  rows_differing: mismatches.length,
  organizers_left_out_after_an_error: uncertain.size,
  integrity_check: integrity,
};
const checkOk =
  integrity === "ok" &&
  mismatches.length === 0 &&
  Object.values(check).every((v) => typeof v !== "object" || Object.values(v)[0] === Object.values(v)[1]);

// --- Figures.
const pct = (values, p) => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
};
function summary(p) {
  const all = WRITES.flatMap((k) => p.latencies[k]);
  const writes = Object.values(p.acked).reduce((a, b) => a + b, 0);
  return {
    seconds: Number(p.seconds.toFixed(1)),
    writes_acknowledged: p.acked,
    saves_per_s: Number((writes / p.seconds).toFixed(1)),
    write_p50_ms: Number(pct(all, 0.5)?.toFixed(2)),
    write_p99_ms: Number(pct(all, 0.99)?.toFixed(2)),
    per_kind: Object.fromEntries(
      KINDS.map((k) => [k, { count: p.latencies[k].length, per_s: Number((p.latencies[k].length / p.seconds).toFixed(1)), p50_ms: Number(pct(p.latencies[k], 0.5)?.toFixed(2)), p99_ms: Number(pct(p.latencies[k], 0.99)?.toFixed(2)) }]),
    ),
    errors: p.errors,
    error_count: Object.values(p.errors).reduce((a, b) => a + b, 0),
    rss_max_bytes: p.rssMax,
    server_write_metrics: p.metrics,
    disk: p.disk,
    cpu_cores_used: { server: Number(p.cpu.server.toFixed(2)), clients: Number(p.cpu.clients.toFixed(2)) },
  };
}
const rush = summary(phases.rush);
const flat = phases["flat out"] ? summary(phases["flat out"]) : null;
const perCommit = ceiling.per_commit_insert.commits_per_s;
const mb = (b) => (b / 1e6).toFixed(1);
const cpu = (readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model;
const osName = (readFileSync("/etc/os-release", "utf8").match(/PRETTY_NAME="(.*)"/) ?? [])[1] ?? os.type();
let commit = "";
try {
  commit = execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  if (execFileSync("git", ["-C", root, "status", "--porcelain"], { encoding: "utf8" }).trim()) commit += " with uncommitted changes";
} catch {}
const figures = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${osName}, Linux ${os.release()}; Node ${process.version}`,
  commit,
  organizers: ORGANIZERS,
  moderators: MODERATORS,
  think_s: THINK_S,
  rush,
  flat_out: flat,
  errors_total: rush.error_count + (flat?.error_count ?? 0),
  sqlite_busy_in_server_log: busyInLog,
  server_exit_code: exitCode,
  rss: { idle_bytes: idle.rss, max_bytes: Math.max(phases.rush.rssMax, phases["flat out"]?.rssMax ?? 0), end_bytes: end.rss, hwm_bytes: end.hwm },
  ceiling,
  ceiling_before: ceilingBefore,
  ceiling_after: ceilingAfter,
  ratio_to_per_commit_ceiling: Number(((flat ?? rush).saves_per_s / perCommit).toFixed(2)),
  check,
  check_ok: checkOk,
};
mkdirSync(path.join(root, "bench", "out", "results"), { recursive: true });
writeFileSync(path.join(root, "bench", "out", "results", "deadline-rush.json"), JSON.stringify(figures, null, 2));

const goal = (ok) => (ok ? "met" : "**not met**");
const fmt = (v) => (v === null || v === undefined || Number.isNaN(v) ? "–" : String(v));
const kindRows = (s, name) =>
  KINDS.map((k) => `| ${name} | ${k} | ${s.per_kind[k].count} | ${s.per_kind[k].per_s} | ${fmt(s.per_kind[k].p50_ms)} | ${fmt(s.per_kind[k].p99_ms)} |`).join("\n");
const errorText = (s) => (s.error_count ? Object.entries(s.errors).map(([k, v]) => `${k} ${v}`).join(", ") : "0");
const capacity = flat ?? rush;
const markdown = `## Deadline rush (issue 29)

${figures.date.slice(0, 16).replace("T", " ")} UTC, commit \`${commit}\`, \`${["node bench/deadline-rush.mjs", ...process.argv.slice(2)].join(" ")}\` (${ORGANIZERS} organizers with a session each, ${MODERATORS} moderators; rush ${RUSH_S} s with ${THINK_S} s ± 50 % between an organizer's requests, then flat out ${FLAT_OUT_S} s without think time; see \`bench/README.md\`). Server pinned to core 0, the clients to core 1; the ceiling on core 0, the server idle.

Machine: ${figures.machine}.

| figure | measured | ceiling | goal |
| :-- | --: | --: | :-: |
| saves/s, flat out (acknowledged writes per second: autosaves, creates, saves, submissions, publications) | ${capacity.saves_per_s} | ${perCommit} commits/s (SQLite alone, one ~1 kB INSERT per transaction); batched ${ceiling.batched.rows_per_s} rows/s (${ceiling.batched.rows_per_commit} per transaction; the server does not batch) | ≥ 0.5 × per commit: ${(capacity.saves_per_s / perCommit).toFixed(2)} × ${goal(capacity.saves_per_s >= 0.5 * perCommit)} |
| saves/s, rush (the load ${ORGANIZERS} organizers offer) | ${rush.saves_per_s} | | |
| write p50 / p99, rush (ms) | ${fmt(rush.write_p50_ms)} / ${fmt(rush.write_p99_ms)} | one commit alone: ${ceiling.per_commit_insert.commit_p50_ms} / ${ceiling.per_commit_insert.commit_p99_ms} | p99 ≤ 50 ms: ${goal(rush.write_p99_ms <= 50)} |
| write p50 / p99, flat out (ms) | ${flat ? `${fmt(flat.write_p50_ms)} / ${fmt(flat.write_p99_ms)}` : "–"} | | (${ORGANIZERS} requests queued at once) |
| errors (SQLITE_BUSY, timeouts ${TIMEOUT_MS / 1000} s, non-2xx) | rush ${errorText(rush)}; flat out ${flat ? errorText(flat) : "–"}; « database is locked » in the server's log: ${busyInLog} | | 0: ${goal(figures.errors_total === 0 && busyInLog === 0)} |
| the server's write transactions (\`/metrics\`; creates, saves, submissions, publications: an autosave is one statement, outside): \`BEGIN IMMEDIATE\` failed (SQLITE_BUSY); wait for the write lock, mean and p99 (bucket bound) | ${[["rush", rush], ["flat out", flat]].filter(([, x]) => x?.server_write_metrics).map(([n, x]) => `${n}: ${x.server_write_metrics.write_transactions_failed_busy} failed of ${x.server_write_metrics.write_transactions_begun + x.server_write_metrics.write_transactions_failed_busy}; ${x.server_write_metrics.lock_wait_mean_ms} ms, ≤ ${x.server_write_metrics.lock_wait_p99_at_most_ms} ms`).join("; ") || "–"} | | |
| the disk (${diskName}, whole machine, /proc/diskstats): MB written (of which the server), writes/s, flushes/s, mean time of a write | ${[["rush", rush], ["flat out", flat]].filter(([, x]) => x?.disk).map(([n, x]) => `${n}: ${x.disk.machine_written_mb} MB (server ${x.disk.server_written_mb}), ${x.disk.writes_per_s}/s, ${x.disk.flushes_per_s}/s, ${x.disk.mean_write_ms} ms`).join("; ") || "–"} | | |
| CPU used (cores; the server has core 0, the clients core 1) | rush: server ${rush.cpu_cores_used.server}, clients ${rush.cpu_cores_used.clients}; flat out: ${flat ? `server ${flat.cpu_cores_used.server}, clients ${flat.cpu_cores_used.clients}` : "–"} | 1 each | |
| server RSS: idle, max under load (sampled every 250 ms), peak (VmHWM) | ${mb(idle.rss)} MB, ${mb(figures.rss.max_bytes)} MB, ${mb(end.hwm)} MB | | |
| database = acknowledged writes (after the stop) | events ${check.events.database} / ${check.events.acknowledged_creates} created; draft ${check.draft.database} / ${check.draft.acknowledged}, submitted ${check.submitted.database} / ${check.submitted.acknowledged}, published ${check.published.database} / ${check.published.acknowledged}; autosave rows ${check.autosaves.database} / ${check.autosaves.acknowledged}; create keys ${check.create_keys.database} / ${check.create_keys.acknowledged_creates}; rows differing ${mismatches.length}; integrity ${integrity} | | equal: ${goal(checkOk)} |

Per kind of request (open = the form's two reads; the others are one write each):

| phase | request | answered | per s | p50 (ms) | p99 (ms) |
| :-- | :-- | --: | --: | --: | --: |
${kindRows(rush, "rush")}
${flat ? kindRows(flat, "flat out") : ""}

Ceiling measured before the load and after it (the higher is used): ${ceilingBefore.per_commit_insert.commits_per_s} and ${ceilingAfter.per_commit_insert.commits_per_s} commits/s, batched ${ceilingBefore.batched.rows_per_s} and ${ceilingAfter.batched.rows_per_s} rows/s.${
  Math.max(ceilingBefore.per_commit_insert.commits_per_s, ceilingAfter.per_commit_insert.commits_per_s) >
  2 * Math.min(ceilingBefore.per_commit_insert.commits_per_s, ceilingAfter.per_commit_insert.commits_per_s)
    ? " **They differ by more than 2×: the disk was shared with another writer, compare with care.**"
    : ""
}

The higher ceiling (\`bench/sqlite-ceiling.py\`, Python's sqlite3, SQLite ${ceiling.sqlite_version}, ${ceiling.pragmas}, same directory as the bench's database): one INSERT per transaction ${ceiling.per_commit_insert.commits_per_s} commits/s (p50 ${ceiling.per_commit_insert.commit_p50_ms} ms, p99 ${ceiling.per_commit_insert.commit_p99_ms} ms); one upsert of an autosave-like row per transaction ${ceiling.per_commit_upsert.commits_per_s} commits/s; ${ceiling.batched.rows_per_commit} INSERTs per transaction ${ceiling.batched.commits_per_s} commits/s = ${ceiling.batched.rows_per_s} rows/s.
`;
console.log(markdown);
if (args.results) {
  const file = path.resolve(root, args.results);
  const start = "<!-- deadline-rush:start -->";
  const stop = "<!-- deadline-rush:end -->";
  const block = `${start}\n${markdown}${stop}`;
  let text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n";
  if (text.includes(start) && text.includes(stop)) text = text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(stop) + stop.length);
  else {
    const at = text.indexOf("\n## ");
    text = at < 0 ? `${text}\n${block}\n` : `${text.slice(0, at + 1)}${block}\n\n${text.slice(at + 1)}`;
  }
  writeFileSync(file, text);
  console.error(`written to ${path.relative(root, file)}`);
}
if (!checkOk || figures.errors_total) process.exitCode = 1;
