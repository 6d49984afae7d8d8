// Crash durability, measured (issue 26). Runs the server, sends concurrent organizer writes
// (creates, saves, submissions) and moderator decisions (publications) through the real HTTP
// API, kills the server with SIGKILL at a random moment, then checks the database as the crash
// left it: `PRAGMA integrity_check` says ok, and every write that got a success answer is
// there (a write in flight at the kill may or may not be: it was never acknowledged). Then
// restarts it, and again, for N rounds.
//
//   node bench/crash.mjs [--rounds 100] [--clients 16] [--moderators 2] [--server target/release/server] [--self-test 1] [--signal TERM]
//
// `--self-test 1` first proves that the check can fail: after the first kill, one acknowledged
// write is undone behind the server's back, and must be reported lost.
//
// Prints the writes acknowledged, the writes lost (must be 0), the rounds and the write
// throughput; exits 1 when a write was lost or the database is damaged. `scripts/test.sh` runs
// it with 10 rounds on the debug build; `bench/run.sh` with 100 on the release build.
import { execFileSync, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const ROUNDS = Number(args.rounds ?? 100);
const CLIENTS = Number(args.clients ?? 16);
const MODERATORS = Number(args.moderators ?? 2);
const SERVER = path.resolve(root, args.server ?? "target/release/server");
const PORT = Number(args.port ?? 3470);
// `--signal TERM`: a graceful stop instead of a crash. Then, beyond the same checks, the
// server must exit 0 and no request that reached it may be cut without its answer: a client
// sees either an answer or a refused connection (nothing was written, it can send again).
const SIGNAL = args.signal === "TERM" ? "SIGTERM" : "SIGKILL";
const BASE = `http://127.0.0.1:${PORT}`;
// A fixed "now" inside the demo's referencing window (it closes on 29 October 2026).
const NOW = "2026-10-10T08:00:00Z";
// Seeded, so that a failing run can be replayed (the kill moments are the same).
let seed = Number(args.seed ?? 20261206);
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const dir = path.join(root, "target", "crash");
const database = path.join(dir, "crash.sqlite");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

function sqlite(query) {
  return execFileSync("sqlite3", ["-separator", "\t", database, query], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }).trim();
}

