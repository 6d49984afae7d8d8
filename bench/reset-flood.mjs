// The password-reset flood of issue 23: `count` POSTs of the reset form with made-up links,
// `parallel` at a time, from one client, as a visitor without an account could send them.
// Before the fix each one hashed the new password (argon2, 19 MiB) before looking at the link:
// 200 requests, 50 at a time, took the server from 70 MB to 944 MB. Prints the answers by
// status, the latency and the server's resident memory before and after (and its peak).
//   node bench/reset-flood.mjs BASE_URL SERVER_PID [count=200] [parallel=50]
import { readFileSync } from "node:fs";

const [base, pid, count = "200", parallel = "50"] = process.argv.slice(2);
if (!base || !pid) {
  console.error("usage: node bench/reset-flood.mjs BASE_URL SERVER_PID [count] [parallel]");
  process.exit(2);
}

function memory() {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+)`, "m"))[1]);
  return { rssKb: kb("VmRSS"), hwmKb: kb("VmHWM") };
}

const before = memory();
const statuses = {};
const latencies = [];
let next = 0;
async function worker() {
  while (next < Number(count)) {
    const n = next++;
    const body = new URLSearchParams({ jeton: `lien-invente-${n}-${"x".repeat(40)}`, password: "une phrase de passe assez longue" });
    const started = performance.now();
    const response = await fetch(`${base}/api/compte/nouveau-mot-de-passe`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
    });
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    statuses[response.status] = (statuses[response.status] || 0) + 1;
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: Number(parallel) }, worker));
const seconds = (performance.now() - started) / 1000;
const after = memory();
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(
  JSON.stringify({
    requests: Number(count),
    parallel: Number(parallel),
    statuses,
    seconds: Number(seconds.toFixed(2)),
    latencyMs: { p50: Number(at(0.5).toFixed(1)), p90: Number(at(0.9).toFixed(1)), max: Number(at(1).toFixed(1)) },
    memory: { before, after },
  }),
);
