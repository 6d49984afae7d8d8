// Bytes transferred for a first visit (empty cache, fresh browser context) of each page, in
// headless Chromium, grouped by kind: document, stylesheet, font, script, wasm, image, data
// (fetch/XHR), other. The figure per request is Chromium's own count of bytes received from
// the network (CDP Network.loadingFinished encodedDataLength: compressed body plus response
// headers), as DevTools' « transferred » column shows. The page counts as loaded once hydrated
// (window.__mipHydrated === true) and the network has been idle for 500 ms.
// The service worker (offline copy) fetches too, once it runs: what it receives from the
// network is counted (Playwright's request sizes), and the page's requests it answers are
// not counted a second time; what it takes from the browser's HTTP cache costs nothing.
// Usage: node bench/first-visit.mjs http://127.0.0.1:3200 /programme / [...paths]
// Prints JSON: { pages: [{ path, totalBytes, requests, byKind: {kind: bytes}, decodedBytes, list }] }.
import { chromium } from "playwright-core";
import http from "node:http";

// Bytes of one response as a browser would receive it (compressed body plus headers): for the
// service worker's own script, whose fetch Chromium does not report with its sizes.
function transferred(address) {
  return new Promise((resolve, reject) => {
    http.get(address, { headers: { "Accept-Encoding": "gzip, deflate, br, zstd" } }, (response) => {
      let bytes = Object.entries(response.headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 20);
      response.on("data", (chunk) => { bytes += chunk.length; });
      response.on("end", () => resolve(bytes));
    }).on("error", reject);
  });
}

const base = process.argv[2];
const paths = process.argv.slice(3);
if (!base || paths.length === 0) {
  console.error("usage: node bench/first-visit.mjs BASE_URL PATH...");
  process.exit(2);
}
const hydrationTimeout = Number(process.env.BENCH_HYDRATION_TIMEOUT_MS ?? 120_000);

// The kind of a service worker's request, by its address (they are all `fetch` to Chromium).
function kindOfUrl(address) {
  const path = new URL(address).pathname;
  if (path.endsWith(".wasm")) return "wasm";
  if (path.endsWith(".js")) return "script";
  if (path.endsWith(".css")) return "stylesheet";
  if (/\.(woff2?|ttf|otf)$/.test(path)) return "font";
  if (/\.(svg|png|jpe?g|webp|ico)$/.test(path)) return "image";
  if (path.endsWith(".json")) return "data";
  return "document";
}

function kindOf(r) {
  const url = r.url.split("?")[0];
  if (r.mimeType === "application/wasm" || url.endsWith(".wasm")) return "wasm";
  switch (r.type) {
    case "Document": return "document";
    case "Stylesheet": return "stylesheet";
    case "Font": return "font";
    case "Script": return "script";
    case "Image": return "image";
    case "Fetch":
    case "XHR": return "data";
    default:
      if (/javascript/.test(r.mimeType ?? "")) return "script";
      return "other";
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const pages = [];
try {
  for (const path of paths) {
    // A fresh context per page: nothing cached, no cookie.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    const requests = new Map();
    const workerRequests = [];
    context.on("requestfinished", async (request) => {
      if (!request.serviceWorker()) return;
      const sizes = await request.sizes().catch(() => null);
      const response = await request.response().catch(() => null);
      // Negative sizes: answered from the browser's HTTP cache, nothing received.
      const body = sizes && sizes.responseBodySize > 0 ? sizes.responseBodySize : 0;
      const headers = body > 0 || (response && response.status() === 304) ? Math.max(0, sizes?.responseHeadersSize ?? 0) : 0;
      workerRequests.push({ url: request.url(), kind: kindOfUrl(request.url()), status: response?.status() ?? null,
        encoding: (await response?.allHeaders().catch(() => ({})))?.["content-encoding"] ?? "",
        bytes: new URL(request.url()).pathname === "/sw.js" ? await transferred(request.url()) : body + headers,
        decoded: 0, viaServiceWorker: true });
    });
    const entry = (id) => {
      if (!requests.has(id)) requests.set(id, { decoded: 0 });
      return requests.get(id);
    };
    cdp.on("Network.requestWillBeSent", (e) => Object.assign(entry(e.requestId), { url: e.request.url, type: e.type }));
    cdp.on("Network.responseReceived", (e) => Object.assign(entry(e.requestId), {
      type: e.type,
      status: e.response.status,
      mimeType: e.response.mimeType,
      encoding: e.response.headers["content-encoding"] ?? e.response.headers["Content-Encoding"] ?? "",
      fromServiceWorker: e.response.fromServiceWorker === true,
    }));
    cdp.on("Network.dataReceived", (e) => { entry(e.requestId).decoded += e.dataLength; });
    cdp.on("Network.loadingFinished", (e) => { entry(e.requestId).bytes = e.encodedDataLength; });
    cdp.on("Network.loadingFailed", (e) => { entry(e.requestId).failed = e.errorText; });

    const response = await page.goto(base + path, { timeout: hydrationTimeout });
    if (!response || response.status() !== 200) {
      throw new Error(`${path} answered ${response ? response.status() : "nothing"} (expected 200)`);
    }
    await page.waitForFunction(() => window.__mipHydrated === true, null, { timeout: hydrationTimeout })
      .catch(() => { throw new Error(`${path}: window.__mipHydrated never became true (not hydrated)`); });
    await page.waitForLoadState("networkidle", { timeout: hydrationTimeout });
    await page.waitForTimeout(500);

    const list = [...requests.values()]
      .filter((r) => r.url && !r.url.startsWith("data:"))
      .map((r) => ({ url: r.url.replace(base, ""), kind: kindOf(r), status: r.status ?? null,
        encoding: r.encoding ?? "", decoded: r.decoded, failed: r.failed,
        // Answered by the service worker: counted as the worker's own fetch, if any (below).
        bytes: r.fromServiceWorker ? 0 : r.bytes ?? 0, fromServiceWorker: r.fromServiceWorker }))
      .concat(workerRequests.map((r) => ({ ...r, url: "(service worker) " + r.url.replace(base, "") })));
    const byKind = {};
    for (const r of list) byKind[r.kind] = (byKind[r.kind] ?? 0) + r.bytes;
    const unfinished = list.filter((r) => r.bytes === 0 && !r.failed && !r.fromServiceWorker && !r.viaServiceWorker).map((r) => r.url);
    pages.push({
      path,
      totalBytes: list.reduce((s, r) => s + r.bytes, 0),
      decodedBytes: list.reduce((s, r) => s + r.decoded, 0),
      requests: list.length,
      byKind,
      unfinished,
      list,
    });
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ base, pages }));