let server = null;
// Whatever happens, the server does not outlive the harness.
process.on("exit", () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
});
async function start() {
  server = spawn(SERVER, ["--demo"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${database}`,
      MIP_NOW: NOW,
      MIP_OUTBOX_DIR: path.join(dir, "outbox"),
      MIP_PUBLIC_URL: BASE,
      LEPTOS_OUTPUT_NAME: "mip",
      LEPTOS_SITE_ROOT: "target/site",
      LEPTOS_SITE_PKG_DIR: "pkg",
      LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
      LEPTOS_ENV: "PROD",
      LEPTOS_HASH_FILES: "true",
      RUST_LOG: "error",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {}
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the server did not start in 2 minutes");
}

let cut = 0;
const cutCodes = [];
let refused = 0;
let badExits = 0;
async function kill() {
  const exited = new Promise((r) => server.once("exit", (code) => r(code)));
  server.kill(SIGNAL);
  const code = await exited;
  if (SIGNAL === "SIGTERM" && code !== 0) badExits++;
}

/** A failed request at the stop: refused (never reached the server), or cut. */
function countFailure(error) {
  const code = error?.cause?.code ?? "";
  if (code === "ECONNREFUSED") refused++;
  else {
    cut++;
    cutCodes.push(code || String(error?.message));
  }
}

// --- A client of the HTTP API, with its session cookie (sessions are rows: they survive restarts).
let retried = 0;
class Client {
  cookie = "";
  /** As a browser does: a request on a kept-alive connection that the server closed before
   * answering (it never read it) is sent again, on another connection. Creates carry their
   * key, so that even a create that had been written would be the same event. */
  async post(endpoint, body, json) {
    // Node's pool may hand the retry another kept-alive connection that the server is closing
    // too: a few tries stand for the browser's one try on a new connection.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.postOnce(endpoint, body, json);
      } catch (error) {
        if (error?.cause?.code !== "UND_ERR_SOCKET" || attempt === 3) throw error;
        retried++;
      }
    }
  }
  async postOnce(endpoint, body, json) {
    const response = await fetch(`${BASE}/api/${endpoint}`, {
      method: "POST",
      redirect: "manual",
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

// --- What was acknowledged: per event, the last answer (the writes of one event are sequential).
/** id → { version, title, status } as the last success answer left it; `published` by a moderator. */
const acked = new Map();
let acknowledged = 0;
let failedInFlight = 0;
const submittedQueue = [];

function input(vocabulary, title, n) {
  return {
    title,
    summary: "Usagers et agents conçoivent ensemble un formulaire plus simple.",
    description: `Version ${n}.`,
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

async function organizerLoop(client, vocabulary, k, running) {
  let n = 0;
  while (running.on) {
    try {
      const title = `Atelier de reprise ${k}-${n++}`;
      const key = `crash-${k}-${n}-${Math.floor(random() * 1e9)}`.replace(/[^A-Za-z0-9_-]/g, "-").padEnd(16, "0");
      let saved = await client.post("organisateur/creer", { input: input(vocabulary, title, 0), submit: false, key }, true);
      acked.set(saved.id, { version: saved.version, title, status: "draft" });
      acknowledged++;
      for (let save = 1; save <= 2 && running.on; save++) {
        const next = `${title} (v${save})`;
        saved = await client.post(
          "organisateur/enregistrer",
          { id: saved.id, version: saved.version, input: input(vocabulary, next, save), submit: save === 2 },
          true,
        );
        acked.set(saved.id, { version: saved.version, title: next, status: save === 2 ? "submitted" : "draft" });
        acknowledged++;
        if (save === 2) submittedQueue.push(saved.id);
      }
    } catch (error) {
      if (running.on && !String(error.message).includes("fetch failed")) throw error;
      failedInFlight++;
      countFailure(error);
      return;
    }
  }
}

async function moderatorLoop(client, running) {
  while (running.on) {
    const id = submittedQueue.shift();
    if (id === undefined) {
      await new Promise((r) => setTimeout(r, 5));
      continue;
    }
    const before = acked.get(id);
    // Taken out by the self-test: not this harness's to publish.
    if (!before) continue;
    try {
      await client.post("moderation/decision", { id: String(id), version: String(before.version), decision: "publier" });
      acked.set(id, { version: before.version + 1, title: before.title, status: "published", atLeast: true });
      acknowledged++;
    } catch (error) {
      if (running.on && !String(error.message).includes("fetch failed")) throw error;
      failedInFlight++;
      countFailure(error);
      return;
    }
  }
}

/** Every acknowledged write is in the database as the crash left it. */
function check() {
  const integrity = sqlite("PRAGMA integrity_check");
  const rows = new Map();
  if (acked.size) {
    for (const line of sqlite(`SELECT id, version, status, title FROM events WHERE id IN (${[...acked.keys()].join(",")})`).split("\n")) {
      const [id, version, status, title] = line.split("\t");
      rows.set(Number(id), { version: Number(version), status, title });
    }
  }
  const lost = [];
  for (const [id, want] of acked) {
    const row = rows.get(id);
    // A later write may have reached the disk without its answer (killed in between): the row
    // is then newer than the last answer, never older.
    const ok =
      row &&
      (want.atLeast
        ? row.version >= want.version && row.status === "published"
        : row.version > want.version || (row.version === want.version && row.title === want.title && row.status === want.status));
    if (!ok) lost.push({ id, want, row });
  }
  return { integrity, lost };
}

// --- The run.
await start();
const accounts = JSON.parse(readFileSync(path.join(dir, "demo-accounts.json"), "utf8"));
const organizerAccount = accounts.find((a) => a.role === "organizer");
const moderatorAccount = accounts.find((a) => a.role === "moderator");
const vocabulary = {
  theme: Number(sqlite("SELECT id FROM themes WHERE retired = 0 ORDER BY position LIMIT 1")),
  format: Number(sqlite("SELECT id FROM formats ORDER BY position LIMIT 1")),
  audience: Number(sqlite("SELECT id FROM audiences ORDER BY position LIMIT 1")),
  organizerType: Number(sqlite("SELECT id FROM organizer_types ORDER BY position LIMIT 1")),
};
// One organizer session for the organizer clients (each owns the events it creates), one
// moderator session (its second factor computed here, as an authenticator app does).
const organizer = new Client();
await organizer.post("compte/connexion", { email: organizerAccount.email, password: organizerAccount.password });
const moderator = new Client();
await moderator.post("compte/connexion", { email: moderatorAccount.email, password: moderatorAccount.password });
await moderator.post("compte/code", { code: totp(moderatorAccount.totp_secret, Math.floor(Date.parse(NOW) / 1000 / 30)) });

let loadMs = 0;
let worst = [];
for (let round = 1; round <= ROUNDS; round++) {
  if (round > 1) await start();
  const running = { on: true };
  const began = Date.now();
  const loops = [
    ...Array.from({ length: CLIENTS }, (_, k) => organizerLoop(Object.assign(new Client(), { cookie: organizer.cookie }), vocabulary, `${round}.${k}`, running)),
    ...Array.from({ length: MODERATORS }, () => moderatorLoop(Object.assign(new Client(), { cookie: moderator.cookie }), running)),
  ];
  // The kill: at a random moment of the load (0.2 to 1.5 s after it began).
  await new Promise((r) => setTimeout(r, 200 + random() * 1300));
  if (SIGNAL === "SIGTERM") {
    // The clients go on sending while the server stops: each request gets its answer or a
    // refused connection, never a cut one.
    await kill();
    running.on = false;
  } else {
    running.on = false;
    await kill();
  }
  loadMs += Date.now() - began;
  await Promise.all(loops);
  if (args["self-test"] !== undefined && round === 1) {
    // The check must be able to fail: one acknowledged write is undone behind the server's
    // back, and must be reported lost.
    const [id, want] = [...acked].find(([, w]) => !w.atLeast);
    sqlite(`UPDATE events SET title = title || ' (perdu)', version = ${want.version} WHERE id = ${id}`);
    const { lost } = check();
    if (!lost.some((l) => l.id === id)) {
      console.error("self-test: an undone write was not detected");
      process.exit(1);
    }
    console.error(`self-test: the undone write of event ${id} is reported lost`);
    acked.delete(id);
    submittedQueue.splice(0, submittedQueue.length, ...submittedQueue.filter((queued) => queued !== id));
  }
  const { integrity, lost } = check();
  if (SIGNAL === "SIGTERM" && (cut || badExits)) {
    console.error(`round ${round}: after SIGTERM, ${cut} requests cut without an answer (${cutCodes.join(", ")}), ${badExits} unclean exits`);
    process.exitCode = 1;
    break;
  }
  if (integrity !== "ok" || lost.length) {
    worst = lost;
    console.error(`round ${round}: integrity_check = ${integrity}; lost ${lost.length}:`, JSON.stringify(lost.slice(0, 5)));
    process.exitCode = 1;
    break;
  }
  if (round % 10 === 0 || round === ROUNDS) console.error(`round ${round}/${ROUNDS}: ${acknowledged} writes acknowledged, none lost`);
}
if (server.exitCode === null && server.signalCode === null) await kill();

const figures = {
  signal: SIGNAL,
  rounds: ROUNDS,
  clients: CLIENTS + MODERATORS,
  writes_acknowledged: acknowledged,
  writes_lost: worst.length,
  writes_in_flight_at_kills: failedInFlight,
  requests_refused_at_stops: refused,
  requests_cut_at_stops: cut,
  requests_sent_again_after_a_closed_connection: retried,
  write_throughput_per_s: Math.round((acknowledged / loadMs) * 1000),
  integrity_check: process.exitCode ? "failed" : "ok",
};
console.log(JSON.stringify(figures, null, 2));
